// The cost of a pull request's check (issue 14): the base evaluation next to the head alone, on the L
// organisation, with a PR that changes the grants of 25 groups. Both run the bundled CLI, --live off, as
// `check --root HEAD` and `check --root HEAD --base BASE`; the median of 3 runs each, and the peak RSS.
//   node scripts/bench-pr.js            prints the table; bench.js calls runPullRequestBench() after the static stage
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOrg } from '../bench/generate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@example.com',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@example.com',
    },
  }).trim();

/** One check under /usr/bin/time (or without it), its wall time and peak RSS. */
function timed(args) {
  const time = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const run = spawnSync(
    time ? '/usr/bin/time' : process.execPath,
    [...(time ? ['-f', '%M', process.execPath] : []), CLI, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, IDC_GUARD_NOW: '2026-11-23', NO_COLOR: '1' },
      maxBuffer: 1024 * 1024 * 1024,
    },
  );
  const wallMs = performance.now() - t0;
  if (run.status === 2) throw new Error(`the check failed: ${run.stderr.slice(0, 500)}`);
  const rssKB = time ? Number(run.stderr.trim().split('\n').at(-1)) : NaN;
  return { wallMs, rssKB, report: JSON.parse(run.stdout) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runPullRequestBench({ outDir = join(ROOT, 'bench', 'out'), runs = 3 } = {}) {
  const repo = join(outDir, 'pr-L');
  rmSync(repo, { recursive: true, force: true });
  const counts = await generateOrg('L', repo, 42);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  const base = git(repo, 'rev-parse', 'HEAD');
  // The change: 25 groups gain a permission set in one more account each (a new Assignments file).
  const groups = [
    ...new Set(git(repo, 'grep', '-h', '-o', '-E', 'group: [^,}]+', 'HEAD', '--', 'identity').split('\n')),
  ]
    .map((l) => l.replace(/^.*group: /, '').trim())
    .slice(0, 25);
  // An existing permission set and account, so that the change is correct: nothing introduced.
  const grep = (pattern) =>
    git(repo, 'grep', '-h', '-o', '-m1', '-E', pattern, 'HEAD', '--', 'identity').split('\n')[0];
  const permissionSet = grep('^name: [^ ]+').replace('name: ', '');
  const account = grep('"[0-9]{12}"');
  const rows = groups.map(
    (g) => `  - { group: ${g}, permissionSet: ${permissionSet}, accounts: [${account}] }`,
  );
  appendFileSync(join(repo, 'identity', 'pr.yaml'), `kind: Assignments\nassignments:\n${rows.join('\n')}\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'head');
  const head = [];
  const pr = [];
  const check = (...extra) =>
    timed(['check', '--root', repo, '--live', 'off', '--format', 'json', '--fail-on', 'never', ...extra]);
  for (let i = 0; i < runs; i++) {
    head.push(check());
    pr.push(check('--base', base));
  }
  const introduced = pr[0].report.findings.filter((f) => f.scope === 'introduced').length;
  const result = {
    organisation: { files: counts.files, groups: groups.length, changedGroups: 25 },
    headOnlyMs: Math.round(median(head.map((r) => r.wallMs))),
    withBaseMs: Math.round(median(pr.map((r) => r.wallMs))),
    headOnlyPeakMB: Math.round(Math.max(...head.map((r) => r.rssKB)) / 1024),
    withBasePeakMB: Math.round(Math.max(...pr.map((r) => r.rssKB)) / 1024),
    introduced,
  };
  result.ratio = Math.round((result.withBaseMs / result.headOnlyMs) * 100) / 100;
  return result;
}

export function printPullRequest(r) {
  console.log('\npull request check on L (issue 14): 25 groups gain a grant; --live off, median of 3');
  console.log(`  head alone            ${(r.headOnlyMs / 1000).toFixed(2)} s  ${r.headOnlyPeakMB} MB`);
  console.log(
    `  with --base (3 states) ${(r.withBaseMs / 1000).toFixed(2)} s  ${r.withBasePeakMB} MB  ${r.ratio}× (target 1.5×)`,
  );
  console.log(`  findings the change introduces: ${r.introduced}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printPullRequest(await runPullRequestBench());
