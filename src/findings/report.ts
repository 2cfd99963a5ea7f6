import type { FailOnScope, Finding, Notice, Severity, ToolError } from './types.js';
import { decidesVerdict, SEVERITY_RANK } from './types.js';
import type { FailOn } from '../config/config.js';

/** The JSON report (`--format json`); its schema is schemas/report.schema.json. */
export interface Report {
  version: 1;
  summary: Record<Severity, number> & { suppressed: number };
  findings: Finding[];
  errors: ToolError[];
  notices: Notice[];
  /** On a pull request: which findings decide the verdict, and how many of the base's the change resolves. */
  pullRequest?: {
    failOnScope: FailOnScope;
    resolved: number;
    /** How far a scoped live read looked ("1 group, 0 users, 2 permission sets"), when it was scoped. */
    liveScope?: string;
  };
  /** On a pull request: the inline suppressions it adds, whether each applies, and under which policy. */
  addedSuppressions?: {
    mode: 'review' | 'base-only' | 'allow';
    /** The label with which a maintainer accepts them (mode `review`). */
    acceptLabel: string;
    items: AddedSuppression[];
  };
  stats: {
    files: number;
    apiCalls: number;
    apiCallsByOperation?: Record<string, number>;
    durationMs: number;
  };
}

/**
 * An inline suppression a pull request adds: `accepted` (it applies: `suppressions: allow`, or a maintainer's
 * label), `requested` (it waits for that label) or `refused` (`suppressions: base-only`).
 */
export interface AddedSuppression {
  file: string;
  line: number;
  ruleIds: string[];
  reason: string;
  status: 'accepted' | 'requested' | 'refused';
}

export function summarize(findings: Finding[]): Report['summary'] {
  const summary = { error: 0, warning: 0, notice: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) summary.suppressed++;
    else summary[f.severity]++;
  }
  return summary;
}

/** 2 for any tool error; 1 when a finding that decides the verdict is at or above `failOn`; else 0. */
export function exitCode(report: Report, failOn: FailOn): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  const scope = report.pullRequest?.failOnScope;
  return report.findings.some((f) => decidesVerdict(f, scope) && SEVERITY_RANK[f.severity] >= threshold)
    ? 1
    : 0;
}
