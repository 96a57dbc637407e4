import { progressLine, summaryLine, type ProgressState } from '../../lib/progress';

/** The part of a stream progress needs: stderr, or a test's stand-in terminal. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** `done` units so far (and the total, when it grows: a backtest's runs add their days). */
  update(done: number, total?: number): void;
  /** The step under way, for work counted in steps. */
  note(text: string): void;
  /** Ends the line: on a terminal the last state becomes the summary, elsewhere the summary is the only line. */
  finish(note?: string): void;
}

interface Options {
  label: string;
  unit: string;
  total?: number;
  stream?: ProgressStream;
  now?: () => number;
  /** A terminal is redrawn at most this often (a 200x60 backtest reports 12,000 times). */
  redrawMs?: number;
}

// Erase the line and go back to its start: the next state overwrites the last on a terminal.
const REDRAW = '\r\x1b[2K';

/**
 * Progress on stderr, never stdout (where the JSON goes): a live line on a terminal, one summary line
 * otherwise, so a CI log or a file gets the outcome without a thousand redraws.
 */
export function startProgress(options: Options): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  const redrawMs = options.redrawMs ?? 200;
  const state: ProgressState = {
    label: options.label,
    unit: options.unit,
    done: 0,
    total: options.total,
    elapsedMs: 0,
  };
  let drawnAt = -Infinity;
  let finished = false;

  function draw(force: boolean): void {
    if (!stream.isTTY || finished) return;
    const at = now();
    if (!force && at - drawnAt < redrawMs) return;
    drawnAt = at;
    state.elapsedMs = at - started;
    stream.write(REDRAW + progressLine(state));
  }

  return {
    update(done, total) {
      state.done = done;
      if (total !== undefined) state.total = total;
      draw(state.total !== undefined && done >= state.total);
    },
    note(text) {
      state.note = text;
      draw(true);
    },
    finish(note) {
      if (finished) return;
      if (note !== undefined) state.note = note;
      state.elapsedMs = now() - started;
      stream.write((stream.isTTY ? REDRAW : '') + summaryLine(state) + '\n');
      finished = true;
    },
  };
}
