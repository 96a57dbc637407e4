import { readFileSync } from 'node:fs';
import { loadRuleSet, setRuleEnabled } from '../../../services/rules/files';
import { planEvaluation } from '../../../services/rules/plan';
import { Warehouse } from '../../../services/warehouse/warehouse';
import { isIsoDate, startOfDayIn } from '../../../lib/dates';
import { formatRuleError } from '../../../lib/rules/parse';
import { actionKind, type Rule } from '../../../lib/rules/schema';
import { formatRuleWarning, ruleWarnings } from '../../../lib/rules/warnings';
import { webhookHostVerdict, webhookPolicy, type WebhookPolicy } from '../../../lib/rules/webhook-policy';
import { loadConfigOrExit } from '../../config-env';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';
import { diag } from '../../diagnostics';

export const rulesSpec = defineCommand({
  name: 'rules',
  args: 'list | validate | enable ID | disable ID | test ID',
  options: {
    'as-of': {
      type: 'string',
      value: 'DATE',
      help: 'test: the day the rule is evaluated on (its windows end the day before)',
    },
    db: {
      type: 'string',
      value: 'FILE',
      help: 'test: the DuckDB file (default SCALEFLOW_DB); the worker must be stopped',
    },
  },
  about: `The rule files in RULES_DIR:
  list           each rule, on or off, how often it runs and what it does
  validate       check every file: each problem as file:line:column: field: problem (exit 1), and each
                 warning (a roas threshold under 10 is a multiple where a percent is meant) likewise (exit 0)
  enable ID      switch a rule on in its own file (comments kept); disable ID switches it off
  test ID        what the rule would do on the warehouse as of --as-of, recording nothing`,
});

/** How many rule ids each action takes after its name. */
const ACTIONS: Record<string, number> = { list: 0, validate: 0, enable: 1, disable: 1, test: 1 };

function webhookSecretsMissing(rule: Rule): string[] {
  return rule.actions.flatMap((a) =>
    'notify' in a && a.notify.webhook && !process.env[a.notify.webhook.secret_env] ? [a.notify.webhook.secret_env] : [],
  );
}

/** Webhooks this environment would not send (off, or a host not allowed), as field: reason. */
function webhooksRefused(rule: Rule, policy: WebhookPolicy): string[] {
  return rule.actions.flatMap((a, i) => {
    if (!('notify' in a) || !a.notify.webhook) return [];
    const verdict = webhookHostVerdict(a.notify.webhook.url, policy);
    return verdict.ok ? [] : [`actions.${i}.notify.webhook.url: ${verdict.reason}: this webhook will not be sent`];
  });
}

/**
 * `scaleflow rules ...`: the rule files in RULES_DIR. validate exits 1 naming each problem's file,
 * line and field; test evaluates one rule on the warehouse (worker stopped), recording nothing.
 */
export async function rules(args: string[]): Promise<number | void> {
  const { positionals, values } = parseCommandArgs(rulesSpec, args);
  const [sub, ...rest] = positionals;
  const arity = sub === undefined ? undefined : ACTIONS[sub];
  if (arity === undefined)
    throw new UsageError(
      `rules: one of ${Object.keys(ACTIONS).join(', ')}${sub === undefined ? '' : `, not "${sub}"`}`,
    );
  if (arity === 1 && rest.length === 0) throw new UsageError(`rules ${sub} needs a rule id`);
  if (rest.length > arity) throw new UsageError(`unexpected argument "${rest[arity]}"`);
  for (const flag of ['as-of', 'db'] as const) {
    if (sub !== 'test' && values[flag] !== undefined) throw new UsageError(`--${flag}: only rules test takes it`);
  }
  const config = loadConfigOrExit();
  switch (sub) {
    case 'list': {
      const set = loadRuleSet(config.RULES_DIR);
      for (const { rule, file } of set.rules) {
        const actions = rule.breakdown
          ? `suggests ${rule.breakdown.type} by ${rule.breakdown.by}`
          : rule.actions.map(actionKind).join(', ');
        const flags = [
          rule.enabled ? 'enabled' : 'disabled',
          rule.safety.dry_run ? 'dry run' : '',
          rule.safety.require_approval ? 'approval' : 'unattended if the owner allows',
        ].filter(Boolean);
        console.log(
          `${rule.id}\t${rule.name}\t${flags.join(', ')}\tevery ${rule.check_every / 60_000} min\t${actions}\t${file}`,
        );
      }
      for (const e of set.errors) diag.error(formatRuleError(e));
      return set.errors.length ? 1 : 0;
    }
    case 'validate': {
      const set = loadRuleSet(config.RULES_DIR);
      for (const e of set.errors) diag.error(formatRuleError(e));
      let warnings = 0;
      for (const { rule, file } of set.rules) {
        for (const w of ruleWarnings(readFileSync(file, 'utf8'), file)) {
          warnings++;
          diag.warn(formatRuleWarning(w));
        }
        for (const refusal of webhooksRefused(rule, webhookPolicy(config))) {
          warnings++;
          diag.warn(`${file}: warning: ${refusal}`);
        }
        for (const name of webhookSecretsMissing(rule)) {
          warnings++;
          diag.warn(
            `${file}: warning: ${name} is not set in this environment; the webhook cannot be signed until it is`,
          );
        }
      }
      console.log(
        `${set.rules.length} rule(s) valid, ${set.errors.length} problem(s), ${warnings} warning(s) in ${config.RULES_DIR}`,
      );
      return set.errors.length ? 1 : 0;
    }
    case 'enable':
    case 'disable': {
      const id = rest[0]!;
      try {
        const { file, changed } = setRuleEnabled(config.RULES_DIR, id, sub === 'enable');
        console.log(changed ? `${id}: ${sub}d (${file})` : `${id}: already ${sub}d (${file})`);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      return 0;
    }
    case 'test': {
      const id = rest[0]!;
      const asOf = values['as-of'];
      if (!asOf || !isIsoDate(asOf)) throw new UsageError('--as-of: a date as YYYY-MM-DD');
      const set = loadRuleSet(config.RULES_DIR);
      if (!set.rules.some((r) => r.rule.id === id))
        throw new UsageError(
          `no valid rule "${id}" in ${config.RULES_DIR}${set.errors.length ? ` (run scaleflow rules validate)` : ''}`,
        );
      const warehouse = await Warehouse.open(values.db ?? config.SCALEFLOW_DB, { readOnly: true });
      try {
        // The start of as_of in TZ: the answer depends on the date asked, never on the clock.
        const nowMs = startOfDayIn(config.TZ, asOf);
        const plan = await planEvaluation(
          warehouse,
          config,
          { evaluationId: 'cli-test', nowMs, asOf, force: true, ruleId: id, includeDisabled: true },
          { readHistory: false },
        );
        const run = plan.runs[0]!;
        console.log(
          JSON.stringify(
            { rule_id: id, as_of: plan.asOf, checked: run.checked, matched: run.matched, actions: run.actions },
            null,
            2,
          ),
        );
      } finally {
        warehouse.close();
      }
      return 0;
    }
    default:
      throw new Error(`rules: no case for ${sub}`);
  }
}
