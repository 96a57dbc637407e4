import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signApprovalToken } from '../../lib/approvals/tokens';
import type { Config } from '../../lib/config';
import { apiProcessRoutes } from '../../workers/http/api-routes';
import { openApiPath } from '../../workers/http/openapi';
import { signApiToken } from '../../workers/http/jwt';
import type { Route } from '../../workers/http/router';
import { noWarehouse } from '../../workers/roles';
import { createMainWorker, type MainWorker } from '../../workers/worker';
import { clientTypesText, CLIENT_TYPES_FILE, DOCUMENT_FILE, documentText, routeTable } from '../../scripts/openapi';
import { metricsWarehouse, type MetricRow } from '../reports/fixtures';
import { testConfig } from '../support/temporal';
import type { paths } from './openapi-schema';

/**
 * docs/openapi.json is the route table's (workers/http), and the running API answers what it says.
 * The client is generated from the checked-in file (openapi-typescript types, openapi-fetch calls),
 * so `tsc` fails on a call the document does not allow.
 */
const SECRET = 'openapi-test-secret-openapi-test-secret!';
const APPROVAL_SECRET = 'openapi-approval-secret-openapi-approval!';
const AS_OF = '2025-10-13';
const DATES = ['2025-10-06', '2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10', '2025-10-11', '2025-10-12'];
// W: $150 revenue on $100 spend every day, a winner with a scale_up alert; L: $60 on $100, a loser.
const rows: MetricRow[] = DATES.flatMap((date) => [
  {
    date,
    campaign_id: 'W',
    campaign_name: 'Dental_W',
    owner: 'ben',
    category: 'Dental',
    spend: '100.00',
    revenue: '150.00',
  },
  {
    date,
    campaign_id: 'L',
    campaign_name: 'Solar_L',
    owner: 'tj',
    category: 'Solar',
    spend: '100.00',
    revenue: '60.00',
  },
]);

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject | { $ref: string }> }>>;
  components: { responses: Record<string, ResponseObject> };
}
interface ResponseObject {
  content: Record<string, { schema: object }>;
}

const document = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as Document;
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
const keysOf = (routes: Route[]) => routes.map((r) => `${r.method} ${openApiPath(r.path)}`);

describe('the checked-in OpenAPI document', () => {
  it('is what `npm run openapi` generates from the route table, and so are the client types', async () => {
    const generated = documentText();
    expect(readFileSync(DOCUMENT_FILE, 'utf8'), 'docs/openapi.json is stale: run `npm run openapi`').toBe(generated);
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8'), 'client types are stale: run `npm run openapi`').toBe(
      await clientTypesText(generated),
    );
  });

  it('holds every route of the table once, and nothing else', () => {
    const table = keysOf(routeTable());
    expect(new Set(table).size).toBe(table.length);
    expect(operationsOf(document).sort()).toEqual([...table].sort());
    // scaleflow api serves the same paths (most answering 503 there), so one document describes both.
    const config = testConfig({ JWT_SECRET: SECRET });
    const api = apiProcessRoutes({ config, warehouse: noWarehouse('api'), temporal: {} as never });
    expect(keysOf(api).sort()).toEqual([...table].sort());
  });
});

describe('a client generated from docs/openapi.json against a running worker', () => {
  let config: Config;
  let main: MainWorker;
  let running: Promise<void>;
  let manager: string;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const called = new Set<string>();
  const problems: string[] = [];

  const responseOf = (path: string, method: string, status: number): ResponseObject | undefined => {
    const declared = document.paths[path]?.[method]?.responses[String(status)];
    if (declared && '$ref' in declared) return document.components.responses[declared.$ref.split('/').pop()!];
    return declared;
  };

  beforeAll(async () => {
    config = testConfig({ JWT_SECRET: SECRET, APPROVAL_SECRET });
    const warehouse = await metricsWarehouse(config.SCALEFLOW_DB, rows);
    await warehouse.run(
      `INSERT INTO rule_executions (evaluation_id, rule_id, as_of, started_at, duration_ms, dry_run, checked, matched, proposed, taken)
       VALUES ('ev-1', 'pause-losers', '2025-10-13', '2025-10-13 06:00:00+00', 12, true, 2, 1, 0, 0)`,
    );
    await warehouse.run(
      `INSERT INTO rule_actions (evaluation_id, rule_id, campaign_id, action_index, kind, as_of, planned_at, status, owner, unattended, workflow_id, detail, plan, evidence, entity_type, entity_id, adset_id)
       VALUES ('ev-1', 'pause-losers', 'L', 0, 'pause', '2025-10-13', '2025-10-13 06:00:00+00', 'dry_run', 'tj', false, NULL, 'would pause', '{}', '{}', 'campaign', 'L', NULL)`,
    );
    warehouse.close();
    main = await createMainWorker(config);
    running = main.run();
    manager = await signApiToken(SECRET, { sub: 'lead@example.com', role: 'manager' });
  });
  afterAll(async () => {
    main.worker.shutdown();
    await running;
  });

  const client = () => {
    const c = createClient<paths>({ baseUrl: main.http!.url });
    c.use({
      onRequest: ({ request }) => {
        request.headers.set('authorization', `Bearer ${manager}`);
        return request;
      },
      // Every answer: a status the document declares, its content type, and (JSON) its schema.
      onResponse: async ({ request, response, schemaPath }) => {
        const method = request.method.toLowerCase();
        const where = `${request.method} ${schemaPath} -> ${response.status}`;
        called.add(`${request.method} ${schemaPath}`);
        const declared = responseOf(schemaPath, method, response.status);
        if (!declared) return void problems.push(`${where}: status not in the document`);
        const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
        const content = declared.content[type];
        if (!content) return void problems.push(`${where}: ${type} not declared (${Object.keys(declared.content)})`);
        if (type !== 'application/json') return;
        const validate = ajv.compile(content.schema);
        if (!validate(await response.clone().json()))
          problems.push(`${where}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
      },
    });
    return c;
  };

  it('calls every endpoint, and every answer is one the document declares', async () => {
    const api = client();
    const q = { as_of: AS_OF };
    const dashboard = await api.GET('/api/facebook/metrics/dashboard', {
      params: { query: { ...q, date_range: '7d' } },
    });
    expect(dashboard.response.status).toBe(200);
    // 7 days x ($100 + $100) spend and 7 x ($150 + $60) revenue: $1,400 and $1,470.
    expect(dashboard.data && 'summary' in dashboard.data && dashboard.data.summary).toMatchObject({
      total_spend: 1400,
      total_revenue: 1470,
    });
    const today = await api.GET('/api/facebook/metrics/dashboard', { params: { query: { date_range: 'today' } } });
    expect(today.data && 'provisional' in today.data && today.data.provisional).toBe(true);
    const launches = await api.GET('/api/facebook/metrics/launches', { params: { query: { ...q, weeks: '4' } } });
    expect(launches.response.status).toBe(200);
    const alerts = await api.GET('/api/facebook/alerts/scaling', { params: { query: q } });
    // W: ROAS 150% for 7 days raises scale_up; L: ROAS 60% raises cut_loss (METRICS.md "Alerts").
    expect(alerts.data?.map((a) => `${a.type}/${a.campaign_id}`).sort()).toEqual(['cut_loss/L', 'scale_up/W']);
    expect((await api.GET('/api/facebook/alerts/held-back', { params: { query: q } })).response.status).toBe(200);
    const decisions = await api.GET('/api/facebook/decisions', { params: { query: q } });
    expect(decisions.data?.decisions.map((d) => d.campaign_id).sort()).toEqual(['L', 'W']);
    const plan = await api.POST('/api/facebook/optimize/budget', {
      params: { query: q },
      body: {
        total_budget: 300,
        optimization_goal: 'max_margin',
        constraints: { min_roas: 80, max_daily_spend_per_campaign: 250 },
      },
    });
    expect(plan.data?.expected_total_spend).toBeLessThanOrEqual(300);
    const bad = await api.POST('/api/facebook/optimize/budget', {
      params: { query: q },
      body: {
        total_budget: -1,
        optimization_goal: 'max_margin',
        constraints: { min_roas: 80, max_daily_spend_per_campaign: 250 },
      },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.field).toBe('total_budget');
    expect((await api.GET('/api/facebook/outcomes', { params: { query: {} } })).response.status).toBe(200);
    const calibration = await api.GET('/api/facebook/outcomes/calibration', { params: { query: q } });
    expect(calibration.data?.window_days).toBe(90);
    const executions = await api.GET('/api/rules/{id}/executions', {
      params: { path: { id: 'pause-losers' }, query: { limit: 5 } },
    });
    expect(executions.data?.executions.map((e) => e.actions.map((a) => a.entity_id))).toEqual([['L']]);
    expect((await api.GET('/healthz')).data).toMatchObject({ status: 'ok' });
    const metrics = await api.GET('/metrics', { parseAs: 'text' });
    expect(metrics.data).toContain('scaleflow_');
    const served = await api.GET('/api/openapi.json');
    expect(served.data).toEqual(document);

    // The codec round trip: what encode wraps, decode gives back.
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: btoa('"hi"') };
    const encoded = await api.POST('/codec/encode', { body: { payloads: [plain] } });
    expect(encoded.data?.payloads).toHaveLength(1);
    const decoded = await api.POST('/codec/decode', { body: { payloads: encoded.data!.payloads } });
    expect(decoded.data?.payloads).toEqual([plain]);

    // The pages: a link for a proposal that does not exist, a report not yet written.
    const token = await signApprovalToken(APPROVAL_SECRET, {
      workflowId: 'budget-change/none/2025-10-13/manual',
      approver: 'amy@example.com',
      expiresAt: Date.now() + 3_600_000,
    });
    const page = await api.GET('/approve/{token}', { params: { path: { token } }, parseAs: 'text' });
    expect(page.response.status).toBe(404);
    expect(page.error).toContain('No such proposal');
    const click = await api.POST('/approve/{token}', {
      params: { path: { token } },
      body: { decision: 'approve' },
      bodySerializer: (body) => new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      parseAs: 'text',
    });
    expect(click.response.status).toBe(404);
    const badForm = await api.POST('/approve/{token}', {
      params: { path: { token: 'not-a-token' } },
      body: { decision: 'approve' },
      bodySerializer: (body) => new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      parseAs: 'text',
    });
    expect(badForm.response.status).toBe(403);
    const report = await api.GET('/reports/{date}/{page}.html', {
      params: { path: { date: AS_OF, page: 'team' } },
      parseAs: 'text',
    });
    expect(report.response.status).toBe(404);
    // Slack's interactivity URL on a worker with no signing secret: nothing is believed, 503 says why.
    const slack = await api.POST('/slack/interactions', {
      body: { payload: '{}' },
      bodySerializer: (body) => new URLSearchParams(body).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      parseAs: 'text',
    });
    expect(slack.response.status).toBe(503);

    expect(problems).toEqual([]);
    expect([...called].sort()).toEqual(operationsOf(document).sort());
  });
});
