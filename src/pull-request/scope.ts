import type { CheckResult } from '../engine.js';
import type { FailOnScope, Finding, FindingScope } from '../findings/types.js';
import { exitCode, summarize } from '../findings/report.js';
import { DRIFT_RULES } from '../rules/catalogue.js';

/**
 * Which comparison each of the head's findings comes from (DESIGN.md, "Pull requests: base, head and live"),
 * matched with the base's findings by fingerprint (rule + file + entity, never the line):
 * - a drift finding (IDC105/106/107/109/110) the base has too is `baseDrift`: there before and without the PR;
 * - one only the head has is `pending`: live differs from the head because the change is not applied yet (a
 *   grant it adds is IDC105 until merged, one it removes IDC106), which is no drift;
 * - any other finding the base has is `existing`; the rest the change `introduced`.
 * The base's drift that the head no longer shows (the change fixes it) is added as `baseDrift` too, so the
 * reviewer sees every drift of the base. Then the verdict is taken again, on the findings `failOnScope` names.
 */
export function scopeFindings(head: CheckResult, base: CheckResult, failOnScope: FailOnScope): void {
  const report = head.report;
  const baseFingerprints = new Set(base.report.findings.map((f) => f.fingerprint));
  const headFingerprints = new Set(report.findings.map((f) => f.fingerprint));
  const scopeOf = (f: Finding): FindingScope => {
    const onBase = baseFingerprints.has(f.fingerprint);
    if (DRIFT_RULES.has(f.ruleId)) return onBase ? 'baseDrift' : 'pending';
    return onBase ? 'existing' : 'introduced';
  };
  for (const f of report.findings) f.scope = scopeOf(f);
  const fixed = base.report.findings
    .filter((f) => DRIFT_RULES.has(f.ruleId) && !headFingerprints.has(f.fingerprint))
    .map((f) => ({ ...f, scope: 'baseDrift' as const, message: `${f.message} (this change resolves it)` }));
  report.findings.push(...fixed);
  const resolved = base.report.findings.filter(
    (f) => !DRIFT_RULES.has(f.ruleId) && !f.suppressed && !headFingerprints.has(f.fingerprint),
  ).length;
  report.pullRequest = { failOnScope, resolved };
  report.summary = summarize(report.findings);
  head.exitCode = exitCode(report, head.failOn);
}
