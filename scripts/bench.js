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
//
// The stages live beside it: scripts/bench-static.js (and its tables, bench-static-print.js), bench-hostile.js,
// bench-pr.js, bench-live.js; scripts/bench-profile.js profiles; bench/ holds the generators and the model.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, fail, formatJson, OUT, RESULTS, ROOT, round, runCheck, SEED } from './bench-common.js';
import { printHostile, runHostileBench } from './bench-hostile.js';
import { LIVE_SIZES, LiveBenchError, printLive, runLiveBench } from './bench-live.js';
import { printPullRequest, runPullRequestBench } from './bench-pr.js';
import { profile } from './bench-profile.js';
import { runStaticStage } from './bench-static.js';

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

if (opts.profile) await profile(opts);
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
  const staticStage = opts['live-only'] ? undefined : await runStaticStage(opts);
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
