// The live-read benchmark (scripts/bench-live.js): the measured runs of idc-guard.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { applicationReads, fakeData, principalsOf, pullRequest, runReader } from '../../bench/model.js';
import { CHECK_DATE } from '../../bench/generate.js';
import { CLI, OUT, RATE, REGION, ROOT, SEED_CONCURRENCY, SERVER_SCRIPT } from './constants.js';
import { describeOrg, generateLiveOrg } from '../../bench/live-org.js';
import { learningCalls, minimumCalls, naiveLearning, sum } from '../../bench/cost.js';
import { writeDeclarations } from '../../bench/declarations.js';
import { seedCalls, seedOrg } from '../../bench/seed.js';
import { LiveBenchError, startServer } from '../../bench/server.js';
import { runNaiveAwsCli } from './naive.js';
import { measure } from './measure.js';
import { round } from './helpers.js';

/** One `idc-guard check` as a child process: wall time from spawn to exit and the JSON report. */
export function runCli(root, live, mode, endpoint, onTick) {
  const args = [CLI, 'check', '--root', root, '--live', live, '--format', 'json', '--fail-on', 'never'];
  if (mode) args.push('--mode', mode);
  const env = { ...process.env, IDC_GUARD_NOW: CHECK_DATE, NO_COLOR: '1' };
  // Only the server's endpoint and test credentials: no profile, no service-specific endpoint from the shell.
  for (const name of Object.keys(env)) if (/^AWS_/.test(name)) delete env[name];
  Object.assign(env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    const tick = onTick ? setInterval(() => onTick(performance.now() - t0), 15_000) : undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 20 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearInterval(tick);
      clearTimeout(guard);
      const err = Buffer.concat(stderr).toString('utf8');
      try {
        resolveRun({ code, wallMs, report: JSON.parse(Buffer.concat(stdout).toString('utf8')), stderr: err });
      } catch (e) {
        reject(
          new Error(
            `the check (${args.slice(1).join(' ')}) exited with ${code} and no JSON report (${e.message}): ${err}`,
          ),
        );
      }
    });
  });
}

/**
 * Runs the live stage for each size and returns what results.json records under `live`. `log` prints a line.
 * Throws LiveBenchError when the server cannot start.
 */
export async function runLiveBench({ sizes = ['S', 'M'], seed = 42, log = console.log } = {}) {
  if (!existsSync(CLI))
    throw new LiveBenchError(`${relative(ROOT, CLI)} is missing; build it: npx rollup -c rollup.config.js`);
  const started = performance.now();
  const cliHash = () => createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 16);
  const cliBefore = cliHash();
  const server = await startServer();
  log(
    `bench: live: ${relative(ROOT, SERVER_SCRIPT)} (moto ${server.moto}, ${server.python}) at ${server.endpoint}`,
  );
  const onSignal = () => server.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results = {};
  try {
    for (const size of sizes) results[size] = await benchSize(size, seed, server, log);
  } finally {
    await server.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  // A bundle rebuilt during the stage means its runs measured different builds: say so, and fail.
  const cliAfter = cliHash();
  if (cliAfter !== cliBefore) {
    for (const r of Object.values(results))
      r.problems.push(`dist/cli.js changed during the live stage (${cliBefore} → ${cliAfter}): run it again`);
  }
  return {
    date: new Date().toISOString(),
    rate: RATE,
    seed,
    modelled: await modelSize('L', seed),
    server: { script: relative(ROOT, SERVER_SCRIPT), moto: server.moto },
    cli: { file: 'dist/cli.js', sha256: cliBefore },
    command:
      'node dist/cli.js check --root bench/out/live-<size>[-pr] --live aws --mode drift|check --format json --fail-on never',
    seconds: round((performance.now() - started) / 1000, 1),
    sizes: results,
  };
}

export async function benchSize(size, seed, server, log) {
  const org = generateLiveOrg(size, seed);
  const d = describeOrg(org);
  log(
    `bench: live ${size}: ${d.accounts} accounts, ${d.permissionSets} permission sets, ${d.groups} groups, ` +
      `${d.users} users, ${d.memberships} memberships, ${d.assignmentTuples} assignments ` +
      `(${d.provisionedPairs} of ${d.allPairs} account × permission set pairs provisioned), ` +
      `${d.applications} applications (${d.declaredApplications} declared, ${d.applicationAssignments} ` +
      `assignments), ${d.accessControlAttributes} attributes for access control`,
  );

  // Seed at full speed.
  await server.reset();
  await server.seedRandom(seed);
  await server.setTps(0);
  const t0 = performance.now();
  const { instance, applicationArns, failedAttempts } = await seedOrg(org, server.endpoint, server.calls);
  const seeded = await server.calls();
  const seeding = {
    calls: seeded.total,
    needed: seedCalls(org),
    seconds: round((performance.now() - t0) / 1000, 1),
    concurrency: SEED_CONCURRENCY,
    failedAttempts,
  };
  log(
    `bench: live ${size}: seeded in ${seeding.seconds} s: ${seeding.calls} calls for ${seeding.needed} ` +
      `(limit off, ${SEED_CONCURRENCY} in flight)` +
      (Object.keys(failedAttempts).length
        ? `; failed attempts, retried: ${Object.entries(failedAttempts)
            .map(([k, n]) => `${k} ×${n}`)
            .join(', ')}`
        : ''),
  );

  const driftRoot = join(OUT, `live-${size}`);
  const prRoot = join(OUT, `live-${size}-pr`);
  const allGroups = new Set(org.groups.map((g) => g.name));
  const prGroups = new Set(org.prGroups);
  const driftDecl = writeDeclarations(org, driftRoot, { ...instance, applicationArns });
  const prDecl = writeDeclarations(org, prRoot, { ...instance, applicationArns }, prGroups);

  // The real reader on the same data in memory: what it does when nothing fails (bench/model.js).
  const data = fakeData(org);
  const plans = {
    drift: (await runReader(data, { read: 'drift', ...applicationReads(org, data) })).byOperation,
    check: (
      await runReader(data, {
        read: 'check',
        principals: principalsOf(org, org.prGroups),
        ...applicationReads(org, data, org.prGroups),
      })
    ).byOperation,
  };
  const modes = {};
  const problems = [];
  for (const [mode, root, declared, decl] of [
    ['drift', driftRoot, allGroups, driftDecl],
    ['check', prRoot, prGroups, prDecl],
  ]) {
    // The same root without AWS: what the run costs besides the read (Node, parsing, rules).
    const offline = await runCli(root, 'off', undefined, server.endpoint);
    await server.setTps(RATE); // a fresh, full bucket at 20/s
    await server.resetCalls();
    process.stdout.write(`bench: live ${size} ${mode}: reading at ${RATE}/s `);
    // When the server throttles, and after how many calls: polled every 250 ms (these requests are not
    // Identity Center's, so they are neither counted nor limited).
    const throttledAt = [];
    const t0 = performance.now();
    let seen = 0;
    const poll = setInterval(async () => {
      try {
        const now = await server.calls();
        if (now.throttled > seen) {
          throttledAt.push({
            s: round((performance.now() - t0) / 1000, 2),
            calls: now.total,
            n: now.throttled - seen,
          });
          seen = now.throttled;
        }
      } catch {
        // a missed sample: the final count below is exact anyway
      }
    }, 250);
    let run;
    try {
      run = await runCli(root, 'aws', mode, server.endpoint, () => process.stdout.write('.'));
    } finally {
      clearInterval(poll);
    }
    process.stdout.write(` ${round(run.wallMs / 1000, 1)} s\n`);
    const serverCalls = await server.calls();
    const r = measure(org, d, mode, declared, decl, root, run, offline, serverCalls, plans[mode]);
    r.throttledAt = throttledAt;
    modes[mode] = r;
    for (const p of r.problems) problems.push(`${size} ${mode}: ${p}`);
  }
  // The naive reader beside it: the AWS CLI listing every account × permission set, at the same limit.
  const naiveCli = await runNaiveAwsCli(org, d, instance, server, log);
  await server.setTps(0);

  // A PR check's scoped read (25 groups' grants changed), measured: the reader in this process against the
  // server at 20/s (a fresh bucket), beside the same read in memory.
  const scope = pullRequest(org);
  const scopedModel = await runReader(data, { read: 'check', principals: principalsOf(org), scope });
  await server.setTps(RATE);
  await server.resetCalls();
  const scopedLive = await runReader(
    { ...data, ...instance },
    { read: 'check', principals: principalsOf(org), scope, endpoint: server.endpoint },
  );
  const scopedServer = await server.calls();
  await server.setTps(0);
  if (scopedServer.total !== scopedLive.calls)
    problems.push(
      `${size} pr: the server counted ${scopedServer.total} calls, the reader ${scopedLive.calls}`,
    );
  if (
    JSON.stringify(scopedLive.byOperation) !== JSON.stringify(scopedModel.byOperation) &&
    !scopedServer.throttled
  )
    problems.push(
      `${size} pr: ${JSON.stringify(scopedLive.byOperation)} live, ${JSON.stringify(scopedModel.byOperation)} in memory`,
    );
  if (scopedLive.failures.length) problems.push(`${size} pr: ${scopedLive.failures[0].message}`);
  log(
    `bench: live ${size} pr: a PR changing the grants of ${scope.groups.length} groups (${scope.permissionSets.length} ` +
      `permission sets): ${scopedLive.calls} calls in ${round(scopedLive.ms / 1000, 1)} s at ${RATE}/s (in memory: ${scopedModel.calls})`,
  );
  // A check of the whole repository (every group declared), by the real reader in memory: not run live.
  const full = await runReader(data, {
    read: 'check',
    principals: principalsOf(org),
    ...applicationReads(org, data),
  });
  const fullMin = minimumCalls(org, d, 'drift', allGroups);
  const fullMinimum = sum(Object.values(fullMin.byOperation));
  const modelled = {
    checkWholeRepository: {
      note: 'src/live/reader.ts run in memory on this data (every group declared), not run against the server',
      declaredGroups: allGroups.size,
      calls: full.calls,
      route: full.route,
      byOperation: full.byOperation,
      seconds: round(full.calls / RATE, 1),
      minimum: fullMinimum,
      minimumByOperation: fullMin.byOperation,
      minimumChoices: ['the full read (drift), tags included'],
      callsOverMinimum: round(full.calls / fullMinimum, 3),
    },
  };
  const pullRequestRead = {
    scope: {
      groups: scope.groups.length,
      permissionSets: scope.permissionSets.length,
      members: 0,
      accessControlAttributes: Boolean(scope.accessControlAttributes),
    },
    calls: scopedLive.calls,
    byOperation: scopedLive.byOperation,
    wallS: round(scopedLive.ms / 1000, 1),
    floorS: round(scopedLive.calls / RATE, 1),
    throttled: scopedServer.throttled,
    inMemory: scopedModel.calls,
    route: scopedLive.route,
  };
  const { assignmentsByPair: _p, assignmentsByGroup: _g, accountsBySet: _s, ...counts } = d;
  return { counts, seeding, instance, modes, pullRequest: pullRequestRead, naiveCli, modelled, problems };
}

/**
 * The reads of an organisation too large to seed, by the real reader run on its data in memory
 * (bench/model.js), beside the same minimum and the same naive reader as the measured sizes: calls,
 * and the time they take at 20/s (a read takes its floor, as the measured ones show).
 */
export async function modelSize(size, seed) {
  const org = generateLiveOrg(size, seed);
  const d = describeOrg(org);
  const data = fakeData(org);
  const all = new Set(org.groups.map((g) => g.name));
  const fullMinimum = sum(Object.values(minimumCalls(org, d, 'drift', all).byOperation));
  const read = async (options, minimum) => {
    const r = await runReader(data, options);
    if (r.failures.length) throw new LiveBenchError(`${size}: ${r.failures[0].message}`);
    return {
      calls: r.calls,
      seconds: round(r.calls / RATE, 1),
      route: r.route,
      ...(minimum ? { minimum, callsOverMinimum: round(r.calls / minimum, 3) } : {}),
      byOperation: r.byOperation,
    };
  };
  const drift = await read({ read: 'drift', ...applicationReads(org, data) }, fullMinimum);
  const prRepo = new Set(org.prGroups);
  const check = await read(
    { read: 'check', principals: principalsOf(org, prRepo), ...applicationReads(org, data, prRepo) },
    sum(Object.values(minimumCalls(org, d, 'check', prRepo).byOperation)),
  );
  const everything = await read(
    { read: 'check', principals: principalsOf(org), ...applicationReads(org, data) },
    fullMinimum,
  );
  const scoped = async (scope) => ({
    scope: {
      groups: scope.groups.length,
      permissionSets: scope.permissionSets.length,
      members: scope.members?.length ?? scope.groups.length,
      applications: (scope.applications?.names.length ?? 0) + (scope.applications?.arns.length ?? 0),
    },
    ...(await read({ read: 'check', principals: principalsOf(org), scope })),
  });
  const grants = pullRequest(org);
  const pr = {
    grants: await scoped(grants),
    newSets: await scoped(pullRequest(org, 25, { newSets: true })),
    withMembers: await scoped({ ...grants, members: undefined }),
    withApplication: await scoped(pullRequest(org, 25, { application: true })),
  };
  const naive = naiveLearning(org, d);
  const learning = learningCalls(drift.byOperation);
  const { assignmentsByPair: _p, assignmentsByGroup: _g, accountsBySet: _s, ...counts } = d;
  return {
    size,
    note: 'src/live/reader.ts run on the generated data in memory (bench/model.js), not against the server',
    counts,
    fullReadMinimum: fullMinimum,
    drift,
    check,
    checkEverything: everything,
    pullRequest: pr,
    naive: {
      calls: naive + 1,
      seconds: round((naive + 1) / RATE, 1),
      learningRatio: round(naive / learning, 1),
    },
    targets: {
      pullRequest25GroupsAtMost300: pr.grants.calls <= 300,
      checkEverythingWithin5PercentOfFullRead: everything.calls <= 1.05 * fullMinimum,
    },
  };
}
