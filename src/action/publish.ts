import type { Octokit } from '@octokit/rest';
import type { CheckResult } from '../engine.js';
import { COMMENT_LIMIT_CHARS, renderComment, type AccessChanges, type Checked } from './comment.js';
import { githubContext, readOnlyForkToken, type GitHubContext } from './context.js';
import type { ActionInputs } from './inputs.js';
import { maintainDriftIssue, type DriftIssueOutcome } from './maintain-drift-issue.js';
import { describeFault, makeOctokit } from './octokit.js';
import { upsertComment } from './sticky-comment.js';

/** What publishing to GitHub did, for run() to log: info lines, and at most one warning. */
export interface PublishOutcome {
  info: string[];
  warning?: string;
}

export interface PublishInput {
  result: CheckResult;
  inputs: ActionInputs;
  env: NodeJS.ProcessEnv;
  drift: boolean;
  /** A PR check's access changes, the same the job summary shows; none outside a PR check. */
  access?: AccessChanges;
  /** How long one request may take (REQUEST_TIMEOUT_MS unless given). */
  timeoutMs?: number;
}

/**
 * The GitHub side of a run, after the report: in check mode on a PR, the sticky comment with the access
 * diff; in drift mode, the drift issue. Never throws, never changes the result: a fault is one warning.
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
      warning:
        `idc-guard did not post ${what}: ` +
        `a pull_request run from a fork gets a read-only token; ` +
        `the job summary has everything`,
    };
  }
  const octokit = makeOctokit(inputs.githubToken, context, input.timeoutMs);
  try {
    return wantsComment
      ? await publishComment(octokit, context, input)
      : await publishDriftIssue(octokit, context, input);
  } catch (err) {
    const fork = context.pullRequest?.fromFork && wantsComment ? ' (a fork PR)' : '';
    const fault = describeFault(err);
    return {
      info: [],
      warning: `idc-guard could not post ${what}${fork}: ${fault}; the job summary has everything`,
    };
  }
}

async function publishComment(
  octokit: Octokit,
  context: GitHubContext,
  { result, inputs, access }: PublishInput,
): Promise<PublishOutcome> {
  const diff = access?.diff;
  // On a pull_request event GITHUB_SHA is a merge commit that no one can open: the PR's head is linked.
  const sha = context.pullRequest?.headSha ?? context.sha;
  const render = (limit?: number) =>
    renderComment({
      report: result.report,
      diff,
      catalogue: result.catalogue,
      links: sha ? { repositoryUrl: context.webUrl, sha, pathPrefix: inputs.pathPrefix } : undefined,
      checked: { sha, live: liveRead(result) },
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
    readAt: result.live?.readAt,
    catalogue: result.catalogue,
    links: context.sha
      ? { repositoryUrl: context.webUrl, sha: context.sha, pathPrefix: inputs.pathPrefix }
      : undefined,
    runUrl: context.runUrl,
    now: inputs.now,
  });
  return { info: [`drift issue: ${driftIssueDone(outcome)}`] };
}

/** The live state the check read, for the comment's header; none when it read none. */
function liveRead(result: CheckResult): Checked['live'] {
  const live = result.live;
  if (!live) return undefined;
  return {
    instanceArn: live.instance.instanceArn,
    readAt: live.readAt,
    snapshot: live.apiCalls && Object.keys(live.apiCalls).length === 0,
  };
}

function driftIssueDone(outcome: DriftIssueOutcome): string {
  if (outcome.action === 'none') return 'none open, none needed';
  if (outcome.action === 'kept') return `kept #${outcome.number} open: the check is incomplete`;
  return `${outcome.action} #${outcome.number}`;
}
