import type { ZodError } from 'zod';

/** An error the HTTP layer turns into a JSON (or HTML) answer with this status, never a stack trace. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Where a route's declared input came from. */
export type InputPlace = 'query' | 'body' | 'path';

/** A 400 that names the first bad field, what was wrong, and the allowed values when there is a list. */
export function badRequest(error: ZodError, where: InputPlace): HttpError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(root)';
  const allowed = 'values' in issue && Array.isArray(issue.values) ? issue.values.map(String) : undefined;
  const message = allowed
    ? `${where} parameter "${field}" must be one of: ${allowed.join(', ')}`
    : `${where} parameter "${field}": ${issue.message}`;
  return new HttpError(400, 'invalid_request', message, { field, ...(allowed ? { allowed } : {}) });
}
