import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installProcessLogger } from '../../services/observability/logger';
import { createMetaGraph } from '../../services/meta/graph';
import { startMetaSandbox } from '../../workers/meta-sandbox/server';
import { diag, logUnhandled, setLogFormat } from '../../workers/diagnostics';

/** The process logger, writing into a string (after setLogFormat, which installs its own on stderr). */
function capture() {
  let out = '';
  installProcessLogger(
    'INFO',
    new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    }),
  );
  return () =>
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => {
  vi.unstubAllEnvs();
  setLogFormat('text');
});

describe("the CLI's diagnostics", () => {
  it('in JSON, an error nobody handled is one line with the error serialized, the access token redacted', async () => {
    // The token the process is configured with, expired: Meta refuses it, and the SDK's error keeps
    // the request URL, which carries the token in its query string.
    const token = 'EAAB-expired-token-0123456789abcdef';
    vi.stubEnv('META_ACCESS_TOKEN', token);
    const sandbox = await startMetaSandbox({ token: 'the-token-meta-accepts-today' });
    sandbox.state.addAccount('act_1001', { currency: 'USD' });
    let thrown: unknown;
    try {
      const graph = createMetaGraph({
        META_ACCESS_TOKEN: token,
        META_GRAPH_URL: sandbox.url,
        META_API_VERSION: 'v23.0',
      });
      await graph.account('act_1001').read(['name']);
    } catch (err) {
      thrown = err;
    } finally {
      await sandbox.close();
    }
    expect((thrown as { url?: string }).url).toContain(token);

    setLogFormat('json');
    const lines = capture();
    expect(logUnhandled(thrown)).toBe(true);
    const [line] = lines();
    const err = line!.err as Record<string, unknown>;
    expect(line!.level).toBe('error');
    expect(err.type).toBe('FacebookRequestError');
    expect(String(line!.msg)).toMatch(/^scaleflow: Invalid OAuth access token/);
    expect(err.url).toMatch(/access_token=\[Redacted\]/);
    expect(JSON.stringify(line)).not.toContain(token);
  });

  it('in text, leaves an unhandled error to Node and writes messages as they always were', () => {
    setLogFormat('text');
    const lines = capture();
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(logUnhandled(new Error('boom'))).toBe(false);
      diag.warn('rules/a.yaml: warning: x', { file: 'rules/a.yaml' });
      expect(printed.mock.calls).toEqual([['rules/a.yaml: warning: x']]);
    } finally {
      printed.mockRestore();
    }
    expect(lines()).toEqual([]);
  });

  it('in JSON, a message is a line at its level with its fields', () => {
    setLogFormat('json');
    const lines = capture();
    diag.warn('rules/a.yaml: warning: x', { file: 'rules/a.yaml' });
    expect(lines()).toMatchObject([{ level: 'warn', msg: 'rules/a.yaml: warning: x', file: 'rules/a.yaml' }]);
  });
});
