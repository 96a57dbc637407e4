import type { RequestInfo } from './faults';

/**
 * Graph API batch requests: POST to the Graph root with `batch=[{method, relative_url, body}]`
 * (at most 50), answered with one `{code, headers: [{name, value}], body}` per item, in order,
 * `body` being the item's JSON as a string. Each item is its own call: its own faults, quota and
 * errors, so one failing item leaves the others answered.
 */
export const MAX_BATCH = 50;

interface BatchItem {
  method: string;
  relative_url: string;
  body?: string;
}

export interface BatchItemAnswer {
  code: number;
  headers: { name: string; value: string }[];
  body: string;
}

/** The items of a `batch` parameter (a JSON string in a form, or the array in a JSON body), or why not. */
export function parseBatch(value: unknown): BatchItem[] | string {
  let items: unknown = value;
  if (typeof value === 'string') {
    try {
      items = JSON.parse(value);
    } catch {
      return '(#100) param batch must be a JSON array';
    }
  }
  if (!Array.isArray(items)) return '(#100) param batch must be a JSON array';
  if (items.length > MAX_BATCH) return `(#100) Too many requests in batch message. Maximum batch size is ${MAX_BATCH}`;
  for (const item of items) {
    if (!item || typeof item !== 'object' || typeof item.method !== 'string' || typeof item.relative_url !== 'string') {
      return '(#100) each batch item needs a method and a relative_url';
    }
  }
  return items as BatchItem[];
}

/** One item as the request it stands for; a version in its relative_url wins over the batch's. */
export function itemRequest(item: BatchItem, batchVersion: string): { request: RequestInfo; version: string } {
  const url = new URL(item.relative_url.replace(/^\/+/, ''), 'http://batch/');
  const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
  return {
    version: match?.[1] ?? batchVersion,
    request: {
      method: item.method.toUpperCase(),
      path: match?.[2] ?? url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: item.body ? Object.fromEntries(new URLSearchParams(item.body)) : {},
    },
  };
}

export function itemAnswer(status: number, body: unknown, headers: Record<string, string>): BatchItemAnswer {
  return {
    code: status,
    headers: [
      { name: 'Content-Type', value: 'text/javascript; charset=UTF-8' },
      ...Object.entries(headers).map(([name, value]) => ({ name, value })),
    ],
    body: JSON.stringify(body),
  };
}
