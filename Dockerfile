# scaleflow: one image for every role, chosen by the command (temporal-compose.yml):
#   worker --role warehouse|meta|io|all   and   api
# Two stages: the build stage has the dev dependencies (esbuild, tsx) and compiles dist/ and the
# workflow bundle; the runtime stage has production dependencies and only the files that run.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY lib ./lib
COPY activities ./activities
COPY services ./services
COPY workflows ./workflows
COPY workers ./workers
COPY reports ./reports
# dist/ (CLI, worker, report cells) by esbuild; the workflows bundled once, so every replica runs
# byte-identical workflow code (and `scaleflow replay` checks that code). Untraced: the tracing
# interceptors put plain-JSON trace context in history headers, outside the payload codec; add
# --traced to export workflow spans (docs/operations.md, "Logs and traces").
RUN npm run build \
 && node --import tsx workers/build-bundle.ts /app/dist/workflow-bundle.js

FROM node:20-bookworm-slim
# Report charts are drawn to PNG for mail with the DejaVu fonts (lib/reports/charts.ts); the slim
# image has no fonts, and without them every label would vanish from the emailed charts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# What the compiled code reads at run time, and nothing else (scripts/prod/runtime-layout.mjs lays
# out these same lines for `npm run test:prod`, which runs a day from them): the compiled code,
# report cells (SQL, templates; their code is in dist/reports), migrations and SQL files, the
# page templates (approval, backtest, report messages), the shipped rules (switched off; compose mounts the reviewed
# ./rules over them) and the named thresholds.
COPY --from=build /app/dist ./dist
COPY reports ./reports
COPY rules ./rules
COPY data/migrations ./data/migrations
COPY data/sql ./data/sql
COPY data/thresholds ./data/thresholds
COPY services/approvals/templates ./services/approvals/templates
COPY services/backtest/templates ./services/backtest/templates
COPY workers/approval/templates ./workers/approval/templates
COPY workers/http/templates ./workers/http/templates
# State lives on the volume; the approvers file and the campaign map are the operator's, mounted
# at /etc/scaleflow (the sample data/campaign-map.csv is deliberately not in the image).
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    SCALEFLOW_DB=/var/lib/scaleflow/scaleflow.duckdb \
    INBOX_DIR=/var/lib/scaleflow/inbox \
    ARCHIVE_DIR=/var/lib/scaleflow/archive \
    SPOOL_DIR=/var/lib/scaleflow/spool \
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
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/scaleflow.js"]
CMD ["worker", "--role", "all"]
