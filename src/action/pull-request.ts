import { runCheck, type CheckOptions, type CheckResult } from '../engine.js';
import { checkoutBase } from '../pull-request/base-checkout.js';
import { checkPullRequest } from '../pull-request/check.js';
import type { AccessChanges } from './comment.js';
import { githubContext } from './context.js';
import type { ActionInputs } from './inputs.js';

/**
 * The check, as the CLI runs it. On a pull request, against the base branch's configuration and policies,
 * with the access diff that the job summary and the PR comment share.
 */
export async function checkForEvent(
  inputs: ActionInputs,
  options: CheckOptions,
  workspace: string,
  env: NodeJS.ProcessEnv,
): Promise<{ result: CheckResult; access?: AccessChanges }> {
  const pullRequest = inputs.mode === 'check' ? githubContext(env)?.pullRequest : undefined;
  if (!pullRequest) return { result: await runCheck(options) };
  // Fails closed: without the base, there is nothing trustworthy to judge the PR by (BaseUnavailableError).
  const base = checkoutBase(workspace, inputs.pathPrefix, pullRequest.baseSha, inputs.basePath);
  try {
    const pr = await checkPullRequest({
      headRoot: inputs.root,
      baseRoot: base.root,
      options,
      labelAdded: pullRequest.labelAdded,
      failOnScope: inputs.failOnScope,
      publicRepository: pullRequest.publicRepository,
    });
    return { result: pr.result, access: { diff: pr.diff } };
  } finally {
    base.dispose();
  }
}
