# The scaleflow worker: Temporal worker, HTTP API and approval pages, owner of the DuckDB file.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY lib ./lib
COPY activities ./activities
COPY workflows ./workflows
COPY workers ./workers
COPY reports ./reports
COPY data/migrations ./data/migrations
COPY data/sql ./data/sql
COPY tsconfig.json ./
# Bundle the workflows once at build time (WORKFLOW_BUNDLE_PATH), so starts are fast and every
# replica runs byte-identical workflow code.
RUN node --import tsx workers/build-bundle.ts /app/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/workflow-bundle.js \
    SCALEFLOW_DB=/var/lib/scaleflow/scaleflow.duckdb \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
VOLUME /var/lib/scaleflow
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "workers/worker-main.ts"]
