// One argument parser for every command: node:util parseArgs, strict, with errors a person can act on.
import { parseArgs } from 'node:util';
import { closest } from './closest';
import { HelpRequest, UsageError } from './usage';

/** One option, declared once: how parseArgs reads it and how --help shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The placeholder --help shows for a string option's value (DATE, FILE, NAME...). */
  value?: string;
  /** One line for --help. */
  help: string;
  default?: string;
  /** Shown without brackets in the synopsis, and refused when absent. */
  required?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As typed after `scaleflow`, e.g. `report`. */
  name: string;
  /** The positional arguments as the synopsis shows them (`FILE [FILE...]`); without it, none are taken. */
  args?: string;
  options: O;
  /** What the command does, printed under the synopsis and the options by --help. */
  about: string;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S extends { default: string } | { required: true }
    ? string
    : string | undefined;
export type OptionValues<O extends OptionSpecs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

/** Declares a command's options and help in one place (`const` keeps each option's type literal). */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** --db, as every command that opens the warehouse with the worker stopped takes it. */
export const dbOption = {
  type: 'string',
  value: 'FILE',
  help: 'the DuckDB file (default SCALEFLOW_DB); the worker must be stopped',
} as const satisfies OptionSpec;

const HELP_OPTION: OptionSpec = { type: 'boolean', help: 'this help' };

function flag(name: string, o: OptionSpec): string {
  return o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
}

/** `usage: scaleflow report [--as-of DATE] ...`, wrapped before 100 columns. */
export function synopsis(spec: CommandSpec): string {
  const words = [`scaleflow ${spec.name}`, ...(spec.args ? [spec.args] : [])];
  for (const [name, o] of Object.entries(spec.options)) words.push(o.required ? flag(name, o) : `[${flag(name, o)}]`);
  const lines = ['usage:'];
  for (const word of words) {
    if (lines.at(-1)!.length + word.length + 1 > 100) lines.push('        ');
    lines[lines.length - 1] += ` ${word}`;
  }
  return lines.join('\n');
}

export function helpText(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: HELP_OPTION });
  const width = Math.max(...options.map(([name, o]) => flag(name, o).length));
  const rows = options.map(
    ([name, o]) =>
      `  ${flag(name, o).padEnd(width)}  ${o.help}${o.default !== undefined ? ` (default ${o.default})` : ''}`,
  );
  return `${synopsis(spec)}\n\n${spec.about}\n\nOptions:\n${rows.join('\n')}`;
}

/**
 * parseArgs' own errors say what kind of mistake it was, not always which flag: the tokens of a
 * lenient pass over the same arguments find the first one at fault, in the order strict mode
 * checks them, and the message names it.
 */
function usageErrorFor(err: Error & { code?: string }, spec: CommandSpec, args: string[]): UsageError {
  const known = Object.keys(spec.options);
  const { tokens } = parseArgs({
    args,
    options: parseArgsOptions(spec),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option') {
      const o = spec.options[token.name] ?? (token.name === 'help' ? HELP_OPTION : undefined);
      if (!o) {
        const guess = closest(token.name, [...known, 'help']);
        return new UsageError(`${token.rawName}: unknown option${guess ? `; did you mean --${guess}?` : ''}`);
      }
      if (o.type === 'boolean' && token.value !== undefined)
        return new UsageError(`--${token.name}: takes no value (it is a switch)`);
      if (o.type === 'string' && token.value === undefined)
        return new UsageError(`--${token.name}: needs a value (${flag(token.name, o)})`);
      if (o.type === 'string' && !token.inlineValue && token.value!.length > 1 && token.value!.startsWith('-')) {
        return new UsageError(
          `--${token.name}: needs a value (${flag(token.name, o)}), not "${token.value}"; write --${token.name}=${token.value} if you mean it`,
        );
      }
    } else if (token.kind === 'positional' && spec.args === undefined) {
      return new UsageError(`unexpected argument "${token.value}" (scaleflow ${spec.name} takes only options)`);
    }
  }
  return new UsageError(err.message);
}

function parseArgsOptions(spec: CommandSpec) {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }> = {
    help: { type: 'boolean', short: 'h', default: false },
  };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = {
      type: o.type,
      ...(o.default !== undefined ? { default: o.default } : o.type === 'boolean' ? { default: false } : {}),
    };
  }
  return options;
}

/**
 * Parses a command's arguments against its spec (strict): an unknown, misspelled or malformed flag
 * is a UsageError naming it (exit 2), --help a HelpRequest carrying the command's help (exit 0).
 */
export function parseCommandArgs<O extends OptionSpecs>(
  spec: CommandSpec<O>,
  args: string[],
): { values: OptionValues<O>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: parseArgsOptions(spec),
      allowPositionals: spec.args !== undefined,
      strict: true,
    });
  } catch (err) {
    if (
      typeof (err as { code?: unknown }).code === 'string' &&
      (err as { code: string }).code.startsWith('ERR_PARSE_ARGS_')
    )
      throw usageErrorFor(err as Error, spec, args);
    throw err;
  }
  const { help, ...values } = parsed.values;
  if (help) throw new HelpRequest(helpText(spec));
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.required && values[name] === undefined) throw new UsageError(`--${name}: required (${flag(name, o)})`);
  }
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}
