/** Answers of the worker's JSON API as tests read them. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/**
 * GET and POST against a worker's JSON API with a bearer token. The address and the default token
 * are read at call time: tests start the worker and mint tokens in beforeAll.
 */
export function jsonApi(baseUrl: () => string, defaultToken: () => string) {
  const call = async <T>(path: string, init: RequestInit, token?: string): Promise<ApiAnswer<T>> => {
    const res = await fetch(`${baseUrl()}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token ?? defaultToken()}`, ...init.headers },
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    get: <T = Record<string, unknown>>(path: string, token?: string) => call<T>(path, {}, token),
    post: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>(
        path,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        token,
      ),
  };
}
