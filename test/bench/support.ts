// Shared by the benchmarks: statistics, the machine line, and rewriting one section of BENCHMARKS.md.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export const ms = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`);

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown';
  return `${execSync('nproc').toString().trim()} cores (\`nproc\`), ${cpu}, Node ${process.version}`;
}

/** Replaces the `## title` section of BENCHMARKS.md (or appends it), leaving the others alone. */
export function writeSection(title: string, section: string): void {
  const file = join(process.cwd(), 'BENCHMARKS.md');
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach section belongs to the feature it measures and is rewritten by its own command.\n';
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`## ${escaped}\\n[\\s\\S]*?(?=\\n## |$)`);
  const body = section.startsWith('## ') ? section : `## ${title}\n\n${section}`;
  const next = pattern.test(current)
    ? current.replace(pattern, body.trimEnd() + '\n')
    : `${current.trimEnd()}\n\n${body}`;
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

/**
 * CPU seconds (user + system) a live process has used so far, from /proc (Linux): on a shared
 * machine wall time says how busy the neighbours were, CPU time says what the work itself cost.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name: field 3 (state) onwards; utime and stime are fields 14 and 15 of
  // proc(5), in clock ticks of 1/100 s (USER_HZ).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
export const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
