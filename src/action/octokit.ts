import { Octokit } from '@octokit/rest';
import type { GitHubContext } from './context.js';

/** How long one request to GitHub may take: the report is done, so a slow API must not hold the job. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** An Octokit for `github-token`: no retries (a fault is reported once, not hidden), a short timeout. */
export function makeOctokit(token: string, context: GitHubContext, timeoutMs = REQUEST_TIMEOUT_MS): Octokit {
  return new Octokit({
    auth: token || undefined,
    baseUrl: context.apiUrl,
    userAgent: 'idc-guard',
    request: {
      retries: 0,
      fetch: (url: string | URL | Request, init?: RequestInit) =>
        fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

/** The HTTP status of a failed request; 0 when GitHub did not answer (a timeout, a network fault). */
export function statusOf(err: unknown): number {
  const e = err as { status?: unknown; response?: unknown };
  // Octokit reports a request that got no answer as status 500 without a response.
  return typeof e?.status === 'number' && e.response ? e.status : 0;
}

/** A short, safe description of a failed request, for the one warning the Action gives. */
export function describeFault(err: unknown): string {
  const status = statusOf(err);
  if (status === 403) return 'the token may not write here (403: a fork PR, or missing permissions)';
  if (status === 404) return 'not found (404: the token cannot see it)';
  if (status === 422) return 'GitHub refused the content (422)';
  if (status >= 500) return `GitHub failed (${status})`;
  if (status > 0) return `GitHub answered ${status}`;
  const causes = [err, (err as { cause?: unknown })?.cause].map((e) => (e as Error)?.name);
  if (causes.includes('TimeoutError') || causes.includes('AbortError'))
    return 'GitHub did not answer in time';
  return 'GitHub could not be reached';
}

/** Sends `body`; when GitHub refuses it (422, too long) and a smaller one exists, sends that once. */
export async function retryTooLong<T>(
  send: (body: string) => Promise<T>,
  body: string,
  smaller?: () => string,
): Promise<T> {
  try {
    return await send(body);
  } catch (err) {
    if ((err as { status?: number })?.status !== 422 || !smaller) throw err;
    return send(smaller());
  }
}
