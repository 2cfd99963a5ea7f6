// The live-read benchmark (scripts/bench-live.js): the naive reader: the AWS CLI over every account × permission set.
import { spawn, spawnSync } from 'node:child_process';
import { RATE, REGION } from './constants.js';
import { naiveLearning } from '../../bench/cost.js';
import { round } from './helpers.js';

/** Debian's awscli (/usr/bin/aws) when installed, else the first `aws` on PATH; undefined without one. */
export function findAwsCli() {
  for (const candidate of ['/usr/bin/aws', 'aws']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0)
      return { path: candidate, version: (probe.stdout || probe.stderr).trim().split(' ')[0] };
  }
  return undefined;
}

/** Pairs the naive run covers: all of them up to NAIVE_MAX_PAIRS, else an even sample of that many. */
export const NAIVE_MAX_PAIRS = 400;
/** AWS CLI processes at once (each is a Python start; the machine has two cores). */
export const NAIVE_PROCESSES = 6;

/**
 * What common drift scripts do, with a real client: `aws sso-admin list-account-assignments` for every
 * account × permission set (the CLI follows NextToken itself), against the same server at the same 20/s,
 * with the CLI's default retries. Larger organisations run an even sample of the pairs: every call is one
 * pair's listing, so the calls for all pairs are the sample's calls per pair × pairs (checked against the
 * model), and the time is at least calls ÷ 20/s.
 */
export async function runNaiveAwsCli(org, d, instance, server, log) {
  const cli = findAwsCli();
  if (!cli) {
    log("bench: naive reader skipped: no AWS CLI (install Debian's: apt-get install awscli)");
    return { skipped: 'no AWS CLI (apt-get install awscli)' };
  }
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^AWS_/.test(name)) delete env[name];
  Object.assign(env, {
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  const aws = (args) =>
    new Promise((resolve) => {
      // --endpoint-url: Debian's awscli (2.9) predates AWS_ENDPOINT_URL.
      const child = spawn(cli.path, [...args, '--endpoint-url', server.endpoint, '--output', 'json'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = [];
      const err = [];
      child.stdout.on('data', (c) => out.push(c));
      child.stderr.on('data', (c) => err.push(c));
      child.on('close', (code) =>
        resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
      );
    });
  await server.setTps(RATE);
  await server.resetCalls();
  const t0 = performance.now();
  const listed = await aws(['sso-admin', 'list-permission-sets', '--instance-arn', instance.instanceArn]);
  if (listed.code !== 0)
    return { skipped: `list-permission-sets failed: ${listed.stderr.trim().split('\n').at(-1)}` };
  const arns = JSON.parse(listed.stdout).PermissionSets ?? [];
  const pairs = org.accounts.flatMap((a) => arns.map((arn) => [a.id, arn]));
  const step = Math.max(1, Math.ceil(pairs.length / NAIVE_MAX_PAIRS));
  const sample = pairs.filter((_, i) => i % step === 0);
  process.stdout.write(
    `bench: live ${org.size} naive: aws ${cli.version}, ${sample.length} of ${pairs.length} pairs `,
  );
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < sample.length) {
      const [account, arn] = sample[next++];
      const r = await aws([
        'sso-admin',
        'list-account-assignments',
        '--instance-arn',
        instance.instanceArn,
        '--account-id',
        account,
        '--permission-set-arn',
        arn,
      ]);
      if (r.code !== 0) failed += 1;
      if (next % 50 === 0) process.stdout.write('.');
    }
  };
  await Promise.all(Array.from({ length: NAIVE_PROCESSES }, worker));
  const wallS = (performance.now() - t0) / 1000;
  const calls = await server.calls();
  const pairCalls = calls.byOperation.ListAccountAssignments ?? 0;
  const perPair = pairCalls / sample.length;
  const allCalls = Math.round(perPair * pairs.length) + (calls.byOperation.ListPermissionSets ?? 0);
  process.stdout.write(` ${round(wallS, 1)} s\n`);
  return {
    client: `${cli.path} (${cli.version})`,
    command: 'aws sso-admin list-account-assignments --account-id A --permission-set-arn P, for every pair',
    processes: NAIVE_PROCESSES,
    pairs: pairs.length,
    pairsRun: sample.length,
    sampled: sample.length < pairs.length,
    callsRun: calls.total,
    callsPerPair: round(perPair, 3),
    calls: allCalls,
    modelCalls: naiveLearning(org, d) + 1,
    wallSRun: round(wallS, 1),
    wallS: round(Math.max((wallS * pairs.length) / sample.length, allCalls / RATE), 1),
    throttledByServer: calls.throttled,
    errorsSurfacing: failed,
  };
}
