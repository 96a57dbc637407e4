/**
 * A command line split into argv the way a POSIX shell would split words, and nothing more: no
 * variables, globs, pipes or redirections are interpreted, since the market is started without a
 * shell. Single quotes keep everything literally, double quotes keep spaces (a backslash escapes
 * `"`, `\`), a backslash outside quotes escapes the next character.
 */
export function splitArgv(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word = (word ?? '') + ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word = (word ?? '') + line[++i]!;
      else word = (word ?? '') + ch;
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i]!;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) throw new RangeError(`unbalanced ${quote} in the command: ${line}`);
  if (word !== null) words.push(word);
  return words;
}
