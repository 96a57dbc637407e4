import { describe, expect, it } from 'vitest';
import { defineCommand, helpText, parseCommandArgs } from '../../workers/cli/args';
import { closest } from '../../workers/cli/closest';
import { HelpRequest, UsageError } from '../../workers/cli/usage';

const spec = defineCommand({
  name: 'thing',
  options: {
    'as-of': { type: 'string', value: 'DATE', help: 'the day' },
    request: { type: 'string', value: 'FILE', help: 'the body', required: true },
    limit: { type: 'string', value: 'N', help: 'how many', default: '10' },
    send: { type: 'boolean', help: 'send it' },
  },
  about: 'Does the thing.',
});

const usageError = (args: string[]) => {
  try {
    parseCommandArgs(spec, args);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a UsageError');
};

describe('parseCommandArgs', () => {
  it('reads declared options, with defaults for the absent ones', () => {
    expect(parseCommandArgs(spec, ['--request', 'body.json', '--as-of=2025-10-13'])).toEqual({
      values: { request: 'body.json', 'as-of': '2025-10-13', limit: '10', send: false },
      positionals: [],
    });
  });

  it('refuses an absent required option, naming it', () => {
    expect(usageError(['--send'])).toBe('--request: required (--request FILE)');
  });

  it('suggests the closest option for a typo, and nothing for a word that is not close', () => {
    expect(usageError(['--requets', 'x'])).toBe('--requets: unknown option; did you mean --request?');
    expect(usageError(['--request', 'x', '--colour', 'red'])).toBe('--colour: unknown option');
  });

  it('--help (or -h) carries the help: synopsis, about and every option', () => {
    for (const flag of ['--help', '-h']) {
      let help: unknown;
      try {
        parseCommandArgs(spec, [flag]);
      } catch (err) {
        help = err;
      }
      expect(help).toBeInstanceOf(HelpRequest);
      expect((help as HelpRequest).text).toBe(helpText(spec));
    }
    expect(helpText(spec)).toBe(`usage: scaleflow thing [--as-of DATE] --request FILE [--limit N] [--send]

Does the thing.

Options:
  --as-of DATE    the day
  --request FILE  the body
  --limit N       how many (default 10)
  --send          send it
  --help          this help`);
  });
});

describe('closest', () => {
  it('counts two swapped letters as one edit', () => {
    expect(closest('date-rnage', ['date-range', 'start', 'end'])).toBe('date-range');
    expect(closest('ownr', ['owner', 'db'])).toBe('owner');
    expect(closest('x', ['db', 'owner'])).toBeUndefined();
  });
});
