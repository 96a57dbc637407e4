/**
 * Answers of the JSON API, kept until the warehouse next changes. The worker is the only process
 * that writes the DuckDB file, so its Warehouse handle's write generation says exactly when a
 * cached answer may be stale; numbers change a few times a day (a load, an hourly sync, an
 * approval) while buyers read them all day. Concurrent identical requests share one computation.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(
    private readonly generation: () => number,
    private readonly maxEntries = 256,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const full = `${this.generation()}\u0000${key}`;
    const hit = this.entries.get(full);
    if (hit) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(full);
      this.entries.set(full, hit);
      return hit as Promise<T>;
    }
    const pending = compute();
    this.entries.set(full, pending);
    // A failure is not an answer: the next request computes again.
    pending.catch(() => this.entries.delete(full));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }
}
