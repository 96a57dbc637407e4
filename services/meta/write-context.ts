import type { Config } from '../../lib/config';
import type { MetaGraph } from './graph';
import { readAccount } from './reads';

type Settings = Pick<Config, 'META_REQUEST_TIMEOUT' | 'META_RATE_LIMIT_MIN_WAIT' | 'META_PAGE_SIZE'>;

/**
 * What a campaign's and an ad set's read-before-write share: the call context metaCall takes, and
 * each account's currency, read once per process (budgets are in its minor units).
 */
export function metaWriteContext(graph: () => MetaGraph, settings: Settings) {
  const currencies = new Map<string, string>();
  const ctx = (what: string, budgetWrite = false) => ({
    what,
    budgetWrite,
    timeoutMs: settings.META_REQUEST_TIMEOUT,
    minWaitMs: settings.META_RATE_LIMIT_MIN_WAIT,
  });
  async function currencyOf(accountId: string): Promise<string> {
    let currency = currencies.get(accountId);
    if (!currency) {
      currency = (await readAccount(graph(), settings, accountId)).currency;
      currencies.set(accountId, currency);
    }
    return currency;
  }
  return { ctx, currencyOf };
}
