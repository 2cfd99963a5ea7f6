import { Octokit } from '@octokit/rest';
import { readFileSync } from 'node:fs';
import type { CheckResult } from '../engine.js';
import type { AccessDiff } from '../pull-request/access-diff.js';
import { COMMENT_LIMIT_CHARS, renderComment, upsertComment } from './comment.js';
import { maintainDriftIssue } from './drift-issue.js';
import type { ActionInputs } from './inputs.js';

/** Where the Action runs on GitHub, from the runner's environment. */
export interface GitHubContext {
  owner: string;
  repo: string;
  /** Octokit's base URL (GITHUB_API_URL; GitHub Enterprise Server has its own). */
  apiUrl: string;
  /** A link to this workflow run, when the runner says which one. */
  runUrl?: string;
  /** Set on a pull_request (or pull_request_target) event. */
  pullRequest?: PullRequestContext;
}

export interface PullRequestContext {
  number: number;
  baseSha: string;
  /** The head is in another repository: its GITHUB_TOKEN is read-only, so a comment will be refused (403). */
  fromFork: boolean;
  /** `pull_request` or `pull_request_target` (GITHUB_EVENT_NAME); only the latter has a writable token on a fork. */
  eventName?: string;
  /**
   * The label whose adding triggered this run (`labeled`). Only that accepts the suppressions a PR adds: a label
   * left on the PR would also cover commits pushed after it, and a re-opened PR or another label's event.
   */
  labelAdded?: string;
  /** The repository is public (or its visibility unknown): live member names stay out of what is posted. */
  publicRepository: boolean;
}

/** The context from GITHUB_REPOSITORY, GITHUB_EVENT_PATH and friends; undefined off a runner. */
export function githubContext(env: NodeJS.ProcessEnv): GitHubContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return {
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl: env.GITHUB_RUN_ID ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    pullRequest: pullRequestOf(env.GITHUB_EVENT_PATH, env.GITHUB_EVENT_NAME),
  };
}

interface PullRequestPayload {
  action?: string;
  label?: { name?: unknown };
  repository?: { private?: boolean; visibility?: string };
  pull_request?: {
    number?: number;
    base?: { sha?: string; repo?: { full_name?: string } };
    head?: { repo?: { full_name?: string } | null };
  };
}

function pullRequestOf(
  eventPath: string | undefined,
  eventName: string | undefined,
): PullRequestContext | undefined {
  if (!eventPath) return undefined;
  let payload: PullRequestPayload;
  try {
    payload = JSON.parse(readFileSync(eventPath, 'utf8')) as PullRequestPayload;
  } catch {
    return undefined;
  }
  const pr = payload?.pull_request;
  if (!pr || typeof pr.number !== 'number' || typeof pr.base?.sha !== 'string') return undefined;
  const base = pr.base.repo?.full_name;
  const head = pr.head?.repo?.full_name;
  // A deleted head repository (null) is a fork too: either way the token cannot write.
  return {
    number: pr.number,
    baseSha: pr.base.sha,
    fromFork: !head || (base !== undefined && head !== base),
    eventName,
    ...(payload.action === 'labeled' && typeof payload.label?.name === 'string'
      ? { labelAdded: payload.label.name }
      : {}),
    publicRepository: payload.repository?.private !== true,
  };
}

/**
 * A `pull_request` run from a fork gets a read-only GITHUB_TOKEN, so a comment would only be refused: say so
 * up front instead of asking. `pull_request_target` runs with the base repository's token and may post.
 */
function readOnlyForkToken(pullRequest: PullRequestContext): boolean {
  return pullRequest.fromFork && pullRequest.eventName === 'pull_request';
}

/** How long one request to GitHub may take: the report is done, so a slow API must not hold the job. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** An Octokit for the `github-token` input: no retries (faults are reported once, not hidden), a short timeout. */
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

/** The HTTP status GitHub answered a failed request with; 0 when it did not answer (a timeout, a network fault). */
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

/** What publishing to GitHub did, for run() to log: info lines, and at most one warning. */
export interface PublishOutcome {
  info: string[];
  warning?: string;
}

export interface PublishInput {
  result: CheckResult;
  inputs: ActionInputs;
  workspace: string;
  env: NodeJS.ProcessEnv;
  drift: boolean;
  /** The access diff, when run() already computed it for the job summary. */
  access?: AccessChanges;
  /** How long one request may take (REQUEST_TIMEOUT_MS unless given). */
  timeoutMs?: number;
}

/** What a PR grants and takes away, or why that could not be worked out. */
export interface AccessChanges {
  diff?: AccessDiff;
  diffUnavailable?: string;
}

/**
 * The GitHub side of a run, after the report: in check mode on a PR, the sticky comment with the access diff;
 * in drift mode, the drift issue. Never throws and never changes the check's result: a fault becomes one warning.
 */
export async function publishToGitHub(input: PublishInput): Promise<PublishOutcome> {
  const { inputs, env } = input;
  const wantsComment = inputs.mode === 'check' && inputs.comment;
  const wantsIssue = inputs.mode === 'drift' && inputs.driftIssue;
  if (!wantsComment && !wantsIssue) return { info: [] };
  const context = githubContext(env);
  if (!context) return { info: ['not on GitHub (GITHUB_REPOSITORY is not set): nothing posted'] };
  if (wantsComment && !context.pullRequest) return { info: ['not a pull_request event: no PR comment'] };
  const what = wantsComment ? `the PR comment on #${context.pullRequest!.number}` : 'the drift issue';
  if (!inputs.githubToken) {
    return {
      info: [],
      warning: `idc-guard did not post ${what}: no github-token; the job summary has everything`,
    };
  }
  if (wantsComment && readOnlyForkToken(context.pullRequest!)) {
    return {
      info: [],
      warning: `idc-guard did not post ${what}: a pull_request run from a fork gets a read-only token; the job summary has everything`,
    };
  }
  const octokit = makeOctokit(inputs.githubToken, context, input.timeoutMs);
  try {
    return wantsComment
      ? await publishComment(octokit, context, input)
      : await publishDriftIssue(octokit, context, input);
  } catch (err) {
    const fork = context.pullRequest?.fromFork && wantsComment ? ' (a fork PR)' : '';
    return {
      info: [],
      warning: `idc-guard could not post ${what}${fork}: ${describeFault(err)}; the job summary has everything`,
    };
  }
}

async function publishComment(
  octokit: Octokit,
  context: GitHubContext,
  { result, inputs, access }: PublishInput,
): Promise<PublishOutcome> {
  const { diff, diffUnavailable } = access ?? {};
  const render = (limit?: number) =>
    renderComment({
      report: result.report,
      diff,
      diffUnavailable,
      runUrl: context.runUrl,
      pathPrefix: inputs.pathPrefix,
      limit,
      verdict: { failOn: result.failOn, exitCode: result.exitCode },
    });
  const rendered = render();
  const outcome = await upsertComment(octokit, context, rendered.body, {
    hasSomethingToSay: rendered.hasSomethingToSay,
    smaller: () => render(Math.floor(COMMENT_LIMIT_CHARS / 2)).body,
  });
  const info = [`PR comment: ${outcome === 'none' ? 'nothing to say, none posted' : outcome}`];
  if (rendered.cut > 0)
    info.push(`the PR comment leaves out ${rendered.cut} entries to stay under 65,536 characters`);
  return { info };
}

async function publishDriftIssue(
  octokit: Octokit,
  context: GitHubContext,
  { result, inputs, drift }: PublishInput,
): Promise<PublishOutcome> {
  const key = inputs.instanceArn || inputs.identityStoreId || result.model.instance?.instanceArn || 'default';
  const outcome = await maintainDriftIssue(octokit, context, {
    report: result.report,
    drift,
    key,
    runUrl: context.runUrl,
    pathPrefix: inputs.pathPrefix,
    now: inputs.now,
  });
  return {
    info: [
      `drift issue: ${outcome.action === 'none' ? 'none open, none needed' : outcome.action === 'kept' ? `kept #${outcome.number} open: the check is incomplete` : `${outcome.action} #${outcome.number}`}`,
    ],
  };
}
