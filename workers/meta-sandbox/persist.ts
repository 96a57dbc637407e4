import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../lib/config';
import { dateIn } from '../../lib/dates';
import { paceToday } from './sample';
import { SandboxState, sandboxSnapshotSchema } from './state';

/**
 * The local sandbox kept in a file (data/meta-sandbox.json for `scaleflow dev` and the demo), so a
 * budget written before a restart is still Meta's budget after it: what a proposal was made from
 * is what its approval finds.
 */
const sandboxFileSchema = sandboxSnapshotSchema.extend({
  /** When it was written (ms): a later day's start begins the day's delivery again. */
  savedAt: z.number(),
});

/** Writes the file whole (a temporary file renamed over it), so a crash never leaves half of one. */
export function saveSandboxState(file: string, state: SandboxState): void {
  const body: z.infer<typeof sandboxFileSchema> = { ...state.snapshot(), savedAt: state.now() };
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 1)}\n`);
  renameSync(temporary, file);
}

export function loadSandboxState(file: string, now: () => number = Date.now): SandboxState {
  let parsed;
  try {
    parsed = sandboxFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError([
      `${file} is not JSON (${(err as Error).message}); delete it to start the sandbox from the sample again`,
    ]);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError([
      `${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}; delete it to start the sandbox from the sample again`,
    ]);
  }
  const { savedAt, ...snapshot } = parsed.data;
  const state = SandboxState.fromSnapshot(snapshot, now);
  // Meta's delivery counters are today's; a campaign's day starts again at its account's midnight.
  const today = (timeZone: string, at: number) => dateIn(timeZone, new Date(at));
  paceToday(state, (c) => {
    const { timezone } = state.accountOf(c);
    return today(timezone, savedAt) !== today(timezone, state.now());
  });
  return state;
}

/** The file's sandbox when there is one, else `seed()` (written to the file at once). */
export function openSandboxState(file: string, seed: () => SandboxState): SandboxState {
  if (existsSync(file)) return loadSandboxState(file);
  const state = seed();
  saveSandboxState(file, state);
  return state;
}
