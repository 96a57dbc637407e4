/**
 * Meta's asynchronous insights jobs (AdReportRun): POST /act_<id>/insights answers
 * `{report_run_id}`, GET /<report_run_id> tells how far the job is, and GET
 * /<report_run_id>/insights pages the rows once it says "Job Completed". The rows are fixed when
 * the job is created; the job takes `durationMs` on the sandbox's clock, so a test holding the
 * clock holds the job.
 */
export type AsyncStatus = 'Job Not Started' | 'Job Started' | 'Job Running' | 'Job Completed' | 'Job Failed';

export interface ReportRun {
  id: string;
  accountId: string;
  createdAt: number;
  dateStart: string;
  dateStop: string;
  rows: unknown[];
  failed: boolean;
}

export class ReportRuns {
  private readonly runs = new Map<string, ReportRun>();
  private nextId = 6_100_000_000_000;

  constructor(
    private readonly now: () => number,
    /** How long a job runs on the sandbox clock before it completes. */
    readonly durationMs: number,
  ) {}

  create(accountId: string, range: { since: string; until: string }, rows: unknown[]): ReportRun {
    const run: ReportRun = {
      id: String(++this.nextId),
      accountId,
      createdAt: this.now(),
      dateStart: range.since,
      dateStop: range.until,
      rows,
      failed: false,
    };
    this.runs.set(run.id, run);
    return run;
  }

  get(id: string): ReportRun | undefined {
    return this.runs.get(id);
  }

  /** Every job created, oldest first. */
  all(): ReportRun[] {
    return [...this.runs.values()];
  }

  percent(run: ReportRun): number {
    if (this.durationMs <= 0) return 100;
    return Math.min(100, Math.floor(((this.now() - run.createdAt) / this.durationMs) * 100));
  }

  status(run: ReportRun): AsyncStatus {
    if (run.failed) return 'Job Failed';
    const percent = this.percent(run);
    return percent >= 100 ? 'Job Completed' : percent === 0 ? 'Job Started' : 'Job Running';
  }

  /** AdReportRun's fields, as GET /<report_run_id> gives them. */
  json(run: ReportRun): Record<string, unknown> {
    const status = this.status(run);
    return {
      id: run.id,
      account_id: run.accountId.slice(4),
      async_status: status,
      async_percent_completion: this.percent(run),
      date_start: run.dateStart,
      date_stop: run.dateStop,
      time_ref: Math.floor(run.createdAt / 1000),
      ...(status === 'Job Completed' ? { time_completed: Math.floor((run.createdAt + this.durationMs) / 1000) } : {}),
      is_running: status === 'Job Started' || status === 'Job Running',
    };
  }
}
