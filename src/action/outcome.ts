import type { FailOn } from '../config/config.js';
import type { Report } from '../findings/report.js';
import { decidesVerdict, SEVERITY_RANK, type Finding } from '../findings/types.js';
import { DRIFT_RULES } from '../rules/catalogue.js';
import { plural } from '../report/text.js';

export { DRIFT_RULES };

/** The findings that decide the verdict at or above `failOn`: those that fail the step. */
export function failingFindings(report: Report, failOn: FailOn): Finding[] {
  if (failOn === 'never') return [];
  const scope = report.pullRequest?.failOnScope;
  return report.findings.filter(
    (f) => decidesVerdict(f, scope) && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn],
  );
}

/** Drift is claimed only in drift mode, where all assignments were read; a suppressed one is no drift. */
export function driftDetected(report: Report, mode: 'check' | 'drift'): boolean {
  return mode === 'drift' && report.findings.some((f) => !f.suppressed && DRIFT_RULES.has(f.ruleId));
}

/** Why the step fails, in one line (not yet escaped), or undefined when it passes. */
export function failureReason(report: Report, failOn: FailOn, exitCode: 0 | 1 | 2): string | undefined {
  if (exitCode === 2) {
    const more =
      report.errors.length > 1 ? ` (and ${plural(report.errors.length - 1, 'more tool error')})` : '';
    return `idc-guard could not complete the check: ${report.errors[0]?.message ?? 'a tool error'}${more}`;
  }
  if (exitCode === 1) {
    const count = failingFindings(report, failOn).length;
    return (
      `idc-guard: ${plural(count, 'finding')} at or above fail-on "${failOn}"; ` +
      `see the annotations and the job summary`
    );
  }
  return undefined;
}

/** The verdict in one line, first in the job summary and the PR comment. */
export function verdictLine(report: Report, failOn: FailOn, exitCode: 0 | 1 | 2): string {
  const threshold = `\`fail-on: ${failOn}\``;
  const pr = report.pullRequest;
  // The findings that decide a PR's verdict, as its fail-on-scope says.
  const judged = pr?.failOnScope === 'all' ? 'in the repository' : 'that this change introduces';
  if (exitCode === 2) {
    return (
      `⚠️ **Incomplete**: ${plural(report.errors.length, 'tool error')}, ` +
      `so part of the check could not run; the step fails.`
    );
  }
  if (exitCode === 1) {
    const count = failingFindings(report, failOn).length;
    return pr
      ? `❌ **Do not merge yet**: ${plural(count, 'finding')} ${judged} ` +
          `${count === 1 ? 'is' : 'are'} at or above ${threshold}.`
      : `❌ **Failed**: ${plural(count, 'finding')} at or above ${threshold}.`;
  }
  if (failOn === 'never') return `✅ **Passed**: ${threshold}, so findings are reported but fail nothing.`;
  return pr
    ? `✅ **May merge**: nothing ${judged} is at or above ${threshold}.`
    : `✅ **Passed**: nothing at or above ${threshold}.`;
}
