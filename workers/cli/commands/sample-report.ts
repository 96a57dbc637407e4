import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { isIsoDate } from '../../../lib/dates';
import { sampleCampaignMapLines, sampleReportLines, type SampleOptions } from '../../../lib/sample/strategis';
import { UsageError } from '../usage';

const USAGE = 'usage: scaleflow sample-report --start DATE --end DATE --out FILE [--campaigns N] [--seed N] [--pulled-on DATE] [--map-out FILE]';

/** Writes a deterministic sample strateg.is report (and optionally its campaign map) for demos and tests. */
export async function sampleReport(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      start: { type: 'string' },
      end: { type: 'string' },
      out: { type: 'string' },
      campaigns: { type: 'string', default: '40' },
      seed: { type: 'string', default: '42' },
      'pulled-on': { type: 'string' },
      'map-out': { type: 'string' },
    },
  });
  const { start, end, out } = values;
  if (!start || !end || !out || !isIsoDate(start) || !isIsoDate(end) || start > end) throw new UsageError(USAGE);
  if (values['pulled-on'] !== undefined && !isIsoDate(values['pulled-on'])) throw new UsageError(`--pulled-on: a date as YYYY-MM-DD\n${USAGE}`);
  const options: SampleOptions = { start, end, campaigns: Number(values.campaigns), seed: Number(values.seed), pulledOn: values['pulled-on'] };
  if (!Number.isInteger(options.campaigns) || options.campaigns < 1) throw new UsageError(`--campaigns: a whole number above 0\n${USAGE}`);
  const rows = await writeLines(out, sampleReportLines(options));
  if (values['map-out']) await writeLines(values['map-out'], sampleCampaignMapLines(options));
  console.log(JSON.stringify({ out, rows: rows - 1, mapOut: values['map-out'] }));
}

async function writeLines(path: string, lines: Iterable<string>): Promise<number> {
  const stream = createWriteStream(path);
  let n = 0;
  for (const line of lines) {
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    n += 1;
  }
  stream.end();
  await once(stream, 'finish');
  return n;
}
