import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How a caller holds the one DuckDB connection: statements outside a transaction share it (DuckDB
 * runs them one after another anyway), a transaction has it to itself from BEGIN to COMMIT, because
 * anything else run on the connection meanwhile would land inside that transaction.
 */
export type Hold = 'shared' | 'exclusive';

interface Grant {
  kind: Hold;
  // Cleared on release, so work a holder left running (never awaited) does not keep its rights.
  open: boolean;
}

/**
 * A first-come, first-served readers-writer lock over the connection. A queued transaction holds
 * back statements that arrive after it, so a stream of reads cannot starve a writer. Who holds
 * what follows the async call chain (AsyncLocalStorage), so the statements a transaction runs go
 * straight through instead of waiting for the transaction itself.
 */
export class ConnectionLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { kind: Hold; wake: () => void }[] = [];
  private readonly grants = new AsyncLocalStorage<Grant>();

  async hold<T>(kind: Hold, work: () => Promise<T>): Promise<T> {
    const held = this.grants.getStore();
    if (held?.open) {
      if (held.kind === 'exclusive' || kind === 'shared') return work();
      // Waiting for ourselves to finish would never end.
      throw new Error('Warehouse: a transaction cannot start while the same caller holds the connection');
    }
    await this.acquire(kind);
    const grant: Grant = { kind, open: true };
    try {
      return await this.grants.run(grant, work);
    } finally {
      grant.open = false;
      this.release(kind);
    }
  }

  /** Whether the calling async chain is inside a transaction it opened. */
  inTransaction(): boolean {
    const held = this.grants.getStore();
    return held?.open === true && held.kind === 'exclusive';
  }

  private acquire(kind: Hold): Promise<void> {
    if (!this.waiting.length && this.free(kind)) {
      this.take(kind);
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiting.push({ kind, wake }));
  }

  private release(kind: Hold): void {
    if (kind === 'shared') this.shared--;
    else this.exclusive = false;
    while (this.waiting.length && this.free(this.waiting[0]!.kind)) {
      const next = this.waiting.shift()!;
      this.take(next.kind);
      next.wake();
    }
  }

  private free(kind: Hold): boolean {
    return !this.exclusive && (kind === 'shared' || this.shared === 0);
  }

  private take(kind: Hold): void {
    if (kind === 'shared') this.shared++;
    else this.exclusive = true;
  }
}
