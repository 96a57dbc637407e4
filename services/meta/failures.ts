import { ApplicationFailure } from '@temporalio/activity';
import { classifyMetaError, type MetaErrorInfo } from '../../lib/meta/errors';

/**
 * Turns what the SDK threw into the Temporal failure ops and the retry policy act on. The names
 * MetaAuthError, MetaPermissionError and MetaBudgetRejected are the non-retryable types the
 * workflows list; a rate limit is retried after the wait Meta's usage headers give.
 */
interface SdkRequestError {
  name: 'FacebookRequestError';
  status: number | null;
  message: string;
  response: {
    code?: number;
    error_subcode?: number;
    message?: string;
    error_user_msg?: string;
    fbtrace_id?: string;
  } | null;
  headers: Record<string, string> | { toJSON(): Record<string, string> } | null;
}

function isSdkRequestError(err: unknown): err is SdkRequestError {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'FacebookRequestError';
}

export class MetaTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`Meta did not answer ${what} within ${ms / 1000} s (META_REQUEST_TIMEOUT)`);
    this.name = 'MetaTimeoutError';
  }
}

export function errorInfo(err: SdkRequestError): MetaErrorInfo {
  const raw =
    err.headers && 'toJSON' in err.headers && typeof err.headers.toJSON === 'function'
      ? err.headers.toJSON()
      : (err.headers ?? {});
  const headers = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
  );
  return {
    status: err.status ?? null,
    code: err.response?.code,
    subcode: err.response?.error_subcode,
    message: err.response?.message ?? err.message,
    userMessage: err.response?.error_user_msg,
    fbtraceId: err.response?.fbtrace_id,
    headers,
  };
}

export interface FailureContext {
  /** What was being done, for the message: "reading campaigns of act_1001 (page after MTAw)". */
  what: string;
  budgetWrite?: boolean;
  minWaitMs: number;
}

export function toMetaFailure(err: unknown, ctx: FailureContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof MetaTimeoutError) return ApplicationFailure.retryable(err.message, 'MetaTimeout');
  if (!isSdkRequestError(err))
    return ApplicationFailure.retryable(`${ctx.what}: ${(err as Error)?.message ?? String(err)}`, 'MetaUnavailable');

  const info = errorInfo(err);
  const said = `Meta answered ${info.status ?? 'nothing'}${info.code !== undefined ? ` code ${info.code}` : ''}${info.subcode ? `/${info.subcode}` : ''}: ${info.message}${info.userMessage ? ` (${info.userMessage})` : ''}`;
  const details = [{ status: info.status, code: info.code, subcode: info.subcode, fbtrace_id: info.fbtraceId }];
  const verdict = classifyMetaError(info, { budgetWrite: ctx.budgetWrite, minWaitMs: ctx.minWaitMs });
  switch (verdict.kind) {
    case 'auth':
      return ApplicationFailure.nonRetryable(
        `Meta refused the access token while ${ctx.what}. ${said}. Ops: issue a new system-user token with ads_read and ads_management, set META_ACCESS_TOKEN and restart the worker; the sync stays failed until then.`,
        'MetaAuthError',
        ...details,
      );
    case 'permission':
      return ApplicationFailure.nonRetryable(
        `The token in META_ACCESS_TOKEN may not do this: ${ctx.what}. ${said}. Ops: give the system user access to the ad account (ads_management) in Business Settings.`,
        'MetaPermissionError',
        ...details,
      );
    case 'budget_rejected':
      return ApplicationFailure.nonRetryable(
        `Meta refused the budget while ${ctx.what}. ${said}`,
        'MetaBudgetRejected',
        ...details,
      );
    case 'rate_limited':
      return ApplicationFailure.create({
        type: 'MetaRateLimited',
        message: `Meta rate limit while ${ctx.what}; retrying in ${Math.round(verdict.retryAfterMs / 1000)} s as its usage headers say. ${said}`,
        nextRetryDelay: verdict.retryAfterMs,
        details,
      });
    case 'invalid':
      return ApplicationFailure.nonRetryable(
        `Meta rejected the request while ${ctx.what}. ${said}`,
        'MetaRequestInvalid',
        ...details,
      );
    case 'transient':
      return ApplicationFailure.retryable(
        `Meta is unavailable while ${ctx.what}. ${said}`,
        'MetaUnavailable',
        ...details,
      );
  }
}

/** One Graph call, abandoned (and so retried by Temporal) after META_REQUEST_TIMEOUT. */
export async function metaCall<T>(ctx: FailureContext & { timeoutMs: number }, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MetaTimeoutError(ctx.what, ctx.timeoutMs)), ctx.timeoutMs);
    });
    return await Promise.race([call(), timeout]);
  } catch (err) {
    throw toMetaFailure(err, ctx);
  } finally {
    clearTimeout(timer);
  }
}
