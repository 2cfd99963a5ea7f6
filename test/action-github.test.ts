import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessDiff, describeGrant, type AccessDiff } from '../src/pull-request/access-diff.js';
import { COMMENT_LIMIT_CHARS, COMMENT_MARKER, renderComment } from '../src/action/comment.js';
import { githubContext, type GitHubContext } from '../src/action/context.js';
import { DRIFT_LABEL, driftMarker } from '../src/action/drift-issue.js';
import { maintainDriftIssue } from '../src/action/maintain-drift-issue.js';
import { describeFault, makeOctokit } from '../src/action/octokit.js';
import { publishToGitHub } from '../src/action/publish.js';
import { upsertComment } from '../src/action/sticky-comment.js';
import type { ActionInputs } from '../src/action/inputs.js';
import { checkoutBase } from '../src/pull-request/base-checkout.js';
import { checkPullRequest } from '../src/pull-request/check.js';
import type { Report } from '../src/findings/report.js';
import { check, git, makeRepo, REPO_ROOT, fakeFinding, fakeReport } from './helpers.js';
import { FakeGitHub } from './github/fake-github.js';
import { renderedProblems, tableRows } from './gfm.js';

const github = new FakeGitHub();
beforeAll(() => github.start());
afterAll(() => github.stop());
beforeEach(() => github.reset());

const context = (pr = true): GitHubContext => ({
  owner: 'o',
  repo: 'r',
  apiUrl: github.url,
  webUrl: 'https://github.com/o/r',
  runUrl: 'https://github.com/o/r/actions/runs/42',
  pullRequest: pr
    ? { number: 1, baseSha: 'a'.repeat(40), fromFork: false, publicRepository: true }
    : undefined,
});
const octokit = () => makeOctokit('t0ken', context());

// ---------------------------------------------------------------------------------------------------------------

const finding = fakeFinding;

const reportOf = fakeReport;

const ADMIN_DIFF: AccessDiff = {
  added: [
    {
      principalType: 'group',
      principal: 'aws-data-eng',
      permissionSet: 'AdministratorAccess',
      accountId: '111111111111',
      accountAlias: 'prod',
    },
  ],
  removed: [
    { principalType: 'user', principal: 'bob', permissionSet: 'ReadOnly', accountId: '222222222222' },
  ],
};

const markers = (body: string) => body.split(COMMENT_MARKER).length - 1;

describe('renderComment', () => {
  it('puts the marker first, access changes before findings, then counts and the run link', () => {
    const { body, hasSomethingToSay, cut } = renderComment({
      report: reportOf([finding('notice'), finding('error')]),
      diff: ADMIN_DIFF,
      runUrl: 'https://github.com/o/r/actions/runs/42',
      pathPrefix: 'iam/',
    });
    expect(hasSomethingToSay).toBe(true);
    expect(cut).toBe(0);
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body).toContain('- ➕ group `aws-data-eng` gains `AdministratorAccess` in prod (111111111111)');
    expect(body).toContain('- ➖ user `bob` loses `ReadOnly` in 222222222222');
    expect(body.indexOf('### Access this change grants and removes')).toBeLessThan(
      body.indexOf('### Findings'),
    );
    // Most severe first; the file is named once, relative to the checked folder.
    expect(body.indexOf('| 🔴 |')).toBeLessThan(body.indexOf('| 🔵 |'));
    expect(body).toContain('**identity/groups.yaml**');
    expect(body).toContain('1 error, 0 warnings, 1 notice.');
    expect(body).toContain('[The workflow run](https://github.com/o/r/actions/runs/42)');
  });

  it('says "all clear" when there is nothing to say', () => {
    const r = renderComment({ report: reportOf([]), diff: { added: [], removed: [] } });
    expect(r.hasSomethingToSay).toBe(false);
    expect(r.body).toContain('✅ **All clear**');
    expect(r.body).not.toContain('### Findings');
  });

  it('stays under 65,536 characters, cutting the least severe first and saying how many', () => {
    const findings = [
      ...Array.from({ length: 300 }, () => finding('error', { message: 'e'.repeat(150) })),
      ...Array.from({ length: 300 }, () => finding('warning', { message: 'w'.repeat(150) })),
      ...Array.from({ length: 300 }, () => finding('notice', { message: 'n'.repeat(150) })),
    ];
    const { body, cut } = renderComment({ report: reportOf(findings), diff: ADMIN_DIFF });
    expect(body.length).toBeLessThan(COMMENT_LIMIT_CHARS);
    expect(cut).toBeGreaterThan(0);
    expect(body).toMatch(new RegExp(`_\\d+ findings of 900 not shown \\(\\d+ warnings, 300 notices\\)`));
    // Every error kept; notices go before warnings.
    expect(body.match(/\| 🔴 \|/g)).toHaveLength(300);
    expect(body).not.toContain('| 🔵 |');
    // A removal is never cut; a plain grant (this diff has no risk flags) goes before warnings.
    expect(body).toContain('loses `ReadOnly`');
    expect(body).not.toContain('gains `AdministratorAccess`');
    // A smaller limit (the 422 retry) is respected too.
    expect(renderComment({ report: reportOf(findings), limit: 10_000 }).body.length).toBeLessThan(10_000);
  });

  it('escapes hostile names: no mention, no HTML, no table break, no second marker', () => {
    const hostile = ['@org/team', '<img src=x onerror=1>', 'a|b', `x ${COMMENT_MARKER} y`, '#1'];
    const diff: AccessDiff = {
      added: hostile.map((principal) => ({
        principalType: 'group' as const,
        principal,
        permissionSet: 'Admin|Access',
        accountId: '111111111111',
      })),
      removed: [],
    };
    const findings = hostile.map((message) => finding('error', { message, file: `${message}.yaml` }));
    const { body } = renderComment({ report: reportOf(findings), diff });
    expect(markers(body)).toBe(1);
    expect(body.indexOf('<!--')).toBe(0);
    expect(body.lastIndexOf('<!--')).toBe(0);
    expect(body).not.toContain('<img');
    expect(renderedProblems(body)).toEqual([]);
    expect(body).toContain('`@org/team`');
    expect(body).toContain('&lt;img src=x onerror=1&gt;');
    for (const row of tableRows(body)) expect(row).toHaveLength(4);
    expect(body).toContain('group `a|b` gains `Admin|Access` in 111111111111');
  });
});

describe('accessDiff wording', () => {
  it('reads the grants a change adds and removes from two declaration trees', async () => {
    const instance =
      'kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1\nidentityStoreId: d-1\naccounts:\n  prod: "111111111111"\n';
    const base = makeRepo({
      'identity/instance.yaml': instance,
      'identity/assignments.yaml': assignments([]),
    });
    const head = makeRepo({
      'identity/instance.yaml': instance,
      'identity/assignments.yaml': assignments([['aws-data-eng', 'AdministratorAccess', 'prod']]),
    });
    const diff = accessDiff((await check(base)).model, (await check(head)).model);
    expect(diff.added.map((g) => describeGrant(g, 'gains'))).toEqual([
      'group aws-data-eng gains AdministratorAccess in prod (111111111111)',
    ]);
    expect(diff.removed).toEqual([]);
  });
});

function assignments(rows: [string, string, string][]): string {
  if (rows.length === 0) return 'kind: Assignments\nassignments: []\n';
  return `kind: Assignments\nassignments:\n${rows
    .map(([g, ps, acct]) => `  - group: ${g}\n    permissionSet: ${ps}\n    accounts: [${acct}]\n`)
    .join('')}`;
}

describe('upsertComment against a loopback GitHub', () => {
  it('creates once, then updates in place: never a second comment', async () => {
    const first = renderComment({ report: reportOf([finding('error')]), diff: ADMIN_DIFF });
    expect(await upsertComment(octokit(), context(), first.body, first)).toBe('created');
    const second = renderComment({ report: reportOf([finding('warning')]), diff: ADMIN_DIFF });
    expect(await upsertComment(octokit(), context(), second.body, second)).toBe('updated');
    expect(await upsertComment(octokit(), context(), second.body, second)).toBe('unchanged');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0].user.login).toBe('github-actions[bot]');
    expect(github.comments[0].body).toBe(second.body);
    expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/o/r/issues/1/comments',
      'PATCH /repos/o/r/issues/comments/100',
    ]);
  });

  it('posts nothing when there is nothing to say, but turns an existing comment "all clear"', async () => {
    const clear = renderComment({ report: reportOf([]), diff: { added: [], removed: [] } });
    expect(await upsertComment(octokit(), context(), clear.body, clear)).toBe('none');
    expect(github.writes()).toEqual([]);
    const loud = renderComment({ report: reportOf([finding('error')]) });
    await upsertComment(octokit(), context(), loud.body, loud);
    expect(await upsertComment(octokit(), context(), clear.body, clear)).toBe('updated');
    expect(github.comments[0].body).toContain('All clear');
  });

  it("ignores another author's comment carrying the marker, and finds its own among many (pagination)", async () => {
    github.comments.push({
      id: 1,
      body: `${COMMENT_MARKER}\nspoof`,
      user: { login: 'mallory', type: 'User' },
    });
    for (let i = 2; i < 150; i++)
      github.comments.push({ id: i, body: 'chatter', user: { login: 'x', type: 'User' } });
    github.login = 'idc-bot';
    const r = renderComment({ report: reportOf([finding('error')]) });
    expect(await upsertComment(octokit(), context(), r.body, r)).toBe('created');
    expect(github.comments.find((c) => c.id === 1)!.body).toContain('spoof');
    expect(github.comments.at(-1)!.user.login).toBe('idc-bot');
    expect(await upsertComment(octokit(), context(), `${r.body}x`, r)).toBe('updated');
    expect(github.comments).toHaveLength(150);
    expect(github.requests.some((q) => q.path.includes('page=2'))).toBe(true);
  });

  it("with a custom GitHub App's token, finds its comment by the App's bot login", async () => {
    github.appLogin = 'acme-idc[bot]';
    github.comments.push({
      id: 1,
      body: `${COMMENT_MARKER}\nby the Actions bot`,
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    const r = renderComment({ report: reportOf([finding('error')]) });
    expect(await upsertComment(octokit(), context(), r.body, r)).toBe('created');
    expect(await upsertComment(octokit(), context(), `${r.body}x`, r)).toBe('updated');
    expect(github.comments.map((c) => c.user.login)).toEqual(['github-actions[bot]', 'acme-idc[bot]']);
    expect(github.requests.filter((q) => q.path === '/graphql')).toHaveLength(2);
  });

  it('retries once with a smaller body when GitHub answers 422 (too long)', async () => {
    github.maxBody = 1000;
    const r = renderComment({ report: reportOf([finding('error')]) });
    const long = `${r.body}${'x'.repeat(2000)}`;
    await upsertComment(octokit(), context(), long, { ...r, smaller: () => r.body });
    expect(github.comments[0].body).toBe(r.body);
  });
});

describe('the drift issue against a loopback GitHub', () => {
  const key = 'arn:aws:sso:::instance/ssoins-1';
  const drifted = reportOf([
    finding('error', { ruleId: 'IDC105', message: 'group <b>@x</b> is not declared' }),
  ]);

  it('opens, updates, then closes with a comment, keeping one issue', async () => {
    const created = await maintainDriftIssue(octokit(), context(false), {
      report: drifted,
      drift: true,
      key,
    });
    expect(created).toEqual({ action: 'created', number: 100 });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0].labels).toEqual([{ name: DRIFT_LABEL }]);
    expect(github.issues[0].body.startsWith(driftMarker(key))).toBe(true);
    expect(github.issues[0].body).toContain('&lt;b&gt;`@x`');
    expect(github.issues[0].title).toBe('idc-guard: Identity Center drift in ssoins-1');

    const more = reportOf([...drifted.findings, finding('error', { ruleId: 'IDC106', message: 'extra' })]);
    expect(await maintainDriftIssue(octokit(), context(false), { report: more, drift: true, key })).toEqual({
      action: 'updated',
      number: 100,
    });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0].body).toContain('extra');

    // Incomplete (a tool error): no drift found proves nothing, so the issue stays open.
    const incomplete: Report = { ...reportOf([]), errors: [{ message: 'throttled', source: 'aws' }] };
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: incomplete, drift: false, key }),
    ).toEqual({
      action: 'kept',
      number: 100,
    });
    expect(github.issues[0].state).toBe('open');

    const now = new Date('2026-11-23T00:00:00Z');
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: reportOf([]), drift: false, key, now }),
    ).toEqual({ action: 'closed', number: 100 });
    expect(github.issues[0].state).toBe('closed');
    expect(github.issues[0].comments[0]).toMatch(/^No drift as of 2026-11-23\./);
    expect(
      github.requests.find((r) => r.method === 'GET' && r.path.startsWith('/repos/o/r/issues?'))!.path,
    ).toContain(`labels=${DRIFT_LABEL}`);

    // Clean again: nothing to do.
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: reportOf([]), drift: false, key }),
    ).toEqual({
      action: 'none',
    });
  });

  it("ignores a labelled issue with another instance's marker", async () => {
    github.issues.push({
      number: 7,
      title: 'other',
      body: driftMarker('arn:aws:sso:::instance/ssoins-2'),
      state: 'open',
      labels: [{ name: DRIFT_LABEL }],
      comments: [],
    });
    const r = await maintainDriftIssue(octokit(), context(false), { report: drifted, drift: true, key });
    expect(r.action).toBe('created');
    expect(github.issues[0].body).toBe(driftMarker('arn:aws:sso:::instance/ssoins-2'));
  });

  it('keeps a hostile key from ending the marker', () => {
    expect(driftMarker('x --> <img>')).toBe('<!-- idc-guard:drift x_-___img_ -->');
  });
});

// ---------------------------------------------------------------------------------------------------------------

function inputsFor(root: string, overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    root,
    pathPrefix: '',
    live: 'off',
    mode: 'check',
    failOn: 'error',
    failOnScope: 'introduced',
    comment: true,
    githubToken: 't0ken',
    driftIssue: true,
    ...overrides,
  };
}

const INSTANCE =
  'kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1\nidentityStoreId: d-1\naccounts:\n  prod: "111111111111"\n';

/**
 * A git repository whose base commit declares no grant (and `baseFiles`), and whose working tree (the PR head)
 * grants admin.
 */
function prRepo(baseFiles: Record<string, string> = {}): {
  workspace: string;
  baseSha: string;
  eventPath: string;
} {
  const workspace = makeRepo({
    'iam/identity/instance.yaml': INSTANCE,
    'iam/identity/assignments.yaml': assignments([]),
    ...baseFiles,
  });
  git(workspace, 'init', '-q');
  git(workspace, 'add', '.');
  git(workspace, 'commit', '-qm', 'base');
  const baseSha = git(workspace, 'rev-parse', 'HEAD');
  writeFileSync(
    join(workspace, 'iam/identity/assignments.yaml'),
    assignments([['aws-data-eng', 'AdministratorAccess', 'prod']]),
  );
  const eventPath = join(mkdtempSync(join(tmpdir(), 'idc-guard-event-')), 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        base: { sha: baseSha, ref: 'main', repo: { full_name: 'o/r' } },
        head: { sha: 'f'.repeat(40), ref: 'feature', repo: { full_name: 'o/r' } },
      },
    }),
  );
  return { workspace, baseSha, eventPath };
}

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
