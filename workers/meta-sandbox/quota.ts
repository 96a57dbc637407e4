/**
 * Meta's per-ad-account call budget (the ads_management business use case): each account may make
 * `calls` Graph calls per `windowMs`; every answer about the account carries
 * X-Business-Use-Case-Usage with the share used (percent), and the call past the budget is refused
 * with code 80004 (or 17, Meta's user-level limit) and the minutes until the window turns. A batch
 * costs one call per item, as at Meta.
 */
export interface QuotaOptions {
  calls: number;
  windowMs: number;
  /** The code a refused call gets: 80004 (too many calls to this ad account, the default) or 17. */
  code?: 80004 | 17;
}

export type Charge =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; code: number; message: string; subcode?: number; headers: Record<string, string> };

export class AccountQuota {
  private readonly used = new Map<string, { window: number; calls: number }>();

  constructor(
    private readonly options: QuotaOptions,
    private readonly now: () => number,
  ) {}

  /** Calls each account made in the current window (for tests and benchmarks). */
  usage(accountId: string): number {
    const entry = this.used.get(accountId);
    return entry && entry.window === this.window() ? entry.calls : 0;
  }

  private window(): number {
    return Math.floor(this.now() / this.options.windowMs);
  }

  charge(accountId: string): Charge {
    const window = this.window();
    const entry = this.used.get(accountId);
    const calls = entry && entry.window === window ? entry.calls : 0;
    const regainMinutes = Math.ceil(((window + 1) * this.options.windowMs - this.now()) / 60_000);
    const over = calls >= this.options.calls;
    if (!over) this.used.set(accountId, { window, calls: calls + 1 });
    const pct = Math.min(100, Math.round(((over ? calls : calls + 1) / this.options.calls) * 100));
    const usage = JSON.stringify({
      [accountId.slice(4)]: [
        {
          type: 'ads_management',
          call_count: pct,
          total_cputime: pct,
          total_time: pct,
          estimated_time_to_regain_access: over ? regainMinutes : 0,
          ads_api_access_tier: 'standard_access',
        },
      ],
    });
    const headers = { 'X-Business-Use-Case-Usage': usage };
    if (!over) return { ok: true, headers };
    return this.options.code === 17
      ? { ok: false, code: 17, subcode: 2446079, message: '(#17) User request limit reached', headers }
      : {
          ok: false,
          code: 80004,
          subcode: 2446079,
          message: 'There have been too many calls to this ad-account. Wait a bit and try again.',
          headers,
        };
  }
}
