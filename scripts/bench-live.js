// The live-read benchmark: the stage of `npm run bench` that reads a generated organisation from the local
// Identity Center server (test/aws/idc_server.py) rate-limited to 20 requests a second, as AWS is. See
// bench/README.md ("Live read").
//
//   node scripts/bench-live.js                 seed M, read it in drift and in PR-check mode, print the table
//   node scripts/bench-live.js --sizes S,M     (scripts/bench.js runs this stage after the static one and
//                                              writes its result under `live` in bench/results.json)
//
// Per size it: starts the server from the project's own file; generates the organisation from a seeded PRNG;
// seeds it through the real @aws-sdk clients with the server's limit off; writes declarations that match it
// (bench/out/live-<size>/ for drift, a smaller bench/out/live-<size>-pr/ for the PR check); then, with the
// limit at 20/s, times `idc-guard check --live aws` in each mode and compares its calls with the server's
// count, with the calls the reader should make for that data (a model of src/live/reader.ts), with the
// minimum any reader needs, and with a naive reader that lists every account × permission set.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LiveBenchError } from '../bench/server.js';
import { runLiveBench } from './bench-live/runs.js';
import { printLive } from './bench-live/print.js';
export { LIVE_SIZES, RATE } from './bench-live/constants.js';
export { LiveBenchError } from '../bench/server.js';
export { describeOrg, generateLiveOrg } from '../bench/live-org.js';
export { minimumCalls, minimumPlan } from '../bench/cost.js';
export { modelSize, runLiveBench } from './bench-live/runs.js';
export { printLive } from './bench-live/print.js';
export { writeDeclarations } from '../bench/declarations.js';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: 'S,M' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(
      'usage: node scripts/bench-live.js [--sizes M] (npm run bench runs it too, and writes results.json)',
    );
    process.exit(0);
  }
  try {
    const live = await runLiveBench({ sizes: values.sizes.split(',').map((s) => s.trim().toUpperCase()) });
    printLive(live);
    process.exit(Object.values(live.sizes).some((r) => r.problems.length) ? 1 : 0);
  } catch (error) {
    console.error(`bench: ${error instanceof LiveBenchError ? error.message : error.stack}`);
    process.exit(2);
  }
}
