/**
 * The PR comment as a reviewer reads it: rendered as GFM, then checked for the verdict and every risky grant
 * on the first screen, links that open the right line and rule, tables of four cells, and the size limit.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_LIMIT_CHARS, renderComment } from '../src/action/comment.js';
import { driftIssueTitle, renderDriftIssue } from '../src/action/drift-issue.js';
import { loadConfig, ConfigError } from '../src/config/config.js';
import type { Report } from '../src/findings/report.js';
import type { AccessDiff, Grant } from '../src/pull-request/access-diff.js';
import { privilegeOf } from '../src/pull-request/access-risk.js';
import { checkPullRequest } from '../src/pull-request/check.js';
import { grantKey } from '../src/model/grants.js';
import { fakeFinding, fakeReport, makeRepo, REPO_ROOT, TEST_NOW } from './helpers.js';
import { renderedProblems, renderedText, renderGfm, tableRows } from './gfm.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const LINKS = { repositoryUrl: 'https://github.com/acme/identity', sha: SHA, pathPrefix: 'examples/acme/' };
const GOLDEN = join(REPO_ROOT, 'test', 'golden', 'pr-comment-acme.md');

/** The first `n` lines a reviewer sees: the rendered page's text, line by line, blank lines dropped. */
function firstScreen(markdown: string, n = 15): string {
  const text = renderGfm(markdown)
    .replace(/<details>[\s\S]*?<\/details>/g, '')
    .replace(/<\/(p|li|h2|h3|tr)>/g, '\n')
    .replace(/<[^>]+>/g, '');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n)
    .join('\n');
}

/** The example, and a pull request on it that grants what a reviewer must not miss. */
async function examplePullRequest() {
  const base = makeRepo({});
  const head = makeRepo({});
  cpSync(join(REPO_ROOT, 'examples', 'acme'), base, { recursive: true });
  cpSync(join(REPO_ROOT, 'examples', 'acme'), head, { recursive: true });
  appendFileSync(
    join(head, 'identity', 'assignments.yaml'),
    [
      '  - group: aws-auditors',
      '    permissionSet: ReadOnly',
      '    accounts: [dev]',
      '  - group: aws-developers',
      '    permissionSet: AdministratorAccess',
      '    accounts: [prod]',
      '  - user: breakglass@example.com',
      '    permissionSet: ReadOnly',
      '    accounts: [dev]',
      '  - group: aws-developers',
      '    permissionSet: Developr',
      '    accounts: [dev]',
      '',
    ].join('\n'),
  );
  const pr = await checkPullRequest({
    baseRoot: base,
    headRoot: head,
    options: { root: head, live: 'off', now: TEST_NOW },
  });
  return renderComment({
    report: pr.result.report,
    diff: pr.diff,
    catalogue: pr.result.catalogue,
    links: LINKS,
    checked: { sha: SHA },
    verdict: { failOn: pr.result.failOn, exitCode: pr.result.exitCode },
    runUrl: 'https://github.com/acme/identity/actions/runs/7',
  }).body;
}

describe('the PR comment on the example', () => {
  let body: string;
  beforeAll(async () => {
    body = await examplePullRequest();
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, body);
  });

  it('equals its golden file, whose start the README shows', () => {
    expect(body).toBe(readFileSync(GOLDEN, 'utf8'));
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const excerpt = /<!-- pr-comment-excerpt: [^>]*-->\n+ {2}```markdown\n([\s\S]*?)\n {2}```/.exec(
      readme,
    )?.[1];
    expect(excerpt).toBeDefined();
    const lines = excerpt!.split('\n').map((l) => l.replace(/^ {2}/, ''));
    expect(body).toContain(lines.join('\n'));
    expect(lines[0]).toBe('## idc-guard');
  });

  it('says the verdict first, then every privileged or single-user grant, within 15 lines', () => {
    const screen = firstScreen(body);
    expect(screen.split('\n')[1]).toBe(
      '❌ Blocks merge: 1 error introduced · +4 / −0 grants · 1 privileged, 1 to a single user',
    );
    expect(screen).toContain(
      '➕ group aws-developers gains AdministratorAccess in prod (111111111111) · privileged: AWS managed AdministratorAccess · production',
    );
    expect(screen).toContain(
      '➕ user breakglass@example.com gains ReadOnly in dev (222222222222) · single user',
    );
  });

  it('links each line at the head commit and each rule to its documentation at the release', () => {
    const html = renderGfm(body);
    expect(html).toContain(
      `<a href="https://github.com/acme/identity/blob/${SHA}/examples/acme/identity/assignments.yaml#L31">31:20</a>`,
    );
    expect(html).toMatch(
      /<a href="https:\/\/github\.com\/idc-guard\/idc-guard\/blob\/v\d+\.\d+\.\d+\/docs\/rules\.md#idc002">IDC002<\/a>/,
    );
    expect(
      renderedProblems(body, [
        'https://github.com/acme/identity/',
        'https://github.com/idc-guard/idc-guard/blob/v',
      ]),
    ).toEqual([]);
  });

  it('keeps every table to four cells and names each file once, relative to the checked folder', () => {
    const rows = tableRows(body);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row).toHaveLength(4);
    expect(renderedText(body)).toContain('identity/assignments.yaml');
    expect(renderedText(body)).not.toContain('examples/acme/identity');
  });
});

const ACCOUNTS = Array.from({ length: 40 }, (_, i) => ({
  alias: i < 2 ? `prod-${i}` : `dev-${i}`,
  id: String(100000000000 + i),
}));
const grant = (
  principal: string,
  permissionSet: string,
  i: number,
  principalType: Grant['principalType'] = 'group',
): Grant => ({
  principalType,
  principal,
  permissionSet,
  accountId: ACCOUNTS[i].id,
  accountAlias: ACCOUNTS[i].alias,
});

/** A generated PR: `teams` groups each gain ReadOnly in every account; two admin grants and a user's. */
function generatedDiff(teams: number, removedTeams = 0): AccessDiff {
  const added = [
    ...Array.from({ length: teams }, (_, t) =>
      ACCOUNTS.map((_, i) => grant(`team-${t}`, 'ReadOnly', i)),
    ).flat(),
    grant('platform', 'AdministratorAccess', 0),
    grant('contractors', 'AdministratorAccess', 5),
    grant('mallory@example.com', 'Developer', 7, 'user'),
  ];
  const removed = Array.from({ length: removedTeams }, (_, t) =>
    ACCOUNTS.map((_, i) => grant(`old-${t}`, 'ReadOnly', i)),
  ).flat();
  const risk = new Map(
    [...added, ...removed].map((g) => [
      grantKey(g),
      {
        ...(g.permissionSet === 'AdministratorAccess'
          ? { privileged: 'AWS managed AdministratorAccess' }
          : {}),
        ...(g.principalType === 'user' ? { singleUser: true } : {}),
        ...(g.accountAlias?.startsWith('prod') ? { production: true } : {}),
      },
    ]),
  );
  return { added, removed, risk };
}

const prReport = (findings: Report['findings']): Report => ({
  ...fakeReport(findings),
  pullRequest: { failOnScope: 'introduced', resolved: 0 },
});

describe('the PR comment on a generated pull request', () => {
  it('of 200 grants: the privileged and single-user ones on the first screen, the rest grouped', () => {
    const { body, cut } = renderComment({
      report: prReport([fakeFinding('error', { scope: 'introduced' })]),
      diff: generatedDiff(5),
      verdict: { failOn: 'error', exitCode: 1 },
      links: LINKS,
    });
    expect(cut).toBe(0);
    const screen = firstScreen(body);
    expect(screen).toContain('+203 / −0 grants · 2 privileged, 1 to a single user');
    expect(screen).toContain(
      'group platform gains AdministratorAccess in prod-0 (100000000000) · privileged',
    );
    expect(screen).toContain(
      'group contractors gains AdministratorAccess in dev-5 (100000000005) · privileged',
    );
    expect(screen).toContain(
      'user mallory@example.com gains Developer in dev-7 (100000000007) · single user',
    );
    // One line per team for its 38 non-production accounts, the list collapsed under it.
    expect(body).toContain(
      '- ➕ group `team-0` gains `ReadOnly` in 38 accounts\n  <details><summary>the 38 accounts</summary>',
    );
    expect(renderedProblems(body, ['https://github.com/acme/'])).toEqual([]);
  });

  it('of 5,000 changed grants and 2,000 findings: under 65,536 characters, every risky grant kept', () => {
    const findings = Array.from({ length: 2000 }, (_, i) =>
      fakeFinding(i % 3 === 0 ? 'error' : 'warning', {
        scope: 'introduced',
        message: `m${i} ${'x'.repeat(80)}`,
      }),
    );
    const diff = generatedDiff(60, 65);
    expect(diff.added.length + diff.removed.length).toBeGreaterThanOrEqual(5000);
    const { body, cut } = renderComment({
      report: prReport(findings),
      diff,
      verdict: { failOn: 'error', exitCode: 1 },
      links: LINKS,
    });
    expect(body.length).toBeLessThan(COMMENT_LIMIT_CHARS);
    expect(cut).toBeGreaterThan(0);
    for (const who of [
      '`platform` gains `AdministratorAccess`',
      '`contractors` gains `AdministratorAccess`',
      '`mallory@example.com` gains',
    ]) {
      expect(body).toContain(who);
    }
    // Every removal is risky, so every one is kept; warnings go before errors, and the comment says so.
    expect(body.match(/- ➖ group `old-\d+`/g)).toHaveLength(65 * 2);
    expect(body).toMatch(/_\d+ findings of 2000 not shown \(\d+ errors, 1333 warnings\)/);
    expect(body).toContain('none of them risky');
  });
});

describe('the drift issue', () => {
  const drift = (ruleId: string, n: number, severity: 'error' | 'warning' = 'error') =>
    Array.from({ length: n }, () =>
      fakeFinding(severity, { ruleId, fingerprint: `fp-${ruleId}-${Math.random()}` }),
    );

  it('counts what it lists, names the instance and its read time, and groups missing and unexpected access', () => {
    const report = fakeReport([
      ...drift('IDC106', 3),
      ...drift('IDC105', 2),
      ...drift('IDC110', 1, 'warning'),
      ...drift('IDC005', 4),
    ]);
    const body = renderDriftIssue({
      report,
      drift: true,
      key: 'arn:aws:sso:::instance/ssoins-1',
      readAt: '2026-12-02T03:04:05.000Z',
      now: new Date('2026-12-02T04:00:00Z'),
    });
    expect(body).toContain(
      'Instance arn:aws:sso:::instance/ssoins-1 · as of 2026-12-02 03:04 UTC · 6 differences (5 errors, 1 warning).',
    );
    expect(body).toContain('### Access Identity Center has and Git does not declare (3)');
    expect(body).toContain('### Access Git declares and Identity Center lacks (2)');
    expect(body).toContain('### Other differences (1)');
    // The counts are those of the rows: six findings, six rows.
    expect(tableRows(body).filter((r) => r[0] !== '')).toHaveLength(6);
    expect(driftIssueTitle('arn:aws:sso:::instance/ssoins-1')).toBe(
      'idc-guard: Identity Center drift in ssoins-1',
    );
  });

  it('groups application access with account access: undeclared and orphaned, then missing', () => {
    const report = fakeReport([
      ...drift('IDC114', 2),
      ...drift('IDC115', 1),
      ...drift('IDC113', 1),
      ...drift('IDC117', 1),
    ]);
    const body = renderDriftIssue({ report, drift: true, key: 'arn:aws:sso:::instance/ssoins-1' });
    expect(body).toContain('### Access Identity Center has and Git does not declare (3)');
    expect(body).toContain('### Access Git declares and Identity Center lacks (1)');
    expect(body).toContain('### Other differences (1)');
  });

  it('keeps the day each finding was first seen across updates', () => {
    const findings = drift('IDC106', 2);
    const first = renderDriftIssue({
      report: fakeReport([findings[0]]),
      drift: true,
      key: 'k',
      now: new Date('2026-11-01T00:00:00Z'),
    });
    const next = renderDriftIssue({
      report: fakeReport(findings),
      drift: true,
      key: 'k',
      now: new Date('2026-12-02T00:00:00Z'),
      previousBody: first,
    });
    expect(next).toContain(`${findings[0].message} · since 2026-11-01`);
    expect(next).toContain(`${findings[1].message} · since 2026-12-02`);
  });
});

describe('what makes a grant risky', () => {
  const ps = (fields: Record<string, unknown>) => ({
    name: 'P',
    managedPolicies: [],
    customerManagedPolicies: [],
    tags: {},
    written: {},
    at: { file: 'p.yaml', doc: 0, path: [] },
    ...fields,
  });
  it('names why a permission set is privileged, and passes a read-only one', () => {
    expect(privilegeOf(ps({ written: { administrator: true } }) as never)).toBe('marked administrator: true');
    expect(
      privilegeOf(ps({ managedPolicies: [{ value: 'arn:aws:iam::aws:policy/IAMFullAccess' }] }) as never),
    ).toBe('AWS managed IAMFullAccess');
    const inline = (Statement: unknown) =>
      ps({ inlinePolicy: { kind: 'document', document: { Version: '2012-10-17', Statement } } }) as never;
    expect(privilegeOf(inline([{ Effect: 'Allow', Action: ['s3:Get*', 'IAM:*'], Resource: '*' }]))).toBe(
      'inline policy allows iam:*',
    );
    expect(privilegeOf(inline({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toBe(
      'inline policy allows NotAction',
    );
    expect(privilegeOf(inline([{ Effect: 'Deny', Action: '*', Resource: '*' }]))).toBeUndefined();
    expect(
      privilegeOf(ps({ managedPolicies: [{ value: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }) as never),
    ).toBeUndefined();
  });

  it('refuses a productionAccounts pattern that is no regular expression, at its line', () => {
    const root = makeRepo({ '.idc-guard.yml': 'failOn: error\nproductionAccounts: "prod("\n' });
    expect(() => loadConfig(root)).toThrow(ConfigError);
    expect(() => loadConfig(root)).toThrow(
      /^\.idc-guard\.yml:2:\d+: productionAccounts is no regular expression/,
    );
  });
});

describe('a change that makes a permission set privileged', () => {
  it('is the first line of the access changes, though no grant is added', async () => {
    const instance =
      'kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1\nidentityStoreId: d-1\naccounts:\n  prod: "111111111111"\n  dev: "222222222222"\n';
    const groups = 'kind: Groups\ngroups:\n  - name: team\n    source: manual\n';
    const assignments =
      'kind: Assignments\nassignments:\n  - { group: team, permissionSet: Ops, accounts: [prod, dev] }\n';
    const ps = (policy: string) => `kind: PermissionSet\nname: Ops\nmanagedPolicies: [${policy}]\n`;
    const files = (policy: string) => ({
      'identity/instance.yaml': instance,
      'identity/groups.yaml': groups,
      'identity/assignments.yaml': assignments,
      'identity/ps.yaml': ps(policy),
    });
    const base = makeRepo(files('arn:aws:iam::aws:policy/ReadOnlyAccess'));
    const head = makeRepo(files('arn:aws:iam::aws:policy/AdministratorAccess'));
    const pr = await checkPullRequest({
      baseRoot: base,
      headRoot: head,
      options: { root: head, live: 'off', now: TEST_NOW },
    });
    expect(pr.diff.added).toEqual([]);
    const { body, hasSomethingToSay } = renderComment({
      report: pr.result.report,
      diff: pr.diff,
      verdict: { failOn: pr.result.failOn, exitCode: pr.result.exitCode },
    });
    expect(hasSomethingToSay).toBe(true);
    expect(firstScreen(body)).toContain(
      '🔑 permission set Ops becomes privileged: AWS managed AdministratorAccess; its 2 grants gain that power with no grant added',
    );
    expect(body).toContain('· +0 / −0 grants · 2 privileged');
    expect(body).not.toContain('All clear');
  });
});
