// The static stage of the benchmark (scripts/bench.js): the check of generated S/M/L organisations with
// --live off: time, peak RSS, and exactly the findings planted in them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { CHECK_DATE, generateOrg, GENERATOR_SOURCES, GENERATOR_VERSION, SIZES } from '../bench/generate.js';
import {
  CLI,
  countByRule,
  fail,
  mark,
  mb,
  median,
  OUT,
  ROOT,
  round,
  runCheck,
  SEED,
  TARGET_LINEARITY,
} from './bench-common.js';
import { printLinearity, printTable } from './bench-static-print.js';

const FIXED_COST_ROOT = join(ROOT, 'examples', 'acme');
const STAMP = 'stamp.json';

/** Issue 8's startup target: `--version` and a check of an empty repository. */
const TARGET_STARTUP_MS = 300;
const TARGET_WALL_MS = 3_000;
const TARGET_RSS_MB = 512;

/** The static stage: `sizes` (a comma list), `runs` each; `regenerate` even when bench/out holds them. */
export async function runStaticStage(opts) {
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
  for (const size of sizes) orgs[size] = ensureOrg(size, opts);

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
export function ensureOrg(size, opts) {
  const dir = join(OUT, size);
  const stampFile = join(dir, STAMP);
  const identity = {
    size,
    seed: SEED,
    generatorVersion: GENERATOR_VERSION,
    generatorHash: GENERATOR_SOURCES.reduce(
      (hash, file) => hash.update(readFileSync(join(ROOT, 'bench', file))),
      createHash('sha256'),
    )
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

/** What must hold for the measurement to count: the seeded findings, exactly, and no tool errors. */
export function verify(size, counts, expected, report) {
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
