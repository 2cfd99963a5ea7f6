import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The checked folder as the pull request's base commit has it. */
export interface BaseCheckout {
  root: string;
  dispose(): void;
}

/**
 * The base cannot be read: the check fails closed (exit 2) instead of judging the PR by its own configuration.
 * Its message is the one line the step fails with.
 */
export class BaseUnavailableError extends Error {}

const HOW =
  'check out the base commit in the workflow (actions/checkout with ref: ${{ github.event.pull_request.base.sha ' +
  '}} and a path) and give that folder as the input base-path';

/**
 * The base of a pull request: the `base-path` folder the workflow checked out itself when given (the safe
 * pattern for pull_request_target), else the base commit taken from git (`git checkout` into a temporary folder).
 * `pathPrefix` is the checked folder relative to the repository root.
 */
export function checkoutBase(
  workspace: string,
  pathPrefix: string,
  sha: string,
  basePath?: string,
): BaseCheckout {
  if (basePath) {
    const stat = lstatSync(basePath, { throwIfNoEntry: false });
    if (!stat?.isDirectory())
      throw new BaseUnavailableError(
        `input base-path ${JSON.stringify(basePath)} is not a folder (a symbolic link is not followed): ${HOW}`,
      );
    const root = join(realpathSync(basePath), pathPrefix);
    return { root, dispose: () => {} };
  }
  const git: Git = (args, env = {}, input) =>
    spawnSync('git', args, {
      cwd: workspace,
      env: { ...process.env, ...env },
      input,
      maxBuffer: 1024 * 1024 * 1024,
      timeout: 60_000,
    });
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new BaseUnavailableError(`the base commit is not known: ${HOW}`);
  // A shallow checkout (the default) does not have the base commit: fetch it, and fail closed if that fails.
  const known = () => git(['cat-file', '-e', `${sha}^{commit}`]).status === 0;
  if (!known()) git(['fetch', '--no-tags', '--depth=1', 'origin', sha]);
  if (!known()) {
    throw new BaseUnavailableError(
      `the base commit ${sha.slice(0, 12)} could not be read from git, so the pull request cannot ` +
        `be checked against the base branch's rules: ${HOW}`,
    );
  }
  const tmp = mkdtempSync(join(process.env.RUNNER_TEMP ?? tmpdir(), 'idc-guard-base-'));
  const indexDir = mkdtempSync(join(tmpdir(), 'idc-guard-index-'));
  const dispose = () => {
    for (const dir of [tmp, indexDir]) rmSync(dir, { recursive: true, force: true });
  };
  const path = pathPrefix.replace(/\/$/, '') || '.';
  const root = join(tmp, pathPrefix);
  mkdirSync(root, { recursive: true });
  if (git(['cat-file', '-e', `${sha}:${path === '.' ? '' : path}`]).status === 0) {
    try {
      writeBase(git, tmp, path, sha, join(indexDir, 'index'));
    } catch {
      dispose();
      throw new BaseUnavailableError(`the base commit ${sha.slice(0, 12)} could not be extracted: ${HOW}`);
    }
  }
  return { root, dispose };
}

type Git = (args: string[], env?: Record<string, string>, input?: string) => SpawnSyncReturns<Buffer>;

/**
 * Writes the base's files under `path` into `tmp`. Most of a pull request's files are the same in the base:
 * git itself compares the base tree with the working tree, hashing every file (an index of its own, read from
 * the base, has no stat data to trust), and a file with the base's content is hard-linked from the working
 * tree. The rest (changed, deleted, links, or where a link cannot be made) git writes, without hooks. Writing
 * 25 MB of unchanged files cost more than half a second.
 */
function writeBase(git: Git, tmp: string, path: string, sha: string, index: string): void {
  const env = { GIT_INDEX_FILE: index };
  const run = (args: string[], input?: string): string => {
    const out = git(['--literal-pathspecs', '-c', 'core.hooksPath=/dev/null', ...args], env, input);
    if (out.status !== 0) throw new Error(String(out.stderr));
    return String(out.stdout);
  };
  run(['read-tree', sha]);
  const top = run(['rev-parse', '--show-toplevel']).trim();
  const cwdPrefix = run(['rev-parse', '--show-prefix']).trim();
  const changed = new Set(run(['diff', '--no-renames', '--name-only', '-z', '--', path]).split('\0'));
  const fromGit: string[] = [];
  for (const entry of run(['ls-files', '--stage', '--full-name', '-z', '--', path]).split('\0')) {
    const match = /^(\d+) [0-9a-f]+ \d+\t(.+)$/s.exec(entry);
    if (!match) continue;
    const [, mode, file] = match;
    const relative = file.slice(cwdPrefix.length);
    if (mode !== '100644' && mode !== '100755') fromGit.push(relative);
    else if (changed.has(file) || !linked(join(top, file), join(tmp, relative))) fromGit.push(relative);
  }
  if (fromGit.length === 0) return;
  run(
    [`--work-tree=${tmp}`, 'checkout', sha, '--pathspec-from-file=-', '--pathspec-file-nul'],
    fromGit.join('\0'),
  );
}

/** A hard link to a regular file of the working tree, when the file system allows one. */
function linked(from: string, to: string): boolean {
  try {
    if (!lstatSync(from).isFile()) return false;
    mkdirSync(dirname(to), { recursive: true });
    linkSync(from, to);
    return true;
  } catch {
    return false;
  }
}
