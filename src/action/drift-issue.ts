import type { Octokit } from '@octokit/rest';
import type { Report } from '../findings/report.js';
import { COMMENT_LIMIT_CHARS, renderComment, retryTooLong } from './comment.js';
import type { GitHubContext } from './github.js';
import { DRIFT_RULES } from './outcome.js';

/** The label the drift issue carries; with the marker, it finds the issue again. */
export const DRIFT_LABEL = 'idc-guard-drift';

/**
 * The hidden marker of the drift issue for one instance (its ARN, or the identity store ID). The key comes from
 * inputs or AWS, so only characters that cannot end an HTML comment are kept.
 */
export function driftMarker(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9:/._-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- idc-guard:drift ${safe || 'default'} -->`;
}

export type DriftIssueOutcome =
  | { action: 'created'; number: number }
  | { action: 'updated'; number: number }
  | { action: 'closed'; number: number }
  /** No drift found, but the live state was not all read (tool errors): the open issue is left as it is. */
  | { action: 'kept'; number: number }
  | { action: 'none' };

export interface DriftIssueInput {
  report: Report;
  drift: boolean;
  /** The instance ARN or identity store ID the issue is about. */
  key: string;
  runUrl?: string;
  pathPrefix?: string;
  /** "today", for the closing comment; the clock unless given. */
  now?: Date;
}

/** The issue's body: the drift findings, escaped and under GitHub's limit, under the marker. */
export function renderDriftIssue(input: DriftIssueInput, limit = COMMENT_LIMIT_CHARS): string {
  const findings = input.report.findings.filter((f) => DRIFT_RULES.has(f.ruleId));
  const report = { ...input.report, findings };
  return renderComment({
    report,
    runUrl: input.runUrl,
    marker: driftMarker(input.key),
    pathPrefix: input.pathPrefix,
    limit,
    title: 'idc-guard: live state differs from the declarations',
  }).body;
}

/**
 * Keeps exactly one open drift issue true: created (with the label) when drift appears, its body updated while
 * drift lasts, closed with a comment when it is gone (not when the check is incomplete: no drift found is then
 * no proof there is none). Throws on a GitHub fault (the caller warns).
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
      body: `No drift as of ${date}.${input.runUrl ? ` ([the workflow run](${encodeURI(input.runUrl)}))` : ''}`,
    });
    await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed' });
    return { action: 'closed', number: issue.number };
  }

  const body = renderDriftIssue(input);
  const smaller = () => renderDriftIssue(input, Math.floor(COMMENT_LIMIT_CHARS / 2));
  if (issue) {
    if (issue.body !== body) {
      await retryTooLong(
        (text) => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body: text }),
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
        title: 'idc-guard: Identity Center drift',
        body: text,
        labels: [DRIFT_LABEL],
      }),
    body,
    smaller,
  );
  return { action: 'created', number: created.data.number };
}
