/**
 * Client-side limits for reading Identity Center: a token bucket (requests per second, burst = rate) shared
 * by the Identity Store and SSO Admin clients, a small semaphore that bounds concurrent calls, and
 * per-operation call counting.
 *
 * The bucket and the counter are SDK middleware placed right after the retry middleware, so they apply to
 * every attempt, retries included: a retried call waits for a token again and is counted again. That is
 * what Identity Center's account-wide limit (about 20 requests a second) sees.
 */

import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { FinalizeRequestMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';

/** The clients that {@link CallLimiter.attach} knows. */
export type LimitedClient = IdentitystoreClient | SSOAdminClient | OrganizationsClient | AccessAnalyzerClient;

/**
 * A token bucket that refills at `rate` tokens a second and holds a quarter of that (at least one). Identity
 * Center's own bucket is as large as its rate; a burst as large as the server's, plus the jitter of arrival,
 * gets the odd request throttled (measured: 1-2 a run at 20/s), so ours keeps three quarters of a second's
 * slack. Waiters are served in arrival order: each acquisition reserves a token, possibly one that has not
 * been refilled yet, and sleeps until it exists.
 */
export class TokenBucket {
  readonly rate: number;
  readonly capacity: number;
  private tokens: number;
  private stamp: number;

  constructor(
    rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new Error(`requests per second must be a positive number, not ${rate}`);
    this.rate = rate;
    this.capacity = Math.max(Math.floor(rate / 4), 1);
    this.tokens = this.capacity;
    this.stamp = this.now();
  }

  /** Milliseconds to wait before the request that takes the next token may be sent (0: at once). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.stamp) / 1000) * this.rate);
    this.stamp = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    // Timers fire on whole milliseconds and may round down: never send before the token exists.
    if (wait > 0) await sleep(Math.ceil(wait) + 1);
  }
}

/** A counting semaphore with a FIFO queue. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1) || !Number.isInteger(limit))
      throw new Error(`concurrency must be a positive integer, not ${limit}`);
  }

  /** Tasks waiting for a slot: work the read has already asked for. */
  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

export interface CallLimiterOptions {
  /** Requests a second across every attached client; 0 or Infinity turns the bucket off. */
  requestsPerSecond: number;
  /** Calls in flight at once (each call with its retries). */
  concurrency: number;
  /** Told after each attempt is counted, with the calls still waiting to start (a CLI's progress line). */
  onCall?: (waiting: number) => void;
}

/** One limiter per read, attached to both clients. */
export class CallLimiter {
  readonly bucket: TokenBucket | undefined;
  readonly semaphore: Semaphore;
  private readonly counts = new Map<string, number>();
  private readonly onCall: ((waiting: number) => void) | undefined;

  constructor(options: CallLimiterOptions) {
    this.onCall = options.onCall;
    const rps = options.requestsPerSecond;
    this.bucket = rps > 0 && Number.isFinite(rps) ? new TokenBucket(rps) : undefined;
    this.semaphore = new Semaphore(options.concurrency);
  }

  /**
   * Adds the per-attempt middleware to an SDK client: after the retry middleware (so it runs once per
   * attempt) and before signing (so the signature is made after any wait).
   */
  attach<C extends LimitedClient>(client: C, prefix = ''): C {
    const middleware: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
      this.count(prefix + operationName(context.commandName));
      if (this.bucket) await this.bucket.take();
      return next(args);
    };
    (client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>).addRelativeTo(middleware, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'idcGuardCallLimiter',
      override: true,
    });
    return client;
  }

  /** Runs one call (all its attempts) within the concurrency bound. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.semaphore.run(call);
  }

  count(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
    this.onCall?.(this.semaphore.waiting);
  }

  /** Attempts so far, by operation, in name order. */
  calls(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

/** `ListGroupsCommand` → `ListGroups`. */
export function operationName(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
