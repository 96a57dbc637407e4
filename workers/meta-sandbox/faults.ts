/**
 * Failures the sandbox can be told to give, shaped as Meta gives them: a Graph error body
 * `{error: {message, type, code, error_subcode, fbtrace_id}}` and, for rate limits, the usage
 * headers whose `estimated_time_to_regain_access` (minutes) says when to come back.
 */
export interface RequestInfo {
  method: string;
  /** Without the version: `/act_1001/campaigns`, `/120210000000001`. */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

export type Fault =
  | {
      kind: 'graph_error';
      status: number;
      code: number;
      subcode?: number;
      type: string;
      message: string;
      userMessage?: string;
      headers?: Record<string, string>;
    }
  | { kind: 'server_error'; status: number }
  | { kind: 'slow'; ms: number }
  /** The request is carried out at once, but its answer waits: a caller that gives up first never learns it landed. */
  | { kind: 'slow_answer'; ms: number }
  /**
   * On a request about an asynchronous insights job: the job fails ("Job Failed"); the request is answered as
   * usual.
   */
  | { kind: 'job_failed' };

export interface FaultRule {
  when: (request: RequestInfo) => boolean;
  fault: Fault;
  /** How many matching requests get it (then the rule is spent). */
  times: number;
}

function bucUsage(minutes: number): string {
  return JSON.stringify({
    '1029384756': [
      {
        type: 'ads_management',
        call_count: 100,
        total_cputime: 35,
        total_time: 41,
        estimated_time_to_regain_access: minutes,
      },
    ],
  });
}

function accountUsage(minutes: number): string {
  return JSON.stringify({
    acc_id_util_pct: 100,
    reset_time_duration: minutes * 60,
    estimated_time_to_regain_access: minutes,
    ads_api_access_tier: 'standard_access',
  });
}

export type RateLimitCode = 4 | 17 | 613 | 80004;

const RATE_LIMITS: Record<RateLimitCode, { message: string; subcode?: number }> = {
  4: { message: 'Application request limit reached', subcode: 1504022 },
  17: { message: 'User request limit reached', subcode: 2446079 },
  613: { message: 'Calls to this api have exceeded the rate limit.', subcode: 1487742 },
  80004: { message: 'There have been too many calls to this ad-account. Wait a bit and try again.' },
};

export const faults = {
  /** A throttling answer carrying both usage headers, each saying `minutes` until access returns. */
  rateLimit(code: RateLimitCode, minutes: number): Fault {
    const { message, subcode } = RATE_LIMITS[code];
    return {
      kind: 'graph_error',
      status: 400,
      code,
      subcode,
      type: 'OAuthException',
      message: `(#${code}) ${message}`,
      headers: { 'X-Business-Use-Case-Usage': bucUsage(minutes), 'X-Ad-Account-Usage': accountUsage(minutes) },
    };
  },
  serverError(status = 500): Fault {
    return { kind: 'server_error', status };
  },
  slow(ms: number): Fault {
    return { kind: 'slow', ms };
  },
  slowAnswer(ms: number): Fault {
    return { kind: 'slow_answer', ms };
  },
  jobFailed(): Fault {
    return { kind: 'job_failed' };
  },
  expiredToken(): Fault {
    return {
      kind: 'graph_error',
      status: 400,
      code: 190,
      subcode: 463,
      type: 'OAuthException',
      message: 'Error validating access token: Session has expired on Sunday, 12-Oct-25 10:00:00 PDT.',
    };
  },
  missingPermission(): Fault {
    return {
      kind: 'graph_error',
      status: 403,
      code: 200,
      type: 'OAuthException',
      message: '(#200) Requires ads_management permission to manage the object',
    };
  },
  budgetTooLow(): Fault {
    return {
      kind: 'graph_error',
      status: 400,
      code: 100,
      type: 'OAuthException',
      message: 'Invalid parameter',
      userMessage: 'Your budget is too low. The minimum budget for this campaign is $1.00.',
    };
  },
  budgetTooFrequent(): Fault {
    return {
      kind: 'graph_error',
      status: 400,
      code: 17,
      type: 'OAuthException',
      message: '(#17) User request limit reached',
      userMessage: 'This ad set has had too many budget changes in the last hour. Try again later.',
      headers: { 'X-Business-Use-Case-Usage': bucUsage(60) },
    };
  },
};

/** Matchers for the usual targets. */
export const on = {
  any: () => true,
  get: (pathPattern: RegExp) => (r: RequestInfo) => r.method === 'GET' && pathPattern.test(r.path),
  post: (pathPattern: RegExp) => (r: RequestInfo) => r.method === 'POST' && pathPattern.test(r.path),
  /** The page of an edge that starts after `cursor` (undefined: the first page). */
  page: (pathPattern: RegExp, cursor: string | undefined) => (r: RequestInfo) =>
    r.method === 'GET' && pathPattern.test(r.path) && r.query.after === cursor,
};

export class FaultQueue {
  private rules: FaultRule[] = [];

  add(when: FaultRule['when'], fault: Fault, times = 1): void {
    this.rules.push({ when, fault, times });
  }

  /** The faults for this request, in the order added, each rule used up once. */
  take(request: RequestInfo): Fault[] {
    const hit: Fault[] = [];
    for (const rule of this.rules) {
      if (rule.times > 0 && rule.when(request)) {
        rule.times--;
        hit.push(rule.fault);
        if (rule.fault.kind !== 'slow' && rule.fault.kind !== 'slow_answer') break;
      }
    }
    this.rules = this.rules.filter((r) => r.times > 0);
    return hit;
  }

  clear(): void {
    this.rules = [];
  }
}
