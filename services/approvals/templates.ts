import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { rootDir } from '../paths';

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** A Handlebars template in services/approvals/templates; `{{x}}` escapes HTML, so proposal text is safe to show. */
export function template(name: string): Handlebars.TemplateDelegate {
  let compiled = cache.get(name);
  if (!compiled) {
    // Plain-text parts must not be HTML-escaped; HTML parts always are.
    const noEscape = name.endsWith('.txt');
    compiled = Handlebars.compile(readFileSync(join(rootDir, 'services/approvals/templates', `${name}.hbs`), 'utf8'), {
      noEscape,
    });
    cache.set(name, compiled);
  }
  return compiled;
}

/**
 * A proposal type's words; an alert type needs none (`trim_loss` reads "trim-loss alert") unless it wants other
 * words.
 */
export const TYPE_LABELS: Record<string, string> = {
  manual: 'manual proposal',
  rule: 'automation rule',
};

export function typeLabel(type: string): string {
  return TYPE_LABELS[type] ?? `${type.replace(/_/g, '-')} alert`;
}
