#!/usr/bin/env node
// The benchmark: `npm run bench` (see bench/README.md). Not part of the test suite. Three stages:
// - static: the check of generated S/M/L organisations with --live off (time, peak RSS, seeded findings);
// - hostile: issue 13's inputs whose cost grew faster than their size, at 5 and 10 MB (scripts/bench-hostile.js);
// - live: a generated organisation seeded into the local Identity Center server and read with --live aws at
//   20 requests a second, in drift and PR-check mode (scripts/bench-live.js).
//
//   node scripts/bench.js                 every stage; writes bench/results.json
//   node scripts/bench.js --no-live       the static and hostile stages (results.json keeps its `live` section)
//   node scripts/bench.js --live-only     the live stage only (results.json: only `live` is replaced)
//   node scripts/bench.js --hostile-only  the hostile stage only (results.json: only `hostile` is replaced)
//   node scripts/bench.js --profile       profile one L check and print the functions that dominate
//   options: --sizes S,M  --runs 5  --regenerate  --live-sizes S,M
import { printPullRequest, runPullRequestBench } from './bench-pr.js';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHECK_DATE, generateOrg, GENERATOR_VERSION, SIZES } from '../bench/generate.js';
import { printHostile, runHostileBench } from './bench-hostile.js';
import { LIVE_SIZES, LiveBenchError, printLive, runLiveBench } from './bench-live.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS = join(ROOT, 'bench', 'results.json');
const FIXED_COST_ROOT = join(ROOT, 'examples', 'acme');
const SEED = 42;
const STAMP = 'stamp.json';

/** Issue 8's startup target: `--version` and a check of an empty repository. */
const TARGET_STARTUP_MS = 300;
const TARGET_WALL_MS = 3_000;
const TARGET_RSS_MB = 512;
const TARGET_LINEARITY = 1.5;

/**
 * Loaded into the child with --import: on exit it writes the process's peak resident set size (KB) and its
 * CPU time (user + system, µs), both from getrusage, to stderr after everything the CLI wrote. Exact, and
 * needs nothing installed. CPU time is shown beside wall time because it moves less when the machine is busy.
 */
const RSS_PROBE = `data:text/javascript,${encodeURIComponent(
  'import { writeSync } from "node:fs";' +
    'process.on("exit", () => { const u = process.resourceUsage();' +
    ' writeSync(2, `\\n[bench] maxRSS_KB=${u.maxRSS} cpu_us=${u.userCPUTime + u.systemCPUTime}\\n`); });',
)}`;
const RSS_LINE = /\n?\[bench\] maxRSS_KB=(\d+) cpu_us=(\d+)\n/;

const { values: opts } = parseArgs({
  options: {
    profile: { type: 'boolean', default: false },
    sizes: { type: 'string', default: 'S,M,L' },
    runs: { type: 'string', default: '3' },
    regenerate: { type: 'boolean', default: false },
    'no-live': { type: 'boolean', default: false },
    'live-only': { type: 'boolean', default: false },
    'hostile-only': { type: 'boolean', default: false },
    'live-sizes': { type: 'string', default: 'S,M' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(
    'usage: node scripts/bench.js [--profile] [--sizes S,M,L] [--runs 3] [--regenerate]\n' +
      '                             [--no-live | --live-only | --hostile-only] [--live-sizes S,M]',
  );
  process.exit(0);
}
if (opts['no-live'] && opts['live-only']) fail('--no-live and --live-only exclude each other');
if (opts['hostile-only'] && (opts['no-live'] || opts['live-only']))
  fail('--hostile-only runs the hostile stage alone: leave out --no-live and --live-only');
const liveSizes = opts['live-sizes'].split(',').map((s) => s.trim().toUpperCase());
for (const s of liveSizes)
  if (!LIVE_SIZES[s]) fail(`unknown live size ${s}; expected some of ${Object.keys(LIVE_SIZES)}`);
if (!existsSync(CLI)) {
  console.error(`bench: ${relative(ROOT, CLI)} is missing; build it first: npx rollup -c rollup.config.js`);
  process.exit(2);
}

if (opts.profile) await profile();
else if (opts['hostile-only']) await hostileOnly();
else await main();

/** The hostile stage alone: prints its table and replaces only `hostile` in results.json; exit 1 if it failed. */
async function hostileOnly() {
  const hostile = await hostileStage();
  let previous;
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    previous = {};
  }
  writeFileSync(RESULTS, await formatJson(RESULTS, { ...previous, hostile }));
  console.log(`\nbench: wrote ${relative(ROOT, RESULTS)} (hostile only)`);
  if (hostile.problems.length > 0) {
    console.error('bench: FAILED: the hostile stage missed its targets (see "problem:" above)');
    process.exit(1);
  }
  console.log('bench: hostile stage verified: every input counted its findings, within time and memory');
}

async function hostileStage() {
  mkdirSync(OUT, { recursive: true });
  const hostile = await runHostileBench({ runCheck, outDir: OUT });
  printHostile(hostile);
  return hostile;
}

/** The static stage, then the live one; one results.json; exit 1 when either stage's verification failed. */
async function main() {
  const started = performance.now();
  const staticStage = opts['live-only'] ? undefined : await bench();
  const hostile = opts['live-only'] ? undefined : await hostileStage();
  const pullRequest = opts['live-only'] || opts['hostile-only'] ? undefined : await runPullRequestBench();
  if (pullRequest) printPullRequest(pullRequest);
  let live;
  let liveFailed = false;
  let liveError;
  if (!opts['no-live']) {
    console.log('');
    try {
      live = await runLiveBench({ sizes: liveSizes, seed: SEED });
      printLive(live);
      liveFailed = Object.values(live.sizes).some((r) => r.problems.length > 0);
    } catch (error) {
      if (!(error instanceof LiveBenchError)) throw error;
      liveError = error.message; // reported last, after the static results are written
    }
  }

  // results.json: a complete static run writes the file (keeping the previous `live` section when the live
  // stage was skipped); a live stage alone, or with a partial static run, replaces only `live`.
  let previous;
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
  } catch {
    previous = undefined;
  }
  let out;
  if (staticStage?.out) out = { ...staticStage.out, hostile, pullRequest, live: live ?? previous?.live };
  else if (live || hostile) out = { ...previous, ...(hostile ? { hostile } : {}), ...(live ? { live } : {}) };
  if (out) {
    if (out.live === undefined) delete out.live;
    writeFileSync(RESULTS, await formatJson(RESULTS, out));
    const what = staticStage?.out
      ? live
        ? 'static and live'
        : 'static; live kept from before'
      : 'live only';
    console.log(
      `\nbench: wrote ${relative(ROOT, RESULTS)} (${what}; ${round((performance.now() - started) / 1000, 1)} s in all)`,
    );
  } else {
    console.log(`\nbench: partial static run and no live stage: ${relative(ROOT, RESULTS)} left as it was`);
  }

  if (staticStage && staticStage.failures.length > 0) {
    console.error(
      '\nbench: FAILED: the static stage did not verify (the seeded findings, exactly, from one build):',
    );
    for (const f of staticStage.failures) console.error(`  - ${f}`);
  } else if (staticStage) {
    console.log('bench: findings verified: exactly the seeded ones, at the seeded lines');
  }
  if (hostile?.problems.length) {
    console.error('\nbench: FAILED: the hostile stage missed its targets (see "problem:" above)');
  } else if (hostile) {
    console.log('bench: hostile stage verified: every input counted its findings, within time and memory');
  }
  if (liveFailed) {
    console.error('\nbench: FAILED: the live stage did not verify (see "problem:" above)');
  } else if (live) {
    console.log(
      'bench: live stage verified: no drift found, the calls counted by the tool and the server agree',
    );
  }
  if (liveError) fail(liveError);
  if ((staticStage && staticStage.failures.length > 0) || liveFailed || hostile?.problems.length)
    process.exit(1);
}

// --- Benchmark --------------------------------------------------------------------------------------------

async function bench() {
  const sizes = opts.sizes.split(',').map((s) => s.trim().toUpperCase());
  for (const s of sizes) if (!SIZES[s]) fail(`unknown size ${s}; expected some of ${Object.keys(SIZES)}`);
  const runs = Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer');
  const cliBefore = createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 16);
  const loadBefore = os.loadavg()[0];
  if (loadBefore > os.cpus().length / 2) {
    console.log(
      `bench: warning: the machine is busy (load average ${loadBefore.toFixed(2)} on ${os.cpus().length} CPUs); ` +
        'wall times will be noisy',
    );
  }

  const orgs = {};
  for (const size of sizes) orgs[size] = ensureOrg(size);

  // The fixed cost of one run (Node start, loading the bundle, compiling the schemas, positions for a few
  // findings) measured on the tiny example organisation, so that per-entity times can leave it out.
  process.stdout.write(`bench: fixed cost (examples/acme) ×${runs} `);
  const fixedRuns = [];
  for (let i = 0; i < runs; i++) {
    fixedRuns.push(await runCheck(FIXED_COST_ROOT));
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  const fixedMs = median(fixedRuns.map((r) => r.wallMs));

  const results = {};
  const failures = [];
  for (const size of sizes) {
    const { counts, expected } = orgs[size];
    const dir = join(OUT, size);
    process.stdout.write(`bench: check ${size} ×${runs} `);
    const measured = [];
    for (let i = 0; i < runs; i++) {
      const run = await runCheck(dir);
      if (run.code !== 0) {
        fail(`the check of ${size} exited with ${run.code}:\n${run.stderr.trim() || '(no stderr)'}`);
      }
      measured.push(run);
      process.stdout.write('.');
    }
    process.stdout.write('\n');
    const report = measured[0].report;
    const findingsByRule = countByRule(report.findings);
    for (const problem of verify(size, counts, expected, report)) failures.push(`${size}: ${problem}`);
    const entities = counts.groups + counts.users + counts.permissionSets + counts.assignmentTuples;
    const medianMs = median(measured.map((r) => r.wallMs));
    results[size] = {
      ...counts,
      entities,
      wallMs: measured.map((r) => round(r.wallMs)),
      medianMs: round(medianMs),
      minMs: round(Math.min(...measured.map((r) => r.wallMs))),
      engineMs: median(measured.map((r) => r.report.stats.durationMs)),
      cpuMs: measured.map((r) => round(r.cpuMs)),
      medianCpuMs: round(median(measured.map((r) => r.cpuMs))),
      peakRssMB: round(Math.max(...measured.map((r) => r.rssKB)) / 1024),
      msPer1kEntities: round((medianMs / entities) * 1000, 3),
      netMsPer1kEntities: round((Math.max(medianMs - fixedMs, 0) / entities) * 1000, 3),
      findingsByRule,
      expectedFindingsByRule: expected.findingsByRule,
    };
  }

  const linearity = linearityOf(results);
  const L = results.L;
  const targets = {
    L_wall_under_3s: L ? L.medianMs < TARGET_WALL_MS : null,
    L_rss_under_512MB: L ? L.peakRssMB < TARGET_RSS_MB : null,
    linear: linearity ? linearity.marginalCpu.linear : null,
  };

  const fixed = {
    root: 'examples/acme',
    wallMs: fixedRuns.map((r) => round(r.wallMs)),
    medianMs: round(fixedMs),
    medianCpuMs: round(median(fixedRuns.map((r) => r.cpuMs))),
    peakRssMB: round(Math.max(...fixedRuns.map((r) => r.rssKB)) / 1024),
  };
  const startup = measureStartup(runs);
  printTable(results, fixed);
  printLinearity(linearity);
  console.log(
    `startup: dist/cli.js --version ${startup.versionMs} ms, a check of an empty repository ${startup.emptyCheckMs} ms ` +
      `(medians of ${startup.runs}, no RSS probe; bundle ${startup.bundleKB} kB): under ${TARGET_STARTUP_MS} ms ` +
      `${mark(startup.versionMs < TARGET_STARTUP_MS && startup.emptyCheckMs < TARGET_STARTUP_MS)}`,
  );
  console.log('');
  console.log(
    `targets: L median < ${TARGET_WALL_MS} ms: ${mark(targets.L_wall_under_3s)}   ` +
      `L peak RSS < ${TARGET_RSS_MB} MB: ${mark(targets.L_rss_under_512MB)}   ` +
      `linear (marginal CPU time M→L ≤ ${TARGET_LINEARITY}× S→M): ${mark(targets.linear)}`,
  );

  const cliAfter = createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 16);
  if (cliAfter !== cliBefore)
    failures.push(`dist/cli.js changed during the static stage (${cliBefore} → ${cliAfter})`);
  const complete = ['S', 'M', 'L'].every((s) => results[s]) && runs >= 3;
  if (!complete) {
    console.log(
      `\nbench: partial static run (sizes ${sizes.join(',')}, runs ${runs}): not written to results.json`,
    );
    return { out: undefined, failures };
  }
  const cpus = os.cpus();
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model?.trim(),
      memGB: round(os.totalmem() / 1024 ** 3, 1),
      platform: `${os.platform()} ${os.release()}`,
      loadAverage1m: { before: round(loadBefore, 2), after: round(os.loadavg()[0], 2) },
    },
    seed: SEED,
    generatorVersion: GENERATOR_VERSION,
    checkDate: CHECK_DATE,
    cli: { file: 'dist/cli.js', sha256: cliBefore },
    command: 'node dist/cli.js check --root bench/out/<size> --live off --format json --fail-on never',
    fixedCost: fixed,
    startup,
    sizes: results,
    linearity,
    targets,
    verification: { ok: failures.length === 0, failures },
  };
  return { out, failures };
}

/** Generates the organisation of `size` unless bench/out/<size>/ already holds it (same generator, seed). */
function ensureOrg(size) {
  const dir = join(OUT, size);
  const stampFile = join(dir, STAMP);
  const identity = {
    size,
    seed: SEED,
    generatorVersion: GENERATOR_VERSION,
    generatorHash: createHash('sha256')
      .update(readFileSync(join(ROOT, 'bench', 'generate.js')))
      .digest('hex')
      .slice(0, 16),
  };
  if (!opts.regenerate && existsSync(stampFile) && existsSync(join(dir, 'identity'))) {
    try {
      const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
      if (Object.entries(identity).every(([k, v]) => stamp[k] === v)) {
        console.log(`bench: ${size} is up to date in ${relative(ROOT, dir)}`);
        return stamp;
      }
    } catch {
      // an unreadable stamp: generate again
    }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const { expected, ...counts } = generateOrg(size, dir, SEED);
  const stamp = { ...identity, counts, expected };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  console.log(
    `bench: generated ${size} in ${relative(ROOT, dir)}: ${counts.files} files, ${mb(counts.bytes)} MB ` +
      `(${round(performance.now() - t0)} ms)`,
  );
  return stamp;
}

/** One check as a child process: wall time from spawn to exit, peak RSS from the probe, the JSON report. */
/** Wall time of `node dist/cli.js --version` and of a check of a repository with one empty Groups file. */
function measureStartup(runs) {
  const empty = join(OUT, 'empty');
  mkdirSync(join(empty, 'identity'), { recursive: true });
  writeFileSync(join(empty, 'identity', 'groups.yaml'), 'kind: Groups\ngroups: []\n');
  const time = (args) => {
    const times = [];
    for (let i = 0; i < Math.max(5, runs); i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore' });
      times.push(performance.now() - t0);
    }
    return round(median(times));
  };
  return {
    runs: Math.max(5, runs),
    versionMs: time(['--version']),
    emptyCheckMs: time(['check', '--root', empty, '--live', 'off']),
    bundleKB: Math.round(statSync(CLI).size / 1024),
  };
}

function runCheck(root, nodeArgs = ['--import', RSS_PROBE]) {
  const args = [
    ...nodeArgs,
    CLI,
    'check',
    '--root',
    root,
    '--live',
    'off',
    '--format',
    'json',
    '--fail-on',
    'never',
  ];
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, IDC_GUARD_NOW: CHECK_DATE, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      let err = Buffer.concat(stderr).toString('utf8');
      const m = RSS_LINE.exec(err);
      const rssKB = m ? Number(m[1]) : NaN;
      const cpuMs = m ? Number(m[2]) / 1000 : NaN;
      if (m) err = err.replace(RSS_LINE, '');
      let report;
      try {
        report = JSON.parse(Buffer.concat(stdout).toString('utf8'));
      } catch (e) {
        if (code === 0) return reject(new Error(`the check printed no JSON report (${e.message}): ${err}`));
      }
      resolvePromise({ code, wallMs, cpuMs, rssKB, report, stderr: err });
    });
  });
}

/** What must hold for the measurement to count: the seeded findings, exactly, and no tool errors. */
function verify(size, counts, expected, report) {
  const problems = [];
  const actual = countByRule(report.findings);
  const rules = [...new Set([...Object.keys(actual), ...Object.keys(expected.findingsByRule)])].sort();
  for (const rule of rules) {
    const want = expected.findingsByRule[rule] ?? 0;
    const got = actual[rule] ?? 0;
    if (want !== got) problems.push(`${rule}: expected ${want} finding(s), got ${got}`);
  }
  for (const e of expected.findings) {
    const hit = report.findings.some((f) => f.ruleId === e.ruleId && f.file === e.file && f.line === e.line);
    if (!hit) problems.push(`no ${e.ruleId} at ${e.file}:${e.line} (${e.what})`);
  }
  const seededAt = new Set(expected.findings.map((e) => `${e.ruleId}|${e.file}|${e.line}`));
  for (const f of report.findings) {
    if (!seededAt.has(`${f.ruleId}|${f.file}|${f.line}`)) {
      problems.push(`unexpected ${f.ruleId} at ${f.file}:${f.line}: ${f.message.slice(0, 160)}`);
    }
  }
  for (const e of report.errors ?? []) problems.push(`tool error: ${e.message}`);
  for (const n of report.notices ?? []) problems.push(`notice: ${n.message}`);
  if (report.stats?.files !== counts.files) {
    problems.push(`the report counts ${report.stats?.files} files; ${counts.files} were generated`);
  }
  if (problems.length > 0) console.log(`bench: ${size}: ${problems.length} verification problem(s)`);
  return problems;
}

/**
 * Does the cost grow linearly? A run costs a fixed part (Node start, loading the bundle, compiling the
 * schemas) plus a part per entity. Per-entity time (run time / entities) mixes the two, so its ratios (L/M
 * against M/S, reported as asked) shrink with size even for a perfectly linear check, and the fixed part
 * measured elsewhere (acme) is not exactly the fixed part of S. The decision therefore uses the marginal time
 * per entity, which the fixed part cancels out of: (M − S) / (entities M − entities S) for S→M, the same for
 * M→L. Linear when the M→L marginal time is at most 1.5 × the S→M one. It is computed on CPU time, which a
 * busy machine disturbs far less than wall time (wall time is shown beside it).
 */
function linearityOf(results) {
  const { S, M, L } = results;
  if (!S || !M || !L) return null;
  const marginal = (key) => {
    const sm = ((M[key] - S[key]) / (M.entities - S.entities)) * 1000;
    const ml = ((L[key] - M[key]) / (L.entities - M.entities)) * 1000;
    return {
      msPer1kSM: round(sm, 3),
      msPer1kML: round(ml, 3),
      ratio: round(ml / sm, 2),
      linear: sm > 0 && ml / sm <= TARGET_LINEARITY,
    };
  };
  const perEntity = (key) => ({
    lOverM: round(L[key] / M[key], 3),
    mOverS: round(M[key] / S[key], 3),
    withinTarget: L[key] / M[key] <= TARGET_LINEARITY * (M[key] / S[key]),
  });
  return {
    decision:
      'marginal CPU time per 1,000 entities, M→L against S→M; linear when M→L <= 1.5 × S→M (see scripts/bench.js)',
    marginalCpu: marginal('medianCpuMs'),
    marginalWall: marginal('medianMs'),
    perEntityRaw: perEntity('msPer1kEntities'),
    perEntityNet: perEntity('netMsPer1kEntities'),
  };
}

// --- Output -----------------------------------------------------------------------------------------------

function printTable(results, fixed) {
  const header = [
    'size',
    'files',
    'MB',
    'entities',
    'runs ms',
    'median ms',
    'engine ms',
    'cpu ms',
    'ms/1k ent',
    'net ms/1k',
    'peak RSS MB',
    'findings',
  ];
  const rows = [header];
  for (const [size, r] of Object.entries(results)) {
    rows.push([
      size,
      String(r.files),
      mb(r.bytes),
      r.entities.toLocaleString('en-US'),
      r.wallMs.map((x) => Math.round(x)).join(' / '),
      String(Math.round(r.medianMs)),
      String(r.engineMs),
      String(Math.round(r.medianCpuMs)),
      r.msPer1kEntities.toFixed(2),
      r.netMsPer1kEntities.toFixed(2),
      r.peakRssMB.toFixed(1),
      Object.entries(r.findingsByRule)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || 'none',
    ]);
  }
  rows.push([
    'acme',
    '',
    '',
    '',
    fixed.wallMs.map((x) => Math.round(x)).join(' / '),
    String(Math.round(fixed.medianMs)),
    '',
    String(Math.round(fixed.medianCpuMs)),
    '',
    '',
    fixed.peakRssMB.toFixed(1),
    '(fixed cost: examples/acme)',
  ]);
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) =>
        i === 0 || i === header.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join('  ');
  console.log('');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows.slice(1)) console.log(line(row));
}

function printLinearity(lin) {
  if (!lin) return;
  console.log('');
  for (const [kind, x] of [
    ['CPU', lin.marginalCpu],
    ['wall', lin.marginalWall],
  ]) {
    console.log(
      `linearity, marginal ${kind} time per 1k entities: S→M ${x.msPer1kSM.toFixed(2)} ms, M→L ${x.msPer1kML.toFixed(2)} ms, ` +
        `ratio ${x.ratio.toFixed(2)} (${x.linear ? 'linear' : 'NOT linear'}: limit ${TARGET_LINEARITY})`,
    );
  }
  for (const [kind, x] of [
    ['raw', lin.perEntityRaw],
    ['net of acme', lin.perEntityNet],
  ]) {
    console.log(
      `per-entity wall time ratios (${kind}): L/M = ${x.lOverM.toFixed(2)}, M/S = ${x.mOverS.toFixed(2)} ` +
        `(L/M ${x.withinTarget ? '≤' : '>'} ${TARGET_LINEARITY} × M/S = ${(TARGET_LINEARITY * x.mOverS).toFixed(2)})`,
    );
  }
}

// --- Profile ----------------------------------------------------------------------------------------------

async function profile() {
  const org = ensureOrg('L');
  const dir = join(OUT, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log('bench: profiling one check of L (node --cpu-prof) …');
  const run = await runCheck(join(OUT, 'L'), ['--cpu-prof', '--cpu-prof-dir', dir]);
  if (run.code !== 0) fail(`the check exited with ${run.code}:\n${run.stderr}`);
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) fail(`no .cpuprofile was written to ${relative(ROOT, dir)}`);
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const problems = verify('L', org.counts, org.expected, run.report);
  console.log(
    `bench: wall ${Math.round(run.wallMs)} ms (profiling adds overhead), engine ${run.report.stats.durationMs} ms; ` +
      `profile: ${relative(ROOT, file)}`,
  );

  const bundleLines = readFileSync(CLI, 'utf8').split('\n');
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const keyOf = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'}\u0000${url}\u0000${lineNumber}`;
  };
  // Self time per node (sum of the sample intervals that landed in it), then per function.
  const nodeSelf = new Map();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    nodeSelf.set(id, (nodeSelf.get(id) ?? 0) + dt);
  });
  const self = new Map();
  for (const [id, ms] of nodeSelf) {
    const k = keyOf(nodes.get(id));
    self.set(k, (self.get(k) ?? 0) + ms);
  }
  // Time of each node with its callees (iterative post-order: parser recursion runs deep).
  const subtree = new Map();
  const stack = [[prof.nodes[0].id, false]];
  while (stack.length > 0) {
    const [id, done] = stack.pop();
    const children = nodes.get(id).children ?? [];
    if (done) {
      subtree.set(
        id,
        children.reduce((sum, c) => sum + subtree.get(c), nodeSelf.get(id) ?? 0),
      );
    } else {
      stack.push([id, true]);
      for (const c of children) stack.push([c, false]);
    }
  }

  /** A bundle function's name with, for a rule's `check`, the rule it belongs to. */
  const describe = (key) => {
    const [name, url, line] = key.split('\u0000');
    const n = Number(line);
    const inBundle = url.endsWith('/dist/cli.js');
    let label = name;
    if (inBundle && name === 'check') {
      const id = bundleLines
        .slice(Math.max(0, n - 6), n + 1)
        .join('\n')
        .match(/id: '(IDC\d+)'/);
      if (id) label = `check [${id[1]}]`;
    }
    let where = url ? url.replace(/^file:\/\//, '') : '';
    if (where) where = `${relative(ROOT, where) || where}:${n + 1}`;
    if (inBundle && name === '(anonymous)') where += `  ${(bundleLines[n] ?? '').trim().slice(0, 60)}`;
    return { label, where };
  };
  const print = (title, entries, base) => {
    console.log(`\n${title}`);
    console.log(`${'ms'.padStart(8)}  ${'%'.padStart(5)}  function  (where)`);
    for (const [k, ms] of entries) {
      const d = describe(k);
      console.log(
        `${ms.toFixed(1).padStart(8)}  ${((ms / base) * 100).toFixed(1).padStart(5)}  ${d.label}  (${d.where})`,
      );
    }
  };
  /** Callees of every node of `name` (in the bundle), grouped by function, with their callees' time. */
  const calleesOf = (match) => {
    const out = new Map();
    let own = 0;
    for (const n of prof.nodes) {
      if (!match(n)) continue;
      own += nodeSelf.get(n.id) ?? 0;
      for (const c of n.children ?? []) {
        const k = keyOf(nodes.get(c));
        out.set(k, (out.get(k) ?? 0) + subtree.get(c));
      }
    }
    return { own, callees: [...out.entries()].sort((a, b) => b[1] - a[1]) };
  };

  console.log(`\nsampled ${round(total)} ms in ${prof.samples.length} samples`);
  print('top 15 functions by self time', [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15), total);
  const inBundle = (n, name) => n.callFrame.functionName === name && n.callFrame.url.endsWith('/dist/cli.js');
  const phases = calleesOf((n) => inBundle(n, 'runCheck'));
  if (phases.callees.length > 0) {
    print(
      `what runCheck spends its time on (callees with their own callees; ${round(phases.own)} ms in runCheck itself)`,
      phases.callees.slice(0, 12),
      total,
    );
  }
  const ruleTime = new Map();
  for (const n of prof.nodes) {
    if (!inBundle(n, 'check')) continue;
    const k = keyOf(n);
    if (!describe(k).label.startsWith('check [')) continue;
    ruleTime.set(k, (ruleTime.get(k) ?? 0) + subtree.get(n.id));
  }
  if (ruleTime.size > 0) {
    print(
      'static rules (each with its callees)',
      [...ruleTime.entries()].sort((a, b) => b[1] - a[1]),
      total,
    );
  }
  if (problems.length > 0) {
    console.error('\nbench: the profiled run did not report exactly the seeded findings:');
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
}

// --- Helpers ----------------------------------------------------------------------------------------------

/** JSON as the repository's Prettier writes it (results.json is committed and `npm run lint` checks it). */
async function formatJson(file, value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const { default: prettier } = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch {
    return text; // Prettier is a devDependency: without it the file is still valid JSON
  }
}

function countByRule(findings) {
  const out = {};
  for (const f of findings) out[f.ruleId] = (out[f.ruleId] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function mb(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}

function mark(ok) {
  return ok === null ? 'n/a' : ok ? 'PASS' : 'FAIL';
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
