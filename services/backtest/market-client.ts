import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { splitArgv } from '../../lib/backtest/argv';
import {
  MarketProtocolError,
  marketRequestSchema,
  parseReply,
  requestLabel,
  type MarketRequest,
  type ReplyTo,
} from '../../lib/backtest/protocol';
import { BuiltinMarket } from '../../lib/simulator';

/** A market the backtest talks to: one reply per request, in order. */
export interface MarketClient {
  /** What the page and the JSON call it: `built-in` or the command. */
  readonly name: string;
  request<R extends MarketRequest>(request: R): Promise<ReplyTo<R>>;
  close(): Promise<void>;
}

/** The default seconds a market has to answer one request. */
export const DEFAULT_MARKET_TIMEOUT_MS = 60_000;

/**
 * The built-in simulator in this process, through the same messages as a child's: each request
 * and reply is written as its JSON line and parsed back with the protocol's schemas, so the
 * in-process run exercises what `--market-cmd "scaleflow market"` does, minus the pipe.
 */
export class InProcessMarket implements MarketClient {
  readonly name = 'built-in';
  constructor(readonly builtin: BuiltinMarket) {}

  async request<R extends MarketRequest>(request: R): Promise<ReplyTo<R>> {
    const sent = marketRequestSchema.parse(JSON.parse(JSON.stringify(request))) as R;
    return parseReply(request, JSON.stringify(this.builtin.handle(sent)));
  }

  async close(): Promise<void> {}
}

/**
 * A market run as a child process, argv split without a shell (lib/backtest/argv.ts): requests go
 * to its stdin, one JSON line each; each stdout line is the next reply; its stderr passes through
 * to ours. A reply that is not JSON, lacks a field, or does not come within `timeoutMs`, or a
 * child that exits, stops the backtest with a MarketProtocolError naming the request.
 */
export class ChildMarket implements MarketClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private exited: string | null = null;

  constructor(
    readonly name: string,
    private readonly timeoutMs = DEFAULT_MARKET_TIMEOUT_MS,
  ) {
    const [command, ...args] = splitArgv(name);
    if (!command) throw new MarketProtocolError('market: --market-cmd is empty');
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.pipe(process.stderr, { end: false });
    this.child.stdin.on('error', () => undefined);
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => {
      if (this.waiting) this.settle(line);
      else this.queue.push(line);
    });
    const gone = (why: string) => {
      this.exited ??= why;
      this.settle(null);
    };
    this.child.on('error', (err) => gone(`could not start: ${err.message}`));
    this.child.on('close', (code, signal) => gone(`exited (${signal ?? `code ${code}`})`));
  }

  private settle(line: string | null): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(line);
  }

  async request<R extends MarketRequest>(request: R): Promise<ReplyTo<R>> {
    const label = requestLabel(request);
    if (this.exited === null) this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const line =
      this.queue.shift() ??
      (this.exited !== null
        ? null
        : await new Promise<string | null | 'timeout'>((resolve) => {
            const timer = setTimeout(() => {
              this.waiting = null;
              resolve('timeout');
            }, this.timeoutMs);
            this.waiting = (l) => {
              clearTimeout(timer);
              resolve(l);
            };
          }));
    if (line === 'timeout')
      throw new MarketProtocolError(`market: no reply to ${label} within ${this.timeoutMs / 1000} s (${this.name})`);
    if (line === null) throw new MarketProtocolError(`market: no reply to ${label}: the market ${this.exited}`);
    return parseReply(request, line);
  }

  async close(): Promise<void> {
    this.lines.close();
    if (this.exited !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
