import type { Octokit } from '@octokit/rest';
import { COMMENT_LIMIT_CHARS } from './comment.js';
import type { GitHubContext } from './context.js';
import {
  DRIFT_LABEL,
  driftIssueTitle,
  driftMarker,
  renderDriftIssue,
  type DriftIssueInput,
} from './drift-issue.js';
import { retryTooLong } from './octokit.js';

export type DriftIssueOutcome =
  | { action: 'created'; number: number }
  | { action: 'updated'; number: number }
  | { action: 'closed'; number: number }
  /** No drift found, but the live state was not all read (tool errors): the open issue is left as it is. */
  | { action: 'kept'; number: number }
  | { action: 'none' };

/**
 * Keeps exactly one open drift issue true: created (with the label) when drift appears, updated while it
 * lasts, closed with a comment when it is gone (not when the check is incomplete: no drift found is then no
 * proof there is none). Throws on a GitHub fault (the caller warns).
 */
export async function maintainDriftIssue(
  octokit: Octokit,
  context: GitHubContext,
  input: DriftIssueInput,
): Promise<DriftIssueOutcome> {
  const { owner, repo } = context;
  const marker = driftMarker(input.key);
  const open = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner,
    repo,
    labels: DRIFT_LABEL,
    state: 'open',
    per_page: 100,
  });
  const issue = open.find((i) => !i.pull_request && (i.body ?? '').includes(marker));

  if (!input.drift) {
    if (!issue) return { action: 'none' };
    if (input.report.errors.length > 0) return { action: 'kept', number: issue.number };
    const date = (input.now ?? new Date()).toISOString().slice(0, 10);
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body:
        `No drift as of ${date}.` +
        `${input.runUrl ? ` ([the workflow run](${encodeURI(input.runUrl)}))` : ''}`,
    });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed' });
    return { action: 'closed', number: issue.number };
  }

  // The open issue's first-seen dates carry over into the new body.
  const current = { ...input, previousBody: issue?.body ?? undefined };
  const body = renderDriftIssue(current);
  const smaller = () => renderDriftIssue(current, Math.floor(COMMENT_LIMIT_CHARS / 2));
  const title = driftIssueTitle(input.key);
  if (issue) {
    if (issue.body !== body || issue.title !== title) {
      await retryTooLong(
        (text) => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, title, body: text }),
        body,
        smaller,
      );
    }
    return { action: 'updated', number: issue.number };
  }
  const created = await retryTooLong(
    (text) =>
      octokit.rest.issues.create({
        owner,
        repo,
        title,
        body: text,
        labels: [DRIFT_LABEL],
      }),
    body,
    smaller,
  );
  return { action: 'created', number: created.data.number };
}
