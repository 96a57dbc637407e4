/**
 * Where each data line of a file starts and ends, so a record's line number and raw text can be
 * given exactly for the (few) rows that are quarantined. Line 1 is the header; blank lines are not
 * records (both readers skip them) but still count for numbering.
 */
export interface LineIndex {
  /** Byte offsets of each non-blank line after the header: [start, end) without the line break. */
  starts: number[];
  ends: number[];
  /** 1-based line number of each of those lines. */
  numbers: number[];
}

const LF = 0x0a;
const CR = 0x0d;

export function indexLines(buf: Buffer): LineIndex {
  const index: LineIndex = { starts: [], ends: [], numbers: [] };
  let newline = buf.indexOf(LF);
  let line = 1;
  while (newline >= 0 && newline + 1 < buf.length) {
    const start = newline + 1;
    line += 1;
    const next = buf.indexOf(LF, start);
    let end = next < 0 ? buf.length : next;
    if (end > start && buf[end - 1] === CR) end -= 1;
    if (end > start) {
      index.starts.push(start);
      index.ends.push(end);
      index.numbers.push(line);
    }
    newline = next;
  }
  return index;
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
