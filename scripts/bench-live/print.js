// The live-read benchmark (scripts/bench-live.js): the table and what its figures mean.
import { sum } from '../../bench/cost.js';
import { num } from './helpers.js';

export const SHORT = {
  ListAccountsForProvisionedPermissionSet: 'ListAccountsForProvisionedPS',
  ListCustomerManagedPolicyReferencesInPermissionSet: 'ListCustomerManagedPolicyRefs',
  ListManagedPoliciesInPermissionSet: 'ListManagedPolicies',
  GetPermissionsBoundaryForPermissionSet: 'GetPermissionsBoundary',
  GetInlinePolicyForPermissionSet: 'GetInlinePolicy',
  GetApplicationAssignmentConfiguration: 'GetApplicationAssignmentConfig',
  DescribeInstanceAccessControlAttributeConfiguration: 'DescribeInstanceABACConfig',
};

/** Prints the live table of each size, then what the figures mean against issue 8's targets. */
export function printLive(live, log = console.log) {
  const mark = (ok) => (ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL');
  const L = live.modelled;
  if (L) {
    const c = L.counts;
    log(
      `live read, ${L.size} (${L.note}): ${num(c.accounts)} accounts, ${num(c.permissionSets)} permission sets, ` +
        `${num(c.groups)} groups, ${num(c.users)} users, ${num(c.assignmentTuples)} assignments, ` +
        `${num(c.provisionedPairs)} of ${num(c.allPairs)} pairs provisioned, ${num(c.applications)} applications, ` +
        `${num(c.accessControlAttributes)} attributes for access control`,
    );
    const p = L.pullRequest;
    log(
      `  drift ${num(L.drift.calls)} calls (${L.drift.seconds} s at ${live.rate}/s; full-read minimum ${num(L.fullReadMinimum)}, tags included), ` +
        `check of a repository declaring ${c.prGroups ?? 25} groups ${num(L.check.calls)} calls (minimum ${num(L.check.minimum)}), ` +
        `naive every account × set ${num(L.naive.calls)} calls (${L.naive.seconds} s; ${L.naive.learningRatio}× our assignment learning)`,
    );
    log(
      `  check declaring everything: ${num(L.checkEverything.calls)} calls (${L.checkEverything.route} route), ` +
        `${L.checkEverything.callsOverMinimum}× the full-read minimum ${mark(L.targets.checkEverythingWithin5PercentOfFullRead)}`,
    );
    log(
      `  PR changing the grants of ${p.grants.scope.groups} groups (${p.grants.scope.permissionSets} sets): ${num(p.grants.calls)} calls ` +
        `${mark(L.targets.pullRequest25GroupsAtMost300)} (≤ 300); granting sets they do not hold: ${num(p.newSets.calls)}; ` +
        `with the members' attributes: ${num(p.withMembers.calls)}; assigning one of them to an application too: ` +
        `${num(p.withApplication.calls)}`,
    );
  }
  for (const [size, r] of Object.entries(live.sizes)) {
    const c = r.counts;
    const { drift, check } = r.modes;
    const both = [
      ['drift', drift],
      ['check', check],
    ];
    log('');
    log(
      `live read, ${size}: ${c.accounts} accounts, ${c.permissionSets} permission sets, ${c.groups} groups, ` +
        `${c.users} users, ${c.memberships} memberships, ${c.assignmentTuples} assignments; ${c.provisionedPairs} ` +
        `of ${c.allPairs} pairs provisioned (${(c.pairDensity * 100).toFixed(1)}%); ${c.applications} ` +
        `applications (${c.applicationAssignments} assignments), ${c.accessControlAttributes} attributes for ` +
        `access control; server at ${live.rate}/s; seeded in ${r.seeding.seconds} s`,
    );
    log(
      `drift: ${drift.root} declares everything; PR check (--mode check): ${check.root} declares ` +
        `${check.declared.groups} groups, ${check.declared.users} users, ${check.declared.permissionSets} permission sets, ` +
        `${check.declared.applications} application(s) (drift: ${drift.declared.applications}), the attributes for access control`,
    );
    const ops = [
      ...new Set(
        both.flatMap(([, m]) => [...Object.keys(m.byOperation), ...Object.keys(m.minimumByOperation)]),
      ),
    ].sort();
    const rows = [['calls by operation', 'drift', 'min', 'check', 'min'], '-'];
    for (const op of ops) {
      rows.push([
        SHORT[op] ?? op,
        num(drift.byOperation[op]),
        num(drift.minimumByOperation[op]),
        num(check.byOperation[op]),
        num(check.minimumByOperation[op]),
      ]);
    }
    const line = (label, f) => rows.push([label, f(drift), '', f(check), '']);
    rows.push('-');
    rows.push(['total calls', num(drift.calls), num(drift.minimum), num(check.calls), num(check.minimum)]);
    line('  counted by the server', (m) => num(m.server.total));
    line('calls ÷ minimum', (m) => m.callsOverMinimum.toFixed(2));
    line('wall s (spawn to exit)', (m) => m.wallS.toFixed(1));
    line('  the same check offline s', (m) => m.offlineS.toFixed(1));
    line(`floor s = calls ÷ ${live.rate}/s`, (m) => m.floorS.toFixed(1));
    line('wall ÷ floor', (m) => m.wallOverFloor.toFixed(3));
    line('(wall − offline) ÷ floor', (m) => m.readOverFloor.toFixed(3));
    line('throttled (server)', (m) => num(m.throttled));
    line('  surfacing as errors', (m) => num(m.throttleErrorsSurfacing));
    line('faulted (server)', (m) => num(m.server.faulted));
    line('learning assignments: ours', (m) => num(m.learning.ours));
    line('  naive: every account × set', (m) => num(m.learning.naive));
    line('  naive ÷ ours', (m) => `${m.learning.ratio.toFixed(1)}×`);
    line('whole run: naive', (m) => num(m.wholeRun.naive));
    line('  naive ÷ ours', (m) => `${m.wholeRun.ratio.toFixed(1)}×`);
    line('findings / tool errors', (m) => `${sum(Object.values(m.findingsByRule))} / ${m.errors.length}`);
    const cells = rows.filter((row) => row !== '-');
    const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    for (const row of rows) {
      if (row === '-') log(widths.map((w) => '-'.repeat(w)).join('  '));
      else
        log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
    }

    log('');
    for (const [mode, m] of both) for (const choice of m.minimumChoices) log(`minimum (${mode}): ${choice}`);
    log(
      `minimum without ListTagsForResource (no rule reads tags; snapshot and init do): ` +
        `drift ${drift.minimumWithoutTags}, check ${check.minimumWithoutTags}`,
    );
    const n = r.naiveCli;
    if (n?.skipped) log(`naive AWS CLI reader: skipped (${n.skipped})`);
    else if (n)
      log(
        `naive AWS CLI reader (${n.client}, ${n.processes} processes): list-account-assignments for every account × ` +
          `permission set: ${num(n.calls)} calls (${n.pairs} pairs${n.sampled ? `; ${n.pairsRun} run, the rest extrapolated` : ''}), ` +
          `${n.wallS} s, ${n.errorsSurfacing} errors surfacing, ${n.throttledByServer} throttled by the server; ` +
          `drift reads everything in ${num(drift.calls)} calls (${(n.calls / drift.calls).toFixed(1)}× fewer), ${drift.wallS} s`,
      );
    for (const [mode, m] of both) {
      const other = Object.entries(m.otherServices ?? {});
      if (other.length)
        log(
          `${mode}: other services (own quotas, not in the counts above): ${other.map(([op, c]) => `${op} ${c}`).join(', ')}`,
        );
    }
    const w = r.modelled.checkWholeRepository;
    log(
      `check of the whole repository (${w.declaredGroups} groups declared; the reader in memory, not run live): ${w.calls} calls ` +
        `(${w.route} route, ${w.seconds} s at ${live.rate}/s), full-read minimum ${w.minimum} (${w.callsOverMinimum.toFixed(2)}×); ` +
        `drift reads everything in ${drift.calls}`,
    );
    const pr = r.pullRequest;
    if (pr)
      log(
        `PR changing the grants of ${pr.scope.groups} groups (${pr.scope.permissionSets} sets; scoped read, measured at ${live.rate}/s): ` +
          `${pr.calls} calls in ${pr.wallS} s (floor ${pr.floorS} s), ${pr.throttled} throttled; in memory ${pr.inMemory}`,
      );
    for (const [mode, m] of both) {
      const extra = Object.entries(m.beyondModel);
      if (extra.length === 0 || m.problems.length > 0) continue;
      log(
        `${mode}: ${m.throttled} attempt(s) throttled by the server, retried by the SDK, invisible in the report: ` +
          `${extra.map(([op, n]) => `${op} +${n}`).join(', ')}; at ` +
          `${m.throttledAt.map((x) => `${x.s} s (${x.calls} calls in)`).join(', ') || '?'}`,
      );
    }
    for (const [mode, m] of both) {
      const t = m.targets;
      log(
        `targets (${mode}): calls ≤ 1.05 × minimum ${mark(t.callsWithin5PercentOfMinimum)}   ` +
          `wall ≤ 1.1 × floor ${mark(t.wallWithin10PercentOfFloor)}   ` +
          `no throttling surfacing ${mark(t.noThrottlingSurfacing)}   ` +
          `learning ≥ 8× fewer than naive ${mark(t.learning8xFewerThanNaive)}`,
      );
    }
    for (const p of r.problems) log(`problem: ${p}`);
  }
}
