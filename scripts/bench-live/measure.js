// The live-read benchmark (scripts/bench-live.js): the figures of a measured run and what is wrong with them.
import { relative } from 'node:path';
import { RATE, ROOT } from './constants.js';
import { AT_MOST, LEARNING, learningCalls, minimumCalls, naiveLearning, sum } from '../../bench/cost.js';
import { countBy, round, sortKeys } from './helpers.js';

/** The figures of one measured run, and what is wrong with it (drift findings, tool errors, throttles, …). */
export function measure(org, d, mode, declared, decl, root, run, offline, serverCalls, plan) {
  const problems = [];
  const report = run.report;
  // Identity Center's operations (the 20/s limit, the server's count, the minimum) apart from the other
  // services' (`organizations:…`, `access-analyzer:…`), which have quotas of their own.
  const all = Object.entries(report.stats.apiCallsByOperation ?? {});
  const byOperation = sortKeys(Object.fromEntries(all.filter(([op]) => !op.includes(':'))));
  const otherServices = sortKeys(Object.fromEntries(all.filter(([op]) => op.includes(':'))));
  const calls = sum(Object.values(byOperation));
  const min = minimumCalls(org, d, mode, declared);
  const planned = sum(Object.values(plan));
  const minimum = sum(Object.values(min.byOperation));
  const findingsByRule = countBy(report.findings.map((f) => f.ruleId));

  if (run.code !== 0) problems.push(`the check exited with ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
  for (const [rule, n] of Object.entries(findingsByRule))
    problems.push(`${n} ${rule} finding(s), expected none`);
  for (const e of report.errors ?? []) problems.push(`tool error: ${e.message.slice(0, 300)}`);
  if (Object.keys(findingsByRule).length || report.errors?.length)
    for (const f of report.findings.slice(0, 5))
      problems.push(`  e.g. ${f.ruleId} ${f.file}:${f.line} ${f.message.slice(0, 200)}`);
  if (offline.report.findings.length || offline.report.errors.length)
    problems.push(`the offline check of ${relative(ROOT, root)} is not clean`);
  const throttleErrors = (report.errors ?? []).filter((e) => /thrott|rate exceeded/i.test(e.message)).length;
  if (serverCalls.total !== calls)
    problems.push(`the server counted ${serverCalls.total} calls, the report ${calls}`);
  // Calls beyond the model: retries of throttled or faulted attempts (every attempt is counted), or calls the
  // model does not know of (a problem: the model or the reader is wrong).
  const beyondModel = {};
  for (const op of new Set([...Object.keys(plan), ...Object.keys(byOperation)])) {
    const diff = (byOperation[op] ?? 0) - (plan[op] ?? 0);
    if (diff !== 0) beyondModel[op] = diff;
  }
  const retried = serverCalls.throttled + serverCalls.faulted;
  // A listing that found every wanted item early makes fewer calls than modelled: not a problem.
  if (mode === 'check') for (const op of AT_MOST) if (beyondModel[op] < 0) delete beyondModel[op];
  const beyond = sum(Object.values(beyondModel));
  if (Object.values(beyondModel).some((n) => n < 0) || beyond !== retried) {
    for (const op of Object.keys(beyondModel))
      problems.push(`${op}: ${byOperation[op] ?? 0} calls, the model of the reader expects ${plan[op] ?? 0}`);
    if (retried)
      problems.push(`(the server throttled ${serverCalls.throttled} and faulted ${serverCalls.faulted})`);
  }

  const floorS = calls / RATE;
  const wallS = run.wallMs / 1000;
  const readS = Math.max(0, (run.wallMs - offline.wallMs) / 1000);
  const learning = learningCalls(byOperation);
  const naive = naiveLearning(org, d);
  const naiveWhole = calls - learning + naive;
  return {
    root: relative(ROOT, root),
    declared: {
      groups: decl.groups,
      users: decl.users,
      permissionSets: org.permissionSets.length,
      applications: decl.applications,
      accessControlAttributes: org.accessControlAttributes.length,
      files: decl.files,
    },
    calls,
    byOperation,
    otherServices,
    server: serverCalls,
    wallS: round(wallS, 1),
    offlineS: round(offline.wallMs / 1000, 2),
    readS: round(readS, 1),
    floorS: round(floorS, 1),
    wallOverFloor: round(wallS / floorS, 3),
    readOverFloor: round(readS / floorS, 3),
    reader: {
      calls: planned,
      byOperation: plan,
      note: 'src/live/reader.ts itself, run on this data in memory (bench/model.js)',
    },
    beyondModel: sortKeys(beyondModel),
    minimum,
    minimumByOperation: min.byOperation,
    minimumChoices: min.choices,
    callsOverMinimum: round(calls / minimum, 3),
    // No rule reads a permission set's tags (IDC107 does not compare them; snapshot and init do use them).
    minimumWithoutTags: minimum - (min.byOperation.ListTagsForResource ?? 0),
    learning: {
      operations: LEARNING.filter((op) => byOperation[op]),
      ours: learning,
      naive,
      ratio: round(naive / learning, 2),
    },
    wholeRun: { ours: calls, naive: naiveWhole, ratio: round(naiveWhole / calls, 2) },
    throttled: serverCalls.throttled,
    throttleErrorsSurfacing: throttleErrors,
    findingsByRule,
    errors: (report.errors ?? []).map((e) => e.message),
    targets: {
      callsWithin5PercentOfMinimum: calls <= 1.05 * minimum,
      wallWithin10PercentOfFloor: wallS <= 1.1 * floorS,
      readWithin10PercentOfFloor: readS <= 1.1 * floorS,
      noThrottlingSurfacing: throttleErrors === 0,
      // Issue 8 sets this target at M: at S the naive reader has only 200 pairs to list.
      learning8xFewerThanNaive: org.size === 'S' ? null : naive / learning >= 8,
    },
    problems,
  };
}
