/**
 * Publishing from a run: the PR and its base read from the runner, the comment or the drift issue posted, and
 * GitHub's refusals and outages turned into one warning; then the bundled Action on a pull_request.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeGrant } from '../src/pull-request/access-diff.js';
import { githubContext } from '../src/action/context.js';
import { driftMarker } from '../src/action/drift-issue.js';
import { describeFault, makeOctokit } from '../src/action/octokit.js';
import { publishToGitHub } from '../src/action/publish.js';
import { checkoutBase } from '../src/pull-request/base-checkout.js';
import { checkPullRequest } from '../src/pull-request/check.js';
import { check, makeRepo, REPO_ROOT } from './helpers.js';
import { useFakeGitHub } from './github/fake-github.js';
import { github, context, assignments, inputsFor, INSTANCE, prRepo } from './action-github/helpers.js';

useFakeGitHub(github);

describe('publishing from a run', () => {
  it('reads the PR from GITHUB_EVENT_PATH, and a fork from the head repository', () => {
    const { eventPath } = prRepo();
    const env = {
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_RUN_ID: '9',
      GITHUB_API_URL: github.url,
    };
    const ctx = githubContext(env)!;
    expect(ctx.pullRequest).toMatchObject({ number: 1, fromFork: false });
    expect(ctx.runUrl).toBe('https://github.com/o/r/actions/runs/9');
    const event = JSON.parse(readFileSync(eventPath, 'utf8'));
    event.pull_request.head.repo.full_name = 'fork/r';
    writeFileSync(eventPath, JSON.stringify(event));
    expect(githubContext(env)!.pullRequest!.fromFork).toBe(true);
    expect(githubContext({})).toBeUndefined();
  });

  it('diffs the head with the base commit read from git, and fails closed when it cannot be read', async () => {
    const { workspace, baseSha } = prRepo();
    const root = join(workspace, 'iam');
    const base = checkoutBase(workspace, 'iam/', baseSha);
    try {
      const { diff } = await checkPullRequest({
        headRoot: root,
        baseRoot: base.root,
        options: { root, live: 'off' },
      });
      expect(diff.added.map((g) => describeGrant(g, 'gains'))).toEqual([
        'group aws-data-eng gains AdministratorAccess in prod (111111111111)',
      ]);
    } finally {
      base.dispose();
    }
    expect(() => checkoutBase(workspace, 'iam/', 'b'.repeat(40))).toThrow(
      new RegExp(`the base commit ${'b'.repeat(12)} could not be read from git.*base-path`),
    );
  });

  it('on 403 (a fork PR) gives one warning and posts nothing; the result is untouched', async () => {
    const { workspace, eventPath } = prRepo();
    const root = join(workspace, 'iam');
    const result = await check(root);
    const before = JSON.stringify(result.report);
    github.failWrites = 403;
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: github.url };
    const out = await publishToGitHub({
      result,
      inputs: inputsFor(root, { pathPrefix: 'iam/' }),
      env,
      drift: false,
    });
    expect(out.warning).toBe(
      'idc-guard could not post the PR comment on #1: the token may not write here (403: a fork PR, or missing permissions); the job summary has everything',
    );
    expect(github.comments).toHaveLength(0);
    expect(JSON.stringify(result.report)).toBe(before);
  });

  it('on a pull_request run from a fork, says so once and asks GitHub nothing; pull_request_target posts', async () => {
    const { workspace, eventPath } = prRepo();
    const event = JSON.parse(readFileSync(eventPath, 'utf8'));
    event.pull_request.head.repo.full_name = 'fork/r';
    writeFileSync(eventPath, JSON.stringify(event));
    const root = join(workspace, 'iam');
    const result = await check(root);
    const env = {
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_API_URL: github.url,
    };
    const input = { result, inputs: inputsFor(root, { pathPrefix: 'iam/' }), env, drift: false };
    expect(await publishToGitHub(input)).toEqual({
      info: [],
      warning:
        'idc-guard did not post the PR comment on #1: a pull_request run from a fork gets a read-only token; the job summary has everything',
    });
    expect(github.requests).toEqual([]);
    const target = { ...input, env: { ...env, GITHUB_EVENT_NAME: 'pull_request_target' } };
    expect((await publishToGitHub(target)).warning).toBeUndefined();
    expect(github.comments).toHaveLength(1);
  });

  it("checks a PR against the base branch's config and policies: a PR cannot loosen them", async () => {
    const strict =
      'kind: Policy\nid: ORG-009\ntitle: t\nseverity: error\ntarget: assignment\nrequire: { properties: { principal: { pattern: "^aws-admins-" } } }\nmessage: "{principal} may not hold {permissionSet}"\n';
    // The PR grants admin to a group the policy forbids, and loosens the policy and the config to get away with it.
    const { workspace, baseSha } = prRepo({
      'iam/.idc-guard.yml': 'policies: ["policies/*.yaml"]\nfailOn: error\n',
      'iam/policies/admins.yaml': strict,
    });
    writeFileSync(
      join(workspace, 'iam/policies/admins.yaml'),
      strict.replace(/require: .*/, 'require: true'),
    );
    writeFileSync(join(workspace, 'iam/.idc-guard.yml'), 'policies: ["policies/*.yaml"]\nfailOn: never\n');
    const root = join(workspace, 'iam');
    const base = checkoutBase(workspace, 'iam/', baseSha);
    const { result, diff } = await checkPullRequest({
      headRoot: root,
      baseRoot: base.root,
      options: { root, live: 'off' },
    }).finally(() => base.dispose());
    // The fixture is minimal (IDC001/IDC002 fire too); what matters is the base's policy and failOn.
    const policyFindings = result.report.findings.filter((f) => f.ruleId === 'ORG-009');
    expect(policyFindings.map((f) => [f.file, f.line, f.message])).toEqual([
      ['identity/assignments.yaml', 5, 'aws-data-eng may not hold AdministratorAccess'],
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.report.notices.map((n) => n.message)).toContain(
      "this pull request changes .idc-guard.yml, policies/admins.yaml: the check uses the base branch's, and the changes apply once merged",
    );
    expect(diff.added.map((g) => describeGrant(g, 'gains'))).toEqual([
      'group aws-data-eng gains AdministratorAccess in prod (111111111111)',
    ]);
  });

  it('a 5xx or an unreachable API is one warning too', async () => {
    const { workspace, eventPath } = prRepo();
    const root = join(workspace, 'iam');
    const result = await check(root);
    github.failWrites = 502;
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: github.url };
    const input = { result, inputs: inputsFor(root, { pathPrefix: 'iam/' }), env, drift: false };
    expect((await publishToGitHub(input)).warning).toContain('GitHub failed (502)');
    const down = { ...input, env: { ...env, GITHUB_API_URL: 'http://127.0.0.1:1' } };
    expect((await publishToGitHub(down)).warning).toContain('GitHub could not be reached');
  });

  it('in drift mode, maintains the drift issue keyed by the instance', async () => {
    const root = makeRepo({ 'identity/instance.yaml': INSTANCE });
    const result = await check(root);
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: github.url };
    const input = { result, inputs: inputsFor(root, { mode: 'drift' }), env, drift: true };
    expect(await publishToGitHub(input)).toEqual({ info: ['drift issue: created #100'] });
    expect(github.issues[0].body.startsWith(driftMarker('arn:aws:sso:::instance/ssoins-1'))).toBe(true);
    expect(await publishToGitHub({ ...input, drift: false })).toEqual({ info: ['drift issue: closed #100'] });
    // Not asked for: nothing at all.
    github.reset();
    const off = { ...input, inputs: inputsFor(root, { mode: 'drift', driftIssue: false }) };
    expect(await publishToGitHub(off)).toEqual({ info: [] });
    expect(github.requests).toEqual([]);
  });

  it('a GitHub that does not answer times out', async () => {
    github.hang = true;
    const slow = makeOctokit('t0ken', context(), 300);
    const err = await slow.rest.issues
      .listComments({ owner: 'o', repo: 'r', issue_number: 1 })
      .catch((e) => e);
    expect(describeFault(err)).toBe('GitHub did not answer in time');
  });
});

describe('the bundled action (dist/index.js) on a pull_request', () => {
  it('posts one comment with the access changes; a 403 is one warning and the same exit code', async () => {
    const { workspace, eventPath } = prRepo();
    const temp = mkdtempSync(join(tmpdir(), 'idc-guard-action-'));
    const runAction = () => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: join(temp, 'summary'),
        GITHUB_OUTPUT: join(temp, 'output'),
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '42',
        RUNNER_TEMP: temp,
        IDC_GUARD_NOW: '2026-11-23',
        INPUT_PATH: 'iam',
        INPUT_LIVE: 'off',
        INPUT_COMMENT: 'true',
        'INPUT_GITHUB-TOKEN': 't0ken',
        'INPUT_FAIL-ON': 'never',
      };
      writeFileSync(join(temp, 'summary'), '');
      writeFileSync(join(temp, 'output'), '');
      // Async, so that the loopback server in this process can answer.
      return new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'index.js')], { cwd: workspace, env });
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.on('close', (status) => resolve({ status, stdout }));
      });
    };
    const first = await runAction();
    expect(first.status).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].body).toContain(
      '- ➕ group `aws-data-eng` gains `AdministratorAccess` in prod (111111111111) · **production**',
    );
    expect(github.comments[0].body).toContain('[The workflow run](https://github.com/o/r/actions/runs/42)');
    // The job summary has the same access changes.
    expect(readFileSync(join(temp, 'summary'), 'utf8')).toContain(
      '- ➕ group `aws-data-eng` gains `AdministratorAccess` in prod (111111111111) · **production**',
    );
    await runAction();
    expect(github.comments).toHaveLength(1);

    github.failWrites = 403;
    writeFileSync(
      join(workspace, 'iam/identity/assignments.yaml'),
      assignments([['ops', 'ReadOnly', 'prod']]),
    );
    const denied = await runAction();
    expect(denied.status).toBe(0);
    const warnings = denied.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toEqual([
      '::warning::idc-guard could not post the PR comment on #1: the token may not write here (403: a fork PR, or missing permissions); the job summary has everything',
    ]);
  });
});
