import { readFileSync } from 'node:fs';

/** Where the Action runs on GitHub, from the runner's environment. */
export interface GitHubContext {
  owner: string;
  repo: string;
  /** Octokit's base URL (GITHUB_API_URL; GitHub Enterprise Server has its own). */
  apiUrl: string;
  /** The repository's web address (GITHUB_SERVER_URL and GITHUB_REPOSITORY). */
  webUrl: string;
  /** A link to this workflow run, when the runner says which one. */
  runUrl?: string;
  /** The commit checked out (GITHUB_SHA): a pull request's head, when the event gives it, is in pullRequest. */
  sha?: string;
  /** Set on a pull_request (or pull_request_target) event. */
  pullRequest?: PullRequestContext;
}

export interface PullRequestContext {
  number: number;
  baseSha: string;
  /** The PR's head commit: what the check read, and where its findings' lines are linked. */
  headSha?: string;
  /** The head is in another repository: its GITHUB_TOKEN is read-only, so a comment will be refused (403). */
  fromFork: boolean;
  /** `pull_request` or `pull_request_target` (GITHUB_EVENT_NAME); only the latter can write from a fork. */
  eventName?: string;
  /**
   * The label whose adding triggered this run (`labeled`). Only that accepts the suppressions a PR adds: a
   * label left on the PR would also cover later commits, a re-opened PR, and another label's event.
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
    webUrl: `${server}/${owner}/${repo}`,
    ...(env.GITHUB_SHA && /^[0-9a-f]{7,64}$/.test(env.GITHUB_SHA) ? { sha: env.GITHUB_SHA } : {}),
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
    head?: { sha?: string; repo?: { full_name?: string } | null };
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
    ...(typeof pr.head?.sha === 'string' && /^[0-9a-f]{7,64}$/.test(pr.head.sha)
      ? { headSha: pr.head.sha }
      : {}),
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
export function readOnlyForkToken(pullRequest: PullRequestContext): boolean {
  return pullRequest.fromFork && pullRequest.eventName === 'pull_request';
}
