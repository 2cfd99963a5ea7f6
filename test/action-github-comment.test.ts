/**
 * The PR comment: how it is rendered (and the access diff it shows), and how it is kept up to date, one
 * comment per PR, against a loopback GitHub.
 */
import { renderedProblems, tableRows } from './gfm.js';
import { describe, expect, it } from '@jest/globals';
import { accessDiff, describeGrant, type AccessDiff } from '../src/pull-request/access-diff.js';
import { COMMENT_LIMIT_CHARS, COMMENT_MARKER, renderComment } from '../src/action/comment.js';
import { upsertComment } from '../src/action/sticky-comment.js';
import { check, makeRepo } from './helpers.js';
import { useFakeGitHub } from './github/fake-github.js';
import {
  github,
  context,
  octokit,
  finding,
  reportOf,
  ADMIN_DIFF,
  assignments,
} from './action-github/helpers.js';

useFakeGitHub(github);

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
