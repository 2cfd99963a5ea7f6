import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPullRequest } from '../src/pull-request/check.js';
import { accessDiff, accessLines } from '../src/pull-request/access-diff.js';
import { check, makeRepo, REPO_ROOT, TEST_NOW, where } from './helpers.js';

// The PR head is untrusted input (README, "Security model: what a pull request can and cannot change"): these are the
// engine-level halves of the attacks; test/attacks-*.test.ts run them through the bundled Action.

const INSTANCE =
  'kind: IdentityCenter\nregion: us-east-1\naccounts:\n  prod: "111111111111"\n  dev: "222222222222"\n';
const GROUPS = 'kind: Groups\ngroups:\n  - name: contractors\n  - name: aws-admins-platform\n';
const PERMISSION_SETS = 'kind: PermissionSet\nname: AdministratorAccess\n';
const ORG_002 = join(REPO_ROOT, 'policies/recommended/ORG-002-prod-admin-only-admin-groups.yaml');

/** A repository with the recommended ORG-002 policy and `assignments` as its Assignments document. */
function repo(assignments: string, extra: Record<string, string> = {}): string {
  const root = makeRepo({
    '.idc-guard.yml': 'policies: ["policies/**/*.yaml"]\n',
    'identity/instance.yaml': INSTANCE,
    'identity/groups.yaml': GROUPS,
    'identity/ps.yaml': PERMISSION_SETS,
    'identity/assignments.yaml': `kind: Assignments\nassignments:${assignments ? `\n${assignments}` : ' []\n'}`,
    ...extra,
  });
  mkdirSync(join(root, 'policies'));
  copyFileSync(ORG_002, join(root, 'policies/org-002.yaml'));
  return root;
}
const ADMIN_ROOT = '  - group: contractors\n    permissionSet: AdministratorAccess\n    root: true\n';
const ADMIN_OU =
  '  - group: contractors\n    permissionSet: AdministratorAccess\n    organizationalUnits: [ou-ab12-11111111]\n';

describe('files the check does not read as they stand', () => {
  it('a declaration linked to a file inside the repository: IDC001 at the link, and its grant still checked', async () => {
    const root = repo(
      '  - { group: aws-admins-platform, permissionSet: AdministratorAccess, accounts: [prod] }\n',
      {
        'docs/template.yaml':
          'kind: Assignments\nassignments:\n  - { group: contractors, permissionSet: AdministratorAccess, accounts: [prod] }\n',
      },
    );
    symlinkSync('../docs/template.yaml', join(root, 'identity/extra.yaml'));
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/extra.yaml', line: 1 },
      { ruleId: 'ORG-002', file: 'identity/extra.yaml', line: 3 },
    ]);
    expect(report.findings[0].message).toMatch(/is a symbolic link/);
  });

  it('a link that leaves the repository is an IDC001, and its target is never read', async () => {
    const outside = join(tmpdir(), `idc-guard-canary-${process.pid}.yaml`);
    writeFileSync(outside, 'kind: Groups\ngroups:\n  - name: SECRET_CANARY\n');
    const root = repo('');
    symlinkSync(outside, join(root, 'identity/outside.yaml'));
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC001', file: 'identity/outside.yaml', line: 1 }]);
    expect(JSON.stringify(report)).not.toContain('SECRET_CANARY');
  });

  it('an include folder that is a link (to a folder outside, or to /) is refused without reading it', async () => {
    for (const target of [tmpdir(), '/']) {
      const root = makeRepo({ 'README.md': 'x' });
      symlinkSync(target, join(root, 'identity'));
      const { report } = await check(root);
      expect(where(report.findings)).toEqual([{ ruleId: 'IDC001', file: 'identity', line: 1 }]);
      expect(report.findings[0].message).toMatch(/symbolic link/);
    }
  });

  it('an include pattern that reaches outside the root is a configuration error, never a read', async () => {
    const root = makeRepo({ '.idc-guard.yml': 'include: ["../**/*.yaml"]\n', 'identity/a.yaml': GROUPS });
    const { report, exitCode } = await check(root);
    expect(exitCode).toBe(2);
    expect(report.errors.map((e) => e.message)).toContainEqual(
      expect.stringContaining('reaches outside the repository root'),
    );
  });
});

describe('suppressions are YAML comments, and a parse problem cannot be suppressed', () => {
  it('a directive inside a quoted value is text, not a comment', async () => {
    const root = repo('', {
      'identity/groups.yaml':
        'kind: Groups\ngroups:\n  - name: ops\n    description: "x # idc-guard-ignore IDC003 -- no"\n  - name: OPS\n',
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.suppressed])).toEqual([
      ['IDC003', 'identity/groups.yaml', 5, false],
    ]);
  });

  it('a duplicate key is IDC001 whatever the comment says, and the last key is modelled, as a deployer reads it', async () => {
    const root = repo(
      '  - { group: aws-admins-platform, permissionSet: AdministratorAccess, accounts: [prod] }\n# idc-guard-ignore IDC001 -- dup\nassignments:\n  - { group: contractors, permissionSet: AdministratorAccess, accounts: [prod] }\n',
    );
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([
      ['IDC001', 5, false],
      ['ORG-002', 6, false],
    ]);
  });
});

describe('unresolved organization targets are judged as the worst they could be', () => {
  it('root: true without organization data grants every declared account, certainly', async () => {
    const { report } = await check(repo(ADMIN_ROOT));
    expect(report.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      [
        'ORG-002',
        5,
        expect.stringMatching(/^group contractors gets AdministratorAccess in prod \(111111111111\)/),
      ],
    ]);
  });

  it('an unresolved OU may grant any declared account: the policy fires and says "may grant"', async () => {
    const { report } = await check(repo(ADMIN_OU));
    expect(report.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      [
        'ORG-002',
        5,
        expect.stringMatching(
          /^may grant, through OU ou-ab12-11111111 \(not resolved: no organization data\): group contractors/,
        ),
      ],
    ]);
  });

  it('the access diff shows an unresolved target first, and never as no change', async () => {
    const base = (await check(repo(''))).model;
    const head = (await check(repo(ADMIN_OU))).model;
    const lines = accessLines(accessDiff(base, head));
    expect(lines.map((l) => [l.icon, l.text])).toEqual([
      [
        '⚠️',
        'group contractors gains AdministratorAccess in every account of OU ou-ab12-11111111: not resolved (no organization data), so it may be any account of the organization',
      ],
    ]);
  });
});

describe('a pull request is judged by its base', () => {
  const prCheck = (
    baseRoot: string,
    headRoot: string,
    extra: Partial<Parameters<typeof checkPullRequest>[0]> = {},
  ) =>
    checkPullRequest({
      baseRoot,
      headRoot,
      options: { root: headRoot, live: 'off', now: TEST_NOW },
      ...extra,
    });
  const GRANT =
    '  # idc-guard-ignore ORG-002 -- temporary\n  - { group: contractors, permissionSet: AdministratorAccess, accounts: [prod] }\n';

  it('a suppression the head adds is requested, not applied, until accepted; the base decides the policy', async () => {
    const base = repo('');
    const head = repo(GRANT);
    const requested = await prCheck(base, head);
    expect(
      requested.result.report.findings.map((f) => [f.ruleId, f.suppressed, f.requestedSuppression]),
    ).toEqual([['ORG-002', false, 'temporary']]);
    expect(requested.result.report.addedSuppressions).toEqual({
      mode: 'review',
      acceptLabel: 'idc-guard:accept-suppressions',
      items: [
        {
          file: 'identity/assignments.yaml',
          line: 3,
          ruleIds: ['ORG-002'],
          reason: 'temporary',
          status: 'requested',
        },
      ],
    });
    expect(requested.result.exitCode).toBe(1);
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'report.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(requested.result.report)))).toBe(true);

    const accepted = await prCheck(base, head, { labelAdded: 'idc-guard:accept-suppressions' });
    expect(accepted.result.exitCode).toBe(0);
    expect(accepted.result.report.addedSuppressions?.items[0].status).toBe('accepted');

    const otherLabel = await prCheck(base, head, { labelAdded: 'needs-review' });
    expect(otherLabel.result.exitCode).toBe(1);

    writeFileSync(
      join(base, '.idc-guard.yml'),
      'policies: ["policies/**/*.yaml"]\nsuppressions: base-only\n',
    );
    const baseOnly = await prCheck(base, head, { labelAdded: 'idc-guard:accept-suppressions' });
    expect(baseOnly.result.exitCode).toBe(1);
    expect(baseOnly.result.report.addedSuppressions?.items[0].status).toBe('refused');

    // The head's own configuration says nothing: `allow` in the head is ignored.
    writeFileSync(
      join(head, '.idc-guard.yml'),
      'policies: ["policies/**/*.yaml"]\nsuppressions: allow\nfailOn: never\n',
    );
    expect((await prCheck(base, head)).result.exitCode).toBe(1);
  });

  it('a suppression the base already has keeps applying, even when edits above move it', async () => {
    const base = repo(GRANT);
    const head = repo(
      `  - { group: aws-admins-platform, permissionSet: AdministratorAccess, accounts: [prod] }\n${GRANT}`,
    );
    const { result } = await prCheck(base, head);
    expect(result.report.addedSuppressions?.items).toEqual([]);
    expect(result.report.summary).toMatchObject({ error: 0, suppressed: 1 });
  });

  it("renaming an account's alias cannot steer a grant past a policy on accountAlias", async () => {
    const base = repo('');
    const head = repo('  - { group: contractors, permissionSet: AdministratorAccess, accounts: [p] }\n', {
      'identity/instance.yaml': INSTANCE.replace('prod:', 'p:'),
    });
    const { result } = await prCheck(base, head);
    expect(result.report.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      ['ORG-002', 3, expect.stringContaining('gets AdministratorAccess in prod (111111111111)')],
    ]);
  });

  it("the base's failOn is a floor the caller cannot lower", async () => {
    const base = repo('');
    writeFileSync(join(base, '.idc-guard.yml'), 'policies: ["policies/**/*.yaml"]\nfailOn: warning\n');
    const head = repo(`  - { group: contractors, permissionSet: AdministratorAccess, accounts: [prod] }\n`);
    writeFileSync(join(head, 'policies/org-002.yaml'), '');
    const { result } = await checkPullRequest({
      baseRoot: base,
      headRoot: head,
      options: { root: head, live: 'off', now: TEST_NOW, failOn: 'never' },
    });
    expect(result.failOn).toBe('warning');
    expect(result.exitCode).toBe(1);
  });
});
