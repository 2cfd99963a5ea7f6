import type { Report } from '../findings/report.js';
import { COMMENT_LIMIT_CHARS, renderComment } from './comment.js';
import { DRIFT_RULES } from './outcome.js';

/** The label the drift issue carries; with the marker, it finds the issue again. */
export const DRIFT_LABEL = 'idc-guard-drift';

/**
 * The hidden marker of the drift issue for one instance (its ARN, or the identity store ID). The key comes
 * from inputs or AWS, so only characters that cannot end an HTML comment are kept.
 */
export function driftMarker(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9:/._-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- idc-guard:drift ${safe || 'default'} -->`;
}

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
