import { isMap, isNode, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../decisions/thresholds';
import { fillThresholds, thresholdValues, usesPlaceholders, type ThresholdValues } from './placeholders';
import { ruleSchema, type Rule } from './schema';

/** One problem in a rule file, pointing at the line and the field, so a buyer can fix it. */
export interface RuleFileError {
  file: string;
  line: number;
  column: number;
  /** The field path, e.g. `conditions.all.1.op`; empty for the whole file. */
  field: string;
  message: string;
}

/** `source`: the file's mapping as written (defaults added), before any threshold was filled in. */
export type ParseResult<T> =
  { ok: true; value: T; source: Record<string, unknown> } | { ok: false; errors: RuleFileError[] };

export function formatRuleError(e: RuleFileError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

/** The node at `path`, or the deepest ancestor that exists (a missing field points at its parent). */
function nodeAt(doc: Document, path: readonly PropertyKey[]): { node: Node | undefined; key?: Node } {
  let current: unknown = doc.contents;
  let key: Node | undefined;
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find(
        (p) => (isNode(p.key) ? (p.key as { value?: unknown }).value : p.key) === segment,
      );
      if (!pair) break;
      key = isNode(pair.key) ? pair.key : undefined;
      current = pair.value ?? pair.key;
    } else if (isSeq(current) && typeof segment === 'number' && current.items[segment] !== undefined) {
      key = undefined;
      current = current.items[segment];
    } else break;
  }
  return { node: isNode(current) ? current : undefined, key };
}

function position(lines: LineCounter, node: Node | undefined): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/**
 * Parses a YAML (or JSON, which is YAML) text and validates it with a zod schema. Every syntax and
 * schema problem comes back at once, each with its line and field; nothing is thrown.
 */
export function parseWithSchema<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  defaults: Record<string, unknown> = {},
  fill: (source: Record<string, unknown>) => unknown = (source) => source,
): ParseResult<z.infer<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((err) => {
        const { line, col } = lines.linePos(err.pos[0]);
        return { file, line, column: col, field: '', message: err.message.split('\n')[0]! };
      }),
    };
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, field: '', message: 'the file must hold one mapping (key: value pairs)' }],
    };
  }
  const source = { ...defaults, ...(raw as Record<string, unknown>) };
  const parsed = schema.safeParse(fill(source));
  if (parsed.success) return { ok: true, value: parsed.data, source };
  const errors = parsed.error.issues.map((issue): RuleFileError => {
    const path = issue.path;
    const { node, key } = nodeAt(doc, path);
    let message = issue.message;
    let field = path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      // Point at the unknown key itself: that is the line with the typo.
      const unknownKey = issue.keys[0]!;
      const located = nodeAt(doc, [...path, unknownKey]);
      field = [...path, unknownKey].map(String).join('.');
      message = `unknown field "${unknownKey}"`;
      return { file, ...position(lines, located.key ?? located.node ?? node), field, message };
    }
    if (issue.code === 'invalid_union') message = unionMessage(issue) ?? message;
    return { file, ...position(lines, node ?? key), field, message };
  });
  return { ok: false, errors: dedupe(errors).sort((a, b) => a.line - b.line || a.column - b.column) };
}

/** zod reports a failed union as one issue; the closest branch's first issue says more. */
function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const branches = issue.errors.filter((b) => b.length > 0);
  if (branches.length === 0) return undefined;
  const best = branches.reduce((a, b) =>
    b.some((i) => i.code !== 'unrecognized_keys') && b.length <= a.length ? b : a,
  );
  const first = best[0]!;
  return first.path.length ? `${first.path.join('.')}: ${first.message}` : first.message;
}

function dedupe(errors: RuleFileError[]): RuleFileError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}:${e.field}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The id of a rule file: its name without the extension (`rules/default-scale-up.yaml` -> default-scale-up). */
export function idFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop()!;
  return base.replace(/\.(ya?ml|json)$/i, '');
}

/**
 * A rule file, its thresholds filled with `values` (by default METRICS.md's, which is how a file is
 * checked; the alert engine fills each owner's). A placeholder must name a threshold and may only
 * appear in an alert rule: other rules act on every owner's campaigns with one set of numbers.
 */
export function parseRuleText(
  text: string,
  file: string,
  values: ThresholdValues = thresholdValues(DEFAULT_THRESHOLDS),
): ParseResult<Rule> {
  const unknown = new Set<string>();
  const parsed = parseWithSchema(text, file, ruleSchema, { id: idFromFileName(file) }, (source) =>
    fillThresholds(source, values, unknown),
  );
  const error = (message: string): ParseResult<Rule> => ({
    ok: false,
    errors: [{ file, line: 1, column: 1, field: '', message }],
  });
  if (unknown.size > 0)
    return error(
      `unknown threshold ${[...unknown].map((n) => `{${n}}`).join(', ')} (known: ${Object.keys(values).join(', ')})`,
    );
  if (parsed.ok && !parsed.value.alert && usesPlaceholders(parsed.source))
    return error('threshold placeholders such as {scale_roas} are only for rules with an alert section');
  return parsed;
}
