import { isAscii } from 'node:buffer';

/**
 * Lines of a file as the readers see them. Line 1 is the header; blank lines (empty, or a lone CR)
 * are not records (both readers skip them) but still count for numbering. Only the few quarantined
 * rows need their line and raw text, so nothing here builds a per-row index.
 */

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COMMA = 0x2c;
const QUOTE = 0x22;

/** Where a data line is: its 1-based line number and bytes [start, end) without the line break. */
export interface DataLine {
  line: number;
  start: number;
  end: number;
}

/**
 * Calls `visit(ordinal, line, start, end)` for each non-blank line after the header, in file
 * order, until it returns false.
 */
function eachDataLine(
  buf: Buffer,
  visit: (ordinal: number, line: number, start: number, end: number) => boolean,
): void {
  let newline = buf.indexOf(LF);
  let line = 1;
  let ordinal = 0;
  while (newline >= 0 && newline + 1 < buf.length) {
    const start = newline + 1;
    line += 1;
    const next = buf.indexOf(LF, start);
    let end = next < 0 ? buf.length : next;
    if (end > start && buf[end - 1] === CR) end -= 1;
    if (end > start) {
      if (!visit(ordinal, line, start, end)) return;
      ordinal += 1;
    }
    newline = next;
  }
}

/** Non-blank lines after the header: the number of records when no record spans lines. */
export function countDataLines(buf: Buffer): number {
  let count = 0;
  eachDataLine(buf, () => {
    count += 1;
    return true;
  });
  return count;
}

/** The data lines with the given 0-based ordinals (ascending), read in one walk that stops at the last. */
export function locateDataLines(buf: Buffer, ordinals: number[]): DataLine[] {
  const found: DataLine[] = [];
  if (ordinals.length === 0) return found;
  let wanted = 0;
  eachDataLine(buf, (ordinal, line, start, end) => {
    if (ordinal === ordinals[wanted]) {
      found.push({ line, start, end });
      wanted += 1;
    }
    return wanted < ordinals.length;
  });
  return found;
}

/**
 * False only when no cell after the header can start or end with a space character, so trimming
 * every cell would change nothing. DuckDB's trim() removes Unicode space separators; in an ASCII
 * file that is only 0x20, so it is enough to look at the bytes around each space. Anything unsure
 * (non-ASCII text, a space next to a comma, quote or line break) answers true.
 */
export function mayHavePaddedCells(buf: Buffer): boolean {
  const newline = buf.indexOf(LF);
  if (newline < 0) return true;
  const data = buf.subarray(newline + 1);
  if (!isAscii(data)) return true;
  const edge = (byte: number | undefined) =>
    byte === undefined || byte === COMMA || byte === QUOTE || byte === LF || byte === CR;
  for (let at = data.indexOf(SPACE); at >= 0; at = data.indexOf(SPACE, at + 1)) {
    if (edge(at === 0 ? undefined : data[at - 1]) || edge(data[at + 1])) return true;
  }
  return false;
}

/** The header line's text (without BOM handling: the CSV parser strips it). */
export function firstLine(buf: Buffer): string {
  const newline = buf.indexOf(LF);
  const end = newline < 0 ? buf.length : newline;
  return buf.toString('utf8', 0, end > 0 && buf[end - 1] === CR ? end - 1 : end);
}

/** Line number of the byte at `offset` (1-based), counting line feeds from a known point. */
export function lineAt(buf: Buffer, offset: number, from = { offset: 0, line: 1 }): number {
  let line = from.line;
  let pos = buf.indexOf(LF, from.offset);
  while (pos >= 0 && pos < offset) {
    line += 1;
    pos = buf.indexOf(LF, pos + 1);
  }
  return line;
}

/** A record's text from `start` to `end` without its trailing line break. */
export function rawText(buf: Buffer, start: number, end: number): string {
  let stop = end;
  if (stop > start && buf[stop - 1] === LF) stop -= 1;
  if (stop > start && buf[stop - 1] === CR) stop -= 1;
  return buf.toString('utf8', start, stop);
}
