/**
 * GitHub faults (403, 404, 422, 500, a timeout) on each call the Action makes: one warning, the check's
 * result untouched, and nothing left half done.
 */
import { describe, expect, it } from '@jest/globals';
import { publishToGitHub } from '../src/action/publish.js';
import { check, makeRepo } from './helpers.js';
import { useFakeGitHub } from './github/fake-github.js';
import { github, ADMIN_DIFF, assignments, inputsFor, INSTANCE, prRepo } from './action-github/helpers.js';

useFakeGitHub(github);

describe('GitHub faults on each call the Action makes', () => {
  /** Every request the Action makes, in the order it makes them. */
  const CALLS = {
    comment: [
      ['POST', /^\/graphql$/, 'viewer'],
      ['GET', /\/issues\/1\/comments$/, 'list comments'],
      ['POST', /\/issues\/1\/comments$/, 'create comment'],
      ['PATCH', /\/issues\/comments\/\d+$/, 'update comment'],
    ],
    drift: [
      ['GET', /\/repos\/o\/r\/issues$/, 'list issues'],
      ['POST', /\/repos\/o\/r\/issues$/, 'create issue'],
      ['PATCH', /\/repos\/o\/r\/issues\/\d+$/, 'update or close issue'],
      ['POST', /\/repos\/o\/r\/issues\/\d+\/comments$/, 'closing comment'],
    ],
  } as const;
  const FAULTS = [403, 404, 422, 500, 'timeout'] as const;
  const cases = (Object.keys(CALLS) as (keyof typeof CALLS)[]).flatMap((flow) =>
    CALLS[flow].flatMap(([method, path, what]) =>
      FAULTS.map((status) => [flow, what, status, method, path] as const),
    ),
  );

  it.each(cases)(
    '%s: %s answered %s',
    async (flow, what, status, method, path) => {
      const root = makeRepo({
        'identity/instance.yaml': INSTANCE,
        'identity/a.yaml': assignments([['aws-data-eng', 'AdministratorAccess', 'prod']]),
      });
      const result = await check(root);
      const before = JSON.stringify({ report: result.report, exitCode: result.exitCode });
      const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: github.url };
      const input =
        flow === 'comment'
          ? {
              result,
              inputs: inputsFor(root),
              workspace: root,
              env,
              drift: false,
              access: { diff: ADMIN_DIFF },
            }
          : { result, inputs: inputsFor(root, { mode: 'drift' }), env, drift: true };
      // `changed`: another body, so that an existing comment is updated rather than left as it is.
      const publish = (drift = input.drift, changed = false) =>
        publishToGitHub({
          ...input,
          ...(changed ? { access: { diff: { added: [], removed: [] } } } : {}),
          drift,
          timeoutMs: 300,
          env: flow === 'comment' ? { ...env, GITHUB_EVENT_PATH: prRepo().eventPath } : env,
        });
      // The calls that act on something need it first: a comment to update, an issue to update or close.
      if (/update|close|closing/.test(what)) {
        expect((flow === 'comment' ? await publish() : await publish(true)).warning).toBeUndefined();
      }
      github.failOn = { method, path, status };
      const closing = flow === 'drift' && /close|closing/.test(what);
      const outcome = await publish(closing ? false : input.drift, true);
      const faulted = github.injected;
      github.failOn = undefined;
      // The call under test was made, and failed.
      expect(faulted).toBeGreaterThan(0);
      // The check's result never changes.
      expect(JSON.stringify({ report: result.report, exitCode: result.exitCode })).toBe(before);
      if (what === 'viewer') {
        // Its fallback is the Actions bot: the comment is still posted, under that author.
        expect(outcome.warning).toBeUndefined();
      } else {
        // One warning that says what was not posted, and why.
        expect(outcome.warning).toMatch(
          /^idc-guard could not post (the PR comment on #1|the drift issue): .+; the job summary has everything$/,
        );
        expect(outcome.warning).toContain(
          status === 'timeout'
            ? 'did not answer in time'
            : status === 500
              ? 'GitHub failed (500)'
              : `(${status}`,
        );
      }
      // The next run, with GitHub well again, posts: nothing was left half done.
      expect((await publish(closing ? false : input.drift, true)).warning).toBeUndefined();
    },
    20_000,
  );
});
