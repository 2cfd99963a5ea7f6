/**
 * Tags a release: `npm run release` (or `node scripts/release.js --dry-run`).
 *
 * Checks that the tree is clean, that dist/ equals a fresh bundle of the sources (built in memory, dist/ is not
 * touched), that CHANGELOG.md has a section for the version and that its tag is new; then tags vX.Y.Z from
 * package.json, moves the major tag (v0) to it, and pushes both. Every git command that changes something is
 * printed before it runs; with --dry-run it is only printed, and a failed check still fails the run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');
const REMOTE = 'origin';

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const problems = [];

/** Prints what was checked; remembers what to do when it failed. */
function check(ok, what, remedy) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(remedy);
}

/** Each bundle's code as rollup would write it, compared with the committed file. */
async function staleBundles() {
  const { rollup } = await import('rollup');
  const { default: configs } = await import(join(ROOT, 'rollup.config.js'));
  const stale = [];
  for (const config of configs) {
    const bundle = await rollup({ ...config, onwarn: () => {} });
    const { output } = await bundle.generate(config.output);
    await bundle.close();
    const file = config.output.file;
    if (readFileSync(join(ROOT, file), 'utf8') !== output[0].code) stale.push(file);
  }
  return stale;
}

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const match = /^(\d+)\.\d+\.\d+$/.exec(version);
if (!match) throw new Error(`package.json's version ${version} is not X.Y.Z`);
const tag = `v${version}`;
const major = `v${match[1]}`;

process.chdir(ROOT); // rollup.config.js names its paths from the repository root
check(
  git('status', '--porcelain') === '',
  'the work tree is clean',
  'commit or stash your changes first (git status)',
);
check(git('tag', '--list', tag) === '', `${tag} is a new tag`, `${tag} exists: bump package.json`);
const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
check(
  changelog.includes(`## [${version}]`),
  `CHANGELOG.md has a section for ${version}`,
  `add "## [${version}] - date" to CHANGELOG.md, from Unreleased`,
);
const stale = await staleBundles();
check(
  stale.length === 0,
  'dist/ equals a fresh bundle',
  `${stale.join(', ')} differ from a fresh bundle: run npm run bundle and commit dist/`,
);

if (problems.length > 0 && !dryRun) {
  console.error(`\nNot released:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}

const commands = [
  ['tag', '-a', tag, '-m', tag],
  ['tag', '-f', '-a', major, '-m', `${major} is ${tag}`, `${tag}^{commit}`],
  ['push', REMOTE, tag],
  ['push', '-f', REMOTE, major],
];
console.log(dryRun ? '\nWould run:' : '\nRunning:');
for (const args of commands) {
  console.log(`git ${args.map((a) => (/^[\w./^{}-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`);
  if (!dryRun) git(...args);
}
if (problems.length > 0) {
  console.error(`\nA release would stop first:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
