import { z } from 'zod';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { sqlFile } from '../../services/warehouse/sql';
import { ruleIdSchema } from '../../lib/rules/schema';
import { inScope } from '../../lib/auth';
import { ruleExecutionsAnswerSchema } from '../../lib/api/answers';
import { route, type Route } from './router';

const querySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

interface ExecutionRow {
  evaluation_id: string;
  rule_id: string;
  as_of: string;
  started_at: string;
  duration_ms: number;
  dry_run: boolean;
  checked: number;
  matched: number;
  proposed: number;
  taken: number;
  errors: string;
  actions: string;
}

interface ActionJson {
  campaign_id: string;
  owner?: string;
  kind: string;
  entity_type: 'campaign' | 'adset';
  entity_id: string;
  adset_id: string | null;
  status: string;
  unattended: boolean;
  workflow_id: string | null;
  detail: string;
}

/** A rule's execution history: what each evaluation checked, matched, proposed, took and failed. */
export function rulesRoutes(deps: { warehouse: Warehouse }): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/rules/:id/executions',
      summary: "A rule's evaluations and what they did (a buyer sees the actions on their own campaigns)",
      access: ['buyer', 'manager', 'approver'],
      params: z.object({ id: ruleIdSchema }),
      query: querySchema,
      responses: { 200: ruleExecutionsAnswerSchema },
      async handler(ctx) {
        const id = ctx.params.id;
        const { limit } = ctx.query;
        const rows = await deps.warehouse.all<ExecutionRow>(sqlFile('rules/executions'), [id, limit]);
        const scope = ctx.scope!;
        const executions = rows.map((r) => {
          const actions = JSON.parse(r.actions) as ActionJson[];
          // A buyer sees the actions on their own campaigns only; the counts stay the rule's.
          const visible = actions.filter((a) => inScope(scope, a.owner));
          return {
            evaluation_id: r.evaluation_id,
            as_of: r.as_of,
            started_at: r.started_at,
            duration_ms: r.duration_ms,
            dry_run: r.dry_run,
            checked: r.checked,
            matched: r.matched,
            proposed: r.proposed,
            taken: r.taken,
            errors: JSON.parse(r.errors) as string[],
            actions: visible.map(({ owner: _owner, ...a }) => a),
          };
        });
        return { json: { rule_id: id, executions } };
      },
    }),
  ];
}
