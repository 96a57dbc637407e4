import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { RuleFileError } from './parse';

/**
 * Below this a roas threshold is almost surely a multiple (the seeds write `ROAS > 3`), not the
 * percent scaleflow compares in: 3% would mean losing 97 cents of every dollar.
 */
export const ROAS_PERCENT_FLOOR = 10;

/**
 * What is valid but probably not meant, at its line and field: each roas comparison whose value
 * (or either bound of a between) is above 0 and under 10. A warning does not make the file invalid.
 * Runs on a file that parsed; a file with errors has those to fix first.
 */
export function ruleWarnings(text: string, file: string): RuleFileError[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const warnings: RuleFileError[] = [];
  visit(doc, {
    Map(_, map, path) {
      if (map.get('metric') !== 'roas') return;
      const value = map.get('value', true) as Node | undefined;
      const numbers = isSeq(value) ? value.items : [value];
      for (const n of numbers) {
        if (!isScalar(n) || typeof n.value !== 'number' || n.value <= 0 || n.value >= ROAS_PERCENT_FLOOR) continue;
        const { line, col } = lines.linePos(n.range?.[0] ?? 0);
        const percent = Math.round(n.value * 10_000) / 100;
        warnings.push({
          file,
          line,
          column: col,
          field: [...fieldPath(path, map), 'value'].join('.'),
          message: `ROAS is a percent here: did you mean ${percent}?`,
        });
      }
    },
  });
  return warnings;
}

/** The keys and indexes leading to a node (`conditions.all.1`), from yaml's visitor path. */
function fieldPath(ancestors: readonly unknown[], node: unknown): string[] {
  const chain = [...ancestors, node];
  const out: string[] = [];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const here = chain[i];
    if (isPair(here)) out.push(String(isScalar(here.key) ? here.key.value : here.key));
    else if (isSeq(parent)) out.push(String(parent.items.indexOf(here as never)));
  }
  return out;
}

export function formatRuleWarning(w: RuleFileError): string {
  return `${w.file}:${w.line}:${w.column}: warning: ${w.field ? `${w.field}: ` : ''}${w.message}`;
}
