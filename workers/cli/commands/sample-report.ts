import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { isIsoDate } from '../../../lib/dates';
import { sampleCampaignMapLines, sampleReportLines, type SampleOptions } from '../../../lib/sample/strategis';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const sampleReportSpec = defineCommand({
  name: 'sample-report',
  options: {
    start: { type: 'string', value: 'DATE', help: 'the first day', required: true },
    end: { type: 'string', value: 'DATE', help: 'the last day', required: true },
    out: { type: 'string', value: 'FILE', help: 'the report (CSV) to write', required: true },
    campaigns: { type: 'string', value: 'N', help: 'how many campaigns', default: '40' },
    seed: { type: 'string', value: 'N', help: 'the same seed writes the same file', default: '42' },
    'pulled-on': {
      type: 'string',
      value: 'DATE',
      help: 'the day it was pulled: its last 3 days are provisional (default: the day after --end)',
    },
    'map-out': { type: 'string', value: 'FILE', help: 'also write its campaign map (CSV)' },
  },
  about: 'Writes a deterministic sample strateg.is report (lib/sample/strategis.ts), and optionally its campaign map.',
});

/** Writes a deterministic sample strateg.is report (and optionally its campaign map) for demos and tests. */
export async function sampleReport(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(sampleReportSpec, args);
  const { start, end, out } = values;
  for (const [flag, value] of [
    ['start', start],
    ['end', end],
    ['pulled-on', values['pulled-on']],
  ] as const) {
    if (value !== undefined && !isIsoDate(value))
      throw new UsageError(`--${flag}: a date as YYYY-MM-DD, not "${value}"`);
  }
  if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
  const options: SampleOptions = {
    start,
    end,
    campaigns: Number(values.campaigns),
    seed: Number(values.seed),
    pulledOn: values['pulled-on'],
  };
  if (!Number.isInteger(options.campaigns) || options.campaigns < 1)
    throw new UsageError('--campaigns: a whole number above 0');
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
