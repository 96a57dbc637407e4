/**
 * What a Graph API error means for scaleflow, decided from Meta's error code and its usage headers.
 * Pure: the activities turn the verdict into a Temporal failure.
 */
export interface MetaErrorInfo {
  /** HTTP status, or null when no answer came back. */
  status: number | null;
  code?: number;
  subcode?: number;
  message: string;
  userMessage?: string;
  fbtraceId?: string;
  headers: Record<string, string | undefined>;
}

export type MetaErrorVerdict =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'auth' }
  | { kind: 'permission' }
  | { kind: 'budget_rejected' }
  | { kind: 'invalid' }
  | { kind: 'transient' };

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const isBusinessUseCaseLimit = (code: number) => code >= 80000 && code <= 80014;
const AUTH_CODES = new Set([102, 190]);
const isPermission = (code: number) => code === 10 || code === 294 || (code >= 200 && code <= 299);

function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function header(headers: MetaErrorInfo['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const minutes = (v: unknown) => (typeof v === 'number' && v > 0 ? v * 60_000 : 0);
const seconds = (v: unknown) => (typeof v === 'number' && v > 0 ? v * 1000 : 0);

/**
 * How long Meta says to stay away, in ms: the largest `estimated_time_to_regain_access` (minutes)
 * in X-Business-Use-Case-Usage ({business: [{type, ..., estimated_time_to_regain_access}]}) and
 * X-Ad-Account-Usage (which may also give `reset_time_duration` in seconds). 0 when neither says.
 */
export function regainAccessMs(headers: MetaErrorInfo['headers']): number {
  let wait = 0;
  const buc = parseJson(header(headers, 'x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        wait = Math.max(wait, minutes((entry as Record<string, unknown>)?.estimated_time_to_regain_access));
      }
    }
  }
  const account = parseJson(header(headers, 'x-ad-account-usage')) as Record<string, unknown> | undefined;
  if (account && typeof account === 'object') {
    wait = Math.max(wait, minutes(account.estimated_time_to_regain_access), seconds(account.reset_time_duration));
  }
  return wait;
}

/**
 * The verdict on one failed call. `budgetWrite` marks a POST that changes a budget: there Meta's
 * code 100 is a refused amount (too low, too high) and code 17 is its limit of about 4 budget
 * changes per ad set per hour, both final for that proposal rather than something to wait out.
 */
export function classifyMetaError(info: MetaErrorInfo, { budgetWrite = false, minWaitMs = 0 } = {}): MetaErrorVerdict {
  const code = info.code;
  if (code !== undefined) {
    if (AUTH_CODES.has(code)) return { kind: 'auth' };
    if (isPermission(code)) return { kind: 'permission' };
    if (budgetWrite && (code === 100 || code === 17)) return { kind: 'budget_rejected' };
    if (RATE_LIMIT_CODES.has(code) || isBusinessUseCaseLimit(code)) {
      return { kind: 'rate_limited', retryAfterMs: Math.max(regainAccessMs(info.headers), minWaitMs) };
    }
    if (code === 1 || code === 2) return { kind: 'transient' };
  }
  if (info.status === null || info.status >= 500) return { kind: 'transient' };
  if (info.status === 429)
    return { kind: 'rate_limited', retryAfterMs: Math.max(regainAccessMs(info.headers), minWaitMs) };
  return { kind: 'invalid' };
}
