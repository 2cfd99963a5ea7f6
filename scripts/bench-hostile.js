// The hostile stage of the benchmark (`node scripts/bench.js --hostile-only`, or after the static stage): the
// inputs of issue 13 whose cost grew faster than their size (bench/hostile.js), generated at about 5 and 10 MB
// and checked once each as a child process. Targets: under 10 s and 1 GB at 10 MB, and linear (10 MB takes at
// most 2.5 times the CPU time of 5 MB: twice, plus room for noise and for the fixed cost of a run).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { aliasedDocuments, badEntries, undeclaredReferences } from '../bench/hostile.js';

export const HOSTILE_TARGETS = { wallMs: 10_000, rssMB: 1024, linearity: 2.5 };

/**
 * Each input by the count that makes about 1 MB of it, and what its report must count. The counts scale
 * linearly with the size (within a few percent: names grow by a digit).
 */
const INPUTS = {
  'undeclared references': {
    perMB: 8_100,
    make: (n) => undeclaredReferences(n),
    expected: (n) => ({ error: n }),
  },
  'aliased documents': {
    perMB: 380,
    make: (n) => aliasedDocuments(n, { bad: true }),
    // The first 11 documents' bad members, and one IDC001 for every later document.
    expected: (n) => ({ error: 11 * 46 * 100 + Math.max(0, n - 11) }),
  },
  'bad assignments': {
    perMB: 24_500,
    make: (n) => badEntries(n, 'assignments'),
    expected: (n) => ({ error: n }),
  },
  'bad, one suppressed': {
    perMB: 24_500,
    make: (n) => badEntries(n, 'assignments', { suppressFirst: true }),
    expected: (n) => ({ error: n - 1 }),
  },
  'bad groups': {
    perMB: 29_000,
    make: (n) => badEntries(n, 'groups'),
    expected: (n) => ({ error: n }),
  },
};

const SIZES_MB = [5, 10];

/** Writes `files` under a fresh `dir`; returns their total size in bytes. */
function write(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    bytes += Buffer.byteLength(content);
  }
  return bytes;
}

/**
 * Runs every input at every size with `runCheck(root)` (bench.js's: wall time, CPU time, peak RSS, report).
 * Returns the results by input and the problems (targets missed, a report that does not count what it must).
 */
export async function runHostileBench({ runCheck, outDir }) {
  const results = {};
  const problems = [];
  for (const [name, input] of Object.entries(INPUTS)) {
    results[name] = {};
    for (const mb of SIZES_MB) {
      const count = input.perMB * mb;
      const { files } = input.make(count);
      const dir = join(outDir, `hostile-${name.replace(/ /g, '-')}-${mb}mb`);
      const bytes = write(dir, files);
      process.stdout.write(`bench: hostile ${name}, ${(bytes / 1e6).toFixed(1)} MB `);
      const run = await runCheck(dir);
      const summary = run.report?.summary;
      const want = input.expected(count);
      process.stdout.write(`${(run.wallMs / 1000).toFixed(1)} s\n`);
      if (run.code !== 0)
        problems.push(`${name} at ${mb} MB: exit ${run.code}: ${run.stderr.trim().slice(0, 300)}`);
      else if (summary?.error !== want.error)
        problems.push(`${name} at ${mb} MB: ${summary?.error} errors counted, expected ${want.error}`);
      if (run.report?.errors?.length)
        problems.push(`${name} at ${mb} MB: tool errors: ${run.report.errors[0].message}`);
      results[name][`${mb}MB`] = {
        count,
        bytes,
        wallMs: Math.round(run.wallMs),
        cpuMs: Math.round(run.cpuMs),
        engineMs: run.report?.stats?.durationMs,
        peakRssMB: Math.round(run.rssKB / 1024),
        findings: summary?.error,
        listed: run.report?.findings?.length,
      };
    }
    const small = results[name][`${SIZES_MB[0]}MB`];
    const large = results[name][`${SIZES_MB[1]}MB`];
    // Time per byte: 10 MB against 5 MB, in CPU time, which other work on the machine does not inflate.
    // Linear work gives 2.0 (less, with a run's fixed cost).
    const ratio = large.cpuMs / small.cpuMs;
    results[name].linearity = Math.round(ratio * 100) / 100;
    if (large.wallMs >= HOSTILE_TARGETS.wallMs)
      problems.push(`${name}: ${large.wallMs} ms at 10 MB, over ${HOSTILE_TARGETS.wallMs} ms`);
    if (large.peakRssMB >= HOSTILE_TARGETS.rssMB)
      problems.push(`${name}: ${large.peakRssMB} MB peak RSS at 10 MB, over ${HOSTILE_TARGETS.rssMB} MB`);
    if (ratio > HOSTILE_TARGETS.linearity)
      problems.push(`${name}: 10 MB took ${ratio.toFixed(2)}× the CPU time of 5 MB (superlinear)`);
  }
  return { targets: HOSTILE_TARGETS, results, problems };
}

/** The table: one row per input and size, and the 10 MB / 5 MB time ratio. */
export function printHostile({ results, problems }) {
  console.log('\nhostile inputs (issue 13): one check each, --live off --format json');
  console.log(
    `${'input'.padEnd(24)}${'size'.padStart(8)}${'count'.padStart(10)}${'findings'.padStart(10)}` +
      `${'wall s'.padStart(9)}${'cpu s'.padStart(8)}${'peak RSS'.padStart(10)}${'10/5 MB'.padStart(9)}`,
  );
  for (const [name, bySize] of Object.entries(results)) {
    for (const mb of SIZES_MB) {
      const r = bySize[`${mb}MB`];
      console.log(
        `${name.padEnd(24)}${`${(r.bytes / 1e6).toFixed(1)} MB`.padStart(8)}${String(r.count).padStart(10)}` +
          `${String(r.findings).padStart(10)}${(r.wallMs / 1000).toFixed(2).padStart(9)}` +
          `${(r.cpuMs / 1000).toFixed(2).padStart(8)}${`${r.peakRssMB} MB`.padStart(10)}` +
          `${mb === SIZES_MB[1] ? `${bySize.linearity}×`.padStart(9) : ''}`,
      );
    }
  }
  console.log(
    `targets at 10 MB: under ${HOSTILE_TARGETS.wallMs / 1000} s, under ${HOSTILE_TARGETS.rssMB} MB, ` +
      `10 MB ≤ ${HOSTILE_TARGETS.linearity}× the CPU time of 5 MB`,
  );
  for (const p of problems) console.log(`problem: ${p}`);
}
