import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { AccessDiff } from '../pull-request/access-diff.js';
import type { CheckOptions, CheckResult } from '../engine.js';
import type { FailOnScope } from '../findings/types.js';
import { BaseUnavailableError, checkoutBase } from '../pull-request/base-checkout.js';
import { checkPullRequest } from '../pull-request/check.js';

/**
 * `check --base REF` or `--base-root DIR`: the pull request's check as the Action runs it, locally. REF is a
 * git revision of the repository that holds --root; DIR is the same folder as --root, as the base has it.
 */
export async function checkAgainstBase(
  options: CheckOptions,
  base: { ref?: string; root?: string; failOnScope?: FailOnScope },
  cwd: string,
): Promise<{ result: CheckResult; diff: AccessDiff }> {
  const failOnScope = base.failOnScope;
  const headRoot = resolve(options.root);
  if (base.root !== undefined) {
    if (!statSync(resolve(cwd, base.root), { throwIfNoEntry: false })?.isDirectory())
      throw new BaseUnavailableError(`--base-root ${JSON.stringify(base.root)} is not a folder`);
    const pr = await checkPullRequest({ headRoot, baseRoot: resolve(cwd, base.root), options, failOnScope });
    return { result: pr.result, diff: pr.diff };
  }
  const git = (...args: string[]) => spawnSync('git', ['-C', headRoot, ...args], { encoding: 'utf8' });
  const top = git('rev-parse', '--show-toplevel');
  if (top.status !== 0)
    throw new BaseUnavailableError(`--base needs a git checkout, and ${headRoot} is not in one`);
  const sha = git('rev-parse', '--verify', '--quiet', `${base.ref}^{commit}`);
  if (sha.status !== 0)
    throw new BaseUnavailableError(`--base ${JSON.stringify(base.ref)} is not a commit of this repository`);
  const repo = top.stdout.trim();
  const rel = relative(repo, headRoot).split('\\').join('/');
  const checkout = checkoutBase(repo, rel ? `${rel}/` : '', sha.stdout.trim());
  try {
    const pr = await checkPullRequest({ headRoot, baseRoot: checkout.root, options, failOnScope });
    return { result: pr.result, diff: pr.diff };
  } finally {
    checkout.dispose();
  }
}
