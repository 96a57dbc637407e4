/**
 * A fixed one-minute window per client and bucket: enough to stop a script hammering the approval
 * pages or the API, without shared state (one worker process serves them).
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the client may retry, or 0 when this request is allowed. */
  take(key: string): number {
    const t = this.now();
    const w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      if (this.windows.size > 10_000) this.sweep(t);
      this.windows.set(key, { start: t, count: 1 });
      return 0;
    }
    if (w.count < this.perMinute) {
      w.count += 1;
      return 0;
    }
    return Math.ceil((w.start + 60_000 - t) / 1000);
  }

  private sweep(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(key);
  }
}
