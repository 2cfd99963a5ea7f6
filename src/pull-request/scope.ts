import type { CheckResult } from '../engine.js';
import { compareFindings, fingerprintOf } from '../findings/finalize.js';
import { describeGrant, liveApplicationGrants, liveStatus, type AccessDiff } from './access-diff.js';
import { describeApplicationGrant } from './application-diff.js';
import type { FailOnScope, Finding, FindingScope } from '../findings/types.js';
import { DRIFT_RULES, PENDING_ON_MERGE_RULES, PREREQUISITE_RULES } from '../rules/catalogue.js';
import { applicationAssignmentEntity, assignmentEntity } from '../rules/shared.js';

/**
 * Which comparison each of the head's findings comes from (base vs head, base vs live, head vs live: README, "Security model"),
 * matched with the base's findings by fingerprint (rule + file + entity, never the line):
 * - a drift finding (IDC105/106/107/109/110) the base has too is `baseDrift`: there before and without the PR;
 * - an IDC105/106/107 only the head has is `pending`: live differs from the head because the change is not
 *   applied yet (a grant it adds is IDC105 until merged, one it removes IDC106), which is no drift;
 * - any other finding the base has is `existing`; the rest the change `introduced`.
 * The base's drift that the head no longer shows (the change fixes it) is added as `baseDrift` too, so the
 * reviewer sees every drift of the base. The caller then takes the verdict again (checkPullRequest).
 */
export function scopeFindings(head: CheckResult, base: CheckResult, failOnScope: FailOnScope): void {
  const report = head.report;
  const baseFingerprints = new Set(base.report.findings.map((f) => f.fingerprint));
  const headFingerprints = new Set(report.findings.map((f) => f.fingerprint));
  const scopeOf = (f: Finding): FindingScope => {
    const onBase = baseFingerprints.has(f.fingerprint);
    if (DRIFT_RULES.has(f.ruleId) && onBase) return 'baseDrift';
    if (PENDING_ON_MERGE_RULES.has(f.ruleId) && !onBase) return 'pending';
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
}

/**
 * The prerequisites of the change (head vs live, for what the PR needs): a group the change assigns that is
 * missing from the identity store (IDC101), made by hand (IDC102) or empty (IDC103). Such a finding that the
 * base has already would be `existing`, yet it blocks the new grant: so it is reported again, as introduced, at
 * the first line where the change assigns that group. The access diff then says which grants it blocks.
 */
export function prerequisitesOf(head: CheckResult, diff: AccessDiff): void {
  const report = head.report;
  const blocking = new Map<string, (typeof report.findings)[number]>();
  for (const f of report.findings) {
    if (f.suppressed || !PREREQUISITE_RULES.has(f.ruleId) || f.entity.kind !== 'group') continue;
    const key = f.entity.name.toLowerCase();
    if (!blocking.has(key)) blocking.set(key, f);
  }
  const promoted = new Set<string>();
  // The grants the change adds to groups: in accounts, and of applications.
  const added = [
    ...diff.added.map((g) => ({
      grant: g,
      entity: assignmentEntity('group', g.principal, g.permissionSet, g.accountId),
      text: describeGrant(g, 'gains'),
    })),
    ...(diff.applications?.added ?? []).map((g) => ({
      grant: g,
      entity: applicationAssignmentEntity('group', g.principal, g.application),
      text: describeApplicationGrant(g, 'gains'),
    })),
  ];
  for (const { grant: g, entity, text } of added) {
    const key = g.principal.toLowerCase();
    const f = g.principalType === 'group' ? blocking.get(key) : undefined;
    if (!f || f.scope !== 'existing' || promoted.has(key) || !g.at) continue;
    promoted.add(key);
    const { line, column } = head.locate(g.at);
    report.findings.push({
      ...f,
      file: g.at.file,
      line,
      column,
      entity,
      fingerprint: fingerprintOf({ ruleId: f.ruleId, at: g.at, entity, message: f.message }),
      message: `this change grants: ${text}, but ${f.message}`,
      scope: 'introduced',
    });
  }
  report.findings.sort(compareFindings);
  if (head.live) {
    diff.status = liveStatus(diff, head.live, new Map([...blocking].map(([k, f]) => [k, f.ruleId])));
    if (head.live.applications) diff.applicationsLive = liveApplicationGrants(diff.applications, head.live);
  }
}
