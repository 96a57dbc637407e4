import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { ownersConfigSchema, OWNERS_FILE, type OwnersConfig } from '../../lib/rules/owners';
import { idFromFileName, parseRuleText, parseWithSchema, type RuleFileError } from '../../lib/rules/parse';
import { alertRules, type AlertRules } from '../../lib/rules/alerts';
import type { Rule } from '../../lib/rules/schema';

export interface LoadedRule {
  rule: Rule;
  file: string;
  /** The file's mapping before thresholds were filled in: an alert rule is filled per owner. */
  source: Record<string, unknown>;
}

export interface RuleSet {
  rules: LoadedRule[];
  owners: OwnersConfig;
  /** Every problem in every file: a bad file is reported, never silently dropped. */
  errors: RuleFileError[];
}

const RULE_FILE = /\.(ya?ml|json)$/i;

// Every uncached dashboard and alerts answer reads RULES_DIR again, so an edited rule counts from the
// next request; parsing (YAML, then the schema) is what costs, milliseconds per file. A file's
// parse is kept by its name and exact text: an edit is a new key, never a stale rule.
const parsedRules = new Map<string, ReturnType<typeof parseRuleText>>();
const PARSED_RULES_KEPT = 256;
function parseRuleFile(text: string, file: string): ReturnType<typeof parseRuleText> {
  const key = `${file}\0${text}`;
  let parsed = parsedRules.get(key);
  if (!parsed) {
    if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.clear();
    parsed = parseRuleText(text, file);
    parsedRules.set(key, parsed);
  }
  return parsed;
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...ruleFiles(path));
    else if (RULE_FILE.test(name)) out.push(path);
  }
  return out;
}

/**
 * Every rule file under RULES_DIR (subfolders included) and the owners' config. Ids are unique
 * across the folder; a second file with the same id is an error on that file.
 */
export function loadRuleSet(dir: string): RuleSet {
  if (!existsSync(dir))
    return {
      rules: [],
      owners: { owners: {} },
      errors: [{ file: dir, line: 1, column: 1, field: '', message: 'RULES_DIR does not exist' }],
    };
  const errors: RuleFileError[] = [];
  const rules: LoadedRule[] = [];
  let owners: OwnersConfig = { owners: {} };
  const ownersPath = join(dir, OWNERS_FILE);
  if (existsSync(ownersPath)) {
    const parsed = parseWithSchema(readFileSync(ownersPath, 'utf8'), display(dir, ownersPath), ownersConfigSchema);
    if (parsed.ok) owners = parsed.value;
    else errors.push(...parsed.errors);
  }
  const seen = new Map<string, string>();
  for (const path of ruleFiles(dir)) {
    if (path === ownersPath) continue;
    const file = display(dir, path);
    const parsed = parseRuleFile(readFileSync(path, 'utf8'), file);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    const other = seen.get(parsed.value.id);
    if (other) {
      errors.push({
        file,
        line: 1,
        column: 1,
        field: 'id',
        message: `rule id "${parsed.value.id}" is already used by ${other}`,
      });
      continue;
    }
    seen.set(parsed.value.id, file);
    rules.push({ rule: parsed.value, file: path, source: parsed.source });
  }
  return { rules, owners, errors };
}

/**
 * The alert types of the daily pipeline: RULES_DIR's rules with an alert section. A file that does
 * not parse raises nothing; the rules evaluation records it as a failed execution, where its
 * owner reads the rule's history.
 */
export function loadAlertRules(dir: string): AlertRules {
  return alertRules(
    loadRuleSet(dir)
      .rules.filter((r) => r.rule.alert)
      .map((r) => ({ id: r.rule.id, source: r.source })),
  );
}

function display(dir: string, path: string): string {
  return join(dir, relative(dir, path));
}

/**
 * Sets `enabled` in the rule's own file, keeping its comments and layout (yaml's Document API), so
 * the file stays the one source of truth and enable/disable shows in code review.
 */
export function setRuleEnabled(dir: string, id: string, enabled: boolean): { file: string; changed: boolean } {
  const found = loadRuleSet(dir).rules.find((r) => r.rule.id === id);
  if (!found) throw new Error(`no rule with id "${id}" in ${dir}`);
  if (found.rule.enabled === enabled) return { file: found.file, changed: false };
  const text = readFileSync(found.file, 'utf8');
  if (/\.json$/i.test(found.file)) {
    const json = JSON.parse(text) as Record<string, unknown>;
    json.enabled = enabled;
    writeFileSync(found.file, `${JSON.stringify(json, null, 2)}\n`);
  } else {
    const doc = parseDocument(text);
    doc.set('enabled', enabled);
    writeFileSync(found.file, doc.toString());
  }
  return { file: found.file, changed: true };
}

export { idFromFileName };
