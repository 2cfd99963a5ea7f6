import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  'check out the base commit in the workflow (actions/checkout with ref: ${{ github.event.pull_request.base.sha }} and a path) and give that folder as the input base-path';

/**
 * The base of a pull request: the `base-path` folder the workflow checked out itself when given (the safe
 * pattern for pull_request_target), else the base commit taken from git (`git archive`) into a temporary folder.
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
  const git = (args: string[]) =>
    spawnSync('git', args, { cwd: workspace, maxBuffer: 1024 * 1024 * 1024, timeout: 60_000 });
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new BaseUnavailableError(`the base commit is not known: ${HOW}`);
  // A shallow checkout (the default) does not have the base commit: fetch it, and fail closed if that fails.
  const known = () => git(['cat-file', '-e', `${sha}^{commit}`]).status === 0;
  if (!known()) git(['fetch', '--no-tags', '--depth=1', 'origin', sha]);
  if (!known()) {
    throw new BaseUnavailableError(
      `the base commit ${sha.slice(0, 12)} could not be read from git, so the pull request cannot be checked against the base branch's rules: ${HOW}`,
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), 'idc-guard-base-'));
  const dispose = () => rmSync(tmp, { recursive: true, force: true });
  const path = pathPrefix.replace(/\/$/, '') || '.';
  const root = join(tmp, pathPrefix);
  mkdirSync(root, { recursive: true });
  if (git(['cat-file', '-e', `${sha}:${path === '.' ? '' : path}`]).status === 0) {
    const archive = git(['archive', '--format=tar', sha, '--', path]);
    const untar = spawnSync('tar', ['-x', '-C', tmp], { input: archive.stdout, maxBuffer: 1024 * 1024 });
    if (archive.status !== 0 || untar.status !== 0) {
      dispose();
      throw new BaseUnavailableError(`the base commit ${sha.slice(0, 12)} could not be extracted: ${HOW}`);
    }
  }
  return { root, dispose };
}
