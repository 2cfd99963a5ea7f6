// The live stage's local Identity Center server: the tests' launcher (test/aws/server.ts, compiled by
// bench/model.js), with the bench's own error for a missing moto, so that the stage can exit 2 and say how
// to skip it.
import { spawnSync } from 'node:child_process';
import { modelModules } from './model.js';

export class LiveBenchError extends Error {}

/** Starts test/aws/idc_server.py on a free loopback port (no rate limit); resolves once it answers. */
export async function startServer() {
  const { findPython, startIdcServer } = await modelModules();
  let python;
  try {
    python = findPython();
  } catch (error) {
    throw new LiveBenchError(`${error.message}, or skip the stage with --no-live`);
  }
  const probe = spawnSync(python, ['-c', 'import moto; print(moto.__version__)'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  let server;
  try {
    server = await startIdcServer();
  } catch (error) {
    throw new LiveBenchError(error.message);
  }
  return { ...server, python, moto: probe.stdout.trim(), seedRandom: server.seed };
}
