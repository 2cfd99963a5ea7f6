import type { Finding, Notice, Severity, ToolError } from './types.js';
import { SEVERITY_RANK } from './types.js';
import type { FailOn } from '../config/config.js';

/** The JSON report (`--format json`); its schema is schemas/report.schema.json. */
export interface Report {
  version: 1;
  summary: Record<Severity, number> & { suppressed: number };
  findings: Finding[];
  errors: ToolError[];
  notices: Notice[];
  stats: {
    files: number;
    apiCalls: number;
    apiCallsByOperation?: Record<string, number>;
    durationMs: number;
  };
}

export function summarize(findings: Finding[]): Report['summary'] {
  const summary = { error: 0, warning: 0, notice: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressed) summary.suppressed++;
    else summary[f.severity]++;
  }
  return summary;
}

/** 2 for any tool error; 1 when an unsuppressed finding is at or above `failOn`; else 0. */
export function exitCode(report: Report, failOn: FailOn): 0 | 1 | 2 {
  if (report.errors.length > 0) return 2;
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  return report.findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
