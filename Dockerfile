# The scaleflow worker: Temporal worker, HTTP API and approval pages, owner of the DuckDB file.
FROM node:20-bookworm-slim
# Report charts are drawn to PNG for mail with the DejaVu fonts (lib/reports/charts.ts); the slim
# image has no fonts, and without them every label would vanish from the emailed charts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY activities ./activities
COPY services ./services
COPY workflows ./workflows
COPY workers ./workers
# Read at run time: report cells (SQL, templates, charts), migrations and SQL files, the shipped
# rules (switched off; compose mounts the reviewed ./rules over them) and the named thresholds.
COPY reports ./reports
COPY rules ./rules
COPY data/migrations ./data/migrations
COPY data/sql ./data/sql
COPY data/thresholds ./data/thresholds
# Bundle the workflows once at build time (WORKFLOW_BUNDLE_PATH), so starts are fast and every
# replica runs byte-identical workflow code (and `scaleflow replay` checks that code).
RUN node --import tsx workers/build-bundle.ts /app/workflow-bundle.js
# State lives on the volume; the approvers file and the campaign map are the operator's, mounted
# at /etc/scaleflow (the sample data/campaign-map.csv is deliberately not in the image).
ENV WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js \
    SCALEFLOW_DB=/var/lib/scaleflow/scaleflow.duckdb \
    INBOX_DIR=/var/lib/scaleflow/inbox \
    ARCHIVE_DIR=/var/lib/scaleflow/archive \
    REPORTS_DIR=/var/lib/scaleflow/reports \
    OUTBOX_DIR=/var/lib/scaleflow/outbox \
    RULES_DIR=/app/rules \
    APPROVERS_FILE=/etc/scaleflow/approvers.json \
    CAMPAIGN_MAP_FILE=/etc/scaleflow/campaign-map.csv \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
RUN mkdir -p /var/lib/scaleflow && chown node:node /var/lib/scaleflow
USER node
VOLUME /var/lib/scaleflow
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "workers/worker-main.ts"]
