import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LivePermissionSet, LiveState } from '../src/live/types.js';
import { accessLines } from '../src/pull-request/access-diff.js';
import { checkPullRequest } from '../src/pull-request/check.js';
import { renderDeclarations } from '../src/init/write-declarations.js';
import { check, makeRepo, REPO_ROOT, TEST_NOW } from './helpers.js';

// `managedBy: controltower | external` (issue #15, item 7): an object that exists and is managed elsewhere may
// be referenced and assigned; its definition is not compared, its assignments are; and a pull request that
// marks one managed elsewhere cannot hide its grants or its drift.

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
const psArn = (id: string) => `arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-${id.padEnd(16, '0')}`;
const IC = `kind: IdentityCenter\ninstanceArn: ${INSTANCE}\nidentityStoreId: d-1234567890\nregion: us-east-1\naccounts:\n  prod: "111111111111"\n`;
const CONTROL_TOWER =
  'kind: PermissionSet\nname: AWSAdministratorAccess\nmanagedBy: controltower\n---\nkind: Groups\ngroups:\n  - name: AWSControlTowerAdmins\n    managedBy: controltower\n';
const ASSIGNMENTS =
  'kind: Assignments\nassignments:\n  - group: AWSControlTowerAdmins\n    permissionSet: AWSAdministratorAccess\n    accounts: [prod]\n';

function permissionSet(name: string, id: string, extra: Partial<LivePermissionSet> = {}): LivePermissionSet {
  return {
    arn: psArn(id),
    name,
    managedPolicies: [],
    customerManagedPolicies: [],
    tags: {},
    provisionedAccounts: [{ accountId: '111111111111', current: true }],
    ...extra,
  };
}

/** Control Tower's admin group and permission set, live as Control Tower made them (no ExternalId). */
function state(): LiveState {
  return {
    version: 1,
    readAt: '2026-11-22T00:00:00.000Z',
    instance: { instanceArn: INSTANCE, identityStoreId: 'd-1234567890', region: 'us-east-1' },
    groups: [
      { groupId: 'g-ct', displayName: 'AWSControlTowerAdmins', externalIds: [], memberUserIds: ['u-a'] },
    ],
    users: [
      {
        userId: 'u-a',
        userName: 'alice@example.com',
        displayName: 'Alice',
        givenName: 'Alice',
        familyName: 'L',
        email: 'alice@example.com',
        active: true,
        externalIds: [],
      },
    ],
    permissionSets: [
      permissionSet('AWSAdministratorAccess', 'ct', {
        description: 'Provides full access to AWS services and resources',
        sessionDuration: 'PT12H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      }),
    ],
    assignments: [
      {
        accountId: '111111111111',
        permissionSetArn: psArn('ct'),
        principalType: 'GROUP',
        principalId: 'g-ct',
      },
    ],
    complete: { groups: true, users: true, memberships: true, permissionSets: true, assignments: 'all' },
    failures: [],
    apiCalls: {},
  };
}

async function checkLive(files: Record<string, string>, change: (s: LiveState) => void = () => {}) {
  const live = state();
  change(live);
  const root = makeRepo({ 'identity/ic.yaml': IC, ...files });
  writeFileSync(join(root, 'snapshot.json'), JSON.stringify(live));
  const { report } = await check(root, { live: join(root, 'snapshot.json') });
  expect(report.errors).toEqual([]);
  return report.findings.map((f) => [f.ruleId, f.file, f.line, f.column, f.message]);
}

describe('an object managed elsewhere, against live state', () => {
  it('is not compared: no IDC107 for its definition, no IDC102 for a group Control Tower made', async () => {
    const files = { 'identity/ct.yaml': CONTROL_TOWER, 'identity/assignments.yaml': ASSIGNMENTS };
    expect(await checkLive(files)).toEqual([]);
  });

  it('still has its assignments checked: one missing live is IDC105', async () => {
    const files = { 'identity/ct.yaml': CONTROL_TOWER, 'identity/assignments.yaml': ASSIGNMENTS };
    const findings = await checkLive(files, (s) => (s.assignments = []));
    expect(findings).toEqual([
      [
        'IDC105',
        'identity/assignments.yaml',
        5,
        16,
        expect.stringContaining('should have "AWSAdministratorAccess"'),
      ],
    ]);
  });

  it('that does not exist live: IDC105 for each assignment of the permission set, IDC101 for the group', async () => {
    const files = { 'identity/ct.yaml': CONTROL_TOWER, 'identity/assignments.yaml': ASSIGNMENTS };
    const findings = await checkLive(files, (s) => {
      s.permissionSets = [];
      s.groups = [];
      s.assignments = [];
    });
    expect(findings).toEqual([
      [
        'IDC105',
        'identity/assignments.yaml',
        4,
        20,
        expect.stringContaining(
          'managed by AWS Control Tower, but Identity Center has no permission set of that name',
        ),
      ],
      [
        'IDC101',
        'identity/ct.yaml',
        7,
        5,
        expect.stringContaining('declared as managed by AWS Control Tower but does not exist'),
      ],
    ]);
    expect(findings.filter((f) => f[0] === 'IDC107')).toEqual([]);
  });

  it('keeps its assignments in the policies: a team policy on assignments still sees them', async () => {
    const root = makeRepo({
      '.idc-guard.yml': 'policies: ["policies/**/*.yaml"]\n',
      'identity/ic.yaml': IC,
      'identity/ct.yaml': CONTROL_TOWER,
      'identity/assignments.yaml': ASSIGNMENTS,
      'policies/no-admin-in-prod.yaml':
        'kind: Policy\nid: ORG-900\ntitle: No administrator in prod\nseverity: error\ntarget: assignment\nwhere: { properties: { permissionSet: { pattern: Administrator } } }\nrequire: { properties: { accountAlias: { not: { const: prod } } } }\nmessage: "{principal} gets {permissionSet} in {accountAlias}"\n',
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['ORG-900', 'identity/assignments.yaml', 5],
    ]);
  });
});

describe('a pull request that marks a permission set managed elsewhere', () => {
  const ADMIN_IN_GIT =
    'kind: PermissionSet\nname: AdministratorAccess\nsessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]\n';
  const ADMIN_ELSEWHERE = 'kind: PermissionSet\nname: AdministratorAccess\nmanagedBy: external\n';
  const GROUPS = 'kind: Groups\ngroups:\n  - name: aws-admins-platform\n    source: manual\n';
  const grant = (group: string) =>
    `  - group: ${group}\n    permissionSet: AdministratorAccess\n    accounts: [prod]\n`;

  function repo(ps: string, assignments: string): string {
    const root = makeRepo({
      '.idc-guard.yml': 'policies: ["policies/**/*.yaml"]\n',
      'identity/ic.yaml': IC,
      'identity/groups.yaml': `${GROUPS}  - name: contractors\n    source: manual\n`,
      'identity/ps.yaml': ps,
      'identity/assignments.yaml': `kind: Assignments\nassignments:\n${assignments}`,
    });
    mkdirSync(join(root, 'policies'));
    copyFileSync(
      join(REPO_ROOT, 'policies/recommended/ORG-002-prod-admin-only-admin-groups.yaml'),
      join(root, 'policies/org-002.yaml'),
    );
    return root;
  }

  /** Live AdministratorAccess as the base defines it, but with a session changed in the console. */
  function drifted(): string {
    const live = state();
    live.groups.push({
      groupId: 'g-admins',
      displayName: 'aws-admins-platform',
      externalIds: [],
      memberUserIds: ['u-a'],
    });
    live.permissionSets = [
      permissionSet('AdministratorAccess', 'admin', {
        sessionDuration: 'PT8H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      }),
    ];
    live.assignments = [
      {
        accountId: '111111111111',
        permissionSetArn: psArn('admin'),
        principalType: 'GROUP',
        principalId: 'g-admins',
      },
    ];
    const file = join(makeRepo({}), 'snapshot.json');
    writeFileSync(file, JSON.stringify(live));
    return file;
  }

  it('shows the hand-over, keeps the drift the base has, and keeps its new grants in the diff and policies', async () => {
    const base = repo(ADMIN_IN_GIT, grant('aws-admins-platform'));
    const head = repo(ADMIN_ELSEWHERE, grant('aws-admins-platform') + grant('contractors'));
    const { result, diff } = await checkPullRequest({
      baseRoot: base,
      headRoot: head,
      options: { root: head, live: drifted(), now: TEST_NOW },
    });
    expect(diff.managementChanges).toEqual([
      { kind: 'permission set', name: 'AdministratorAccess', to: 'external' },
    ]);
    const lines = accessLines(diff).map((l) => `${l.icon} ${l.text}`);
    expect(lines[0]).toMatch(
      /^⚠️ permission set AdministratorAccess is no longer defined in Git: this change marks it managedBy: external/,
    );
    expect(lines).toContain(
      '➕ group contractors gains AdministratorAccess in prod (111111111111) (pending: applied on merge)',
    );
    const findings = result.report.findings.map((f) => [f.ruleId, f.scope, f.file, f.line, f.column]);
    expect(findings).toEqual([
      ['ORG-002', 'introduced', 'identity/assignments.yaml', 8, 16],
      // Compared with the base's definition, at the head's managedBy: drift the base already had.
      ['IDC107', 'baseDrift', 'identity/ps.yaml', 3, 12],
    ]);
    const drift = result.report.findings.find((f) => f.ruleId === 'IDC107')!;
    expect(drift.message).toContain('sessionDuration is "PT8H" in Identity Center but "PT1H" here');
    expect(drift.message).toContain('the base branch defines it in Git');
  });

  it('once merged, the base marks it: its definition is no longer compared', async () => {
    const root = repo(ADMIN_ELSEWHERE, grant('aws-admins-platform'));
    const { report } = await check(root, { live: drifted() });
    expect(report.findings.filter((f) => f.ruleId === 'IDC107')).toEqual([]);
  });
});

describe('init --from-live and Control Tower', () => {
  it("declares Control Tower's own by name, managedBy: controltower; a group the IdP pushes stays the IdP's", () => {
    const live = state();
    live.groups.push({
      groupId: 'g-idp',
      displayName: 'AWSSecurityAuditors',
      externalIds: [{ issuer: 'https://scim.us-east-1.amazonaws.com/t/scim/v2', id: 'e1' }],
      memberUserIds: [],
    });
    const files = renderDeclarations(live);
    expect(files.get('identity/permission-sets/AWSAdministratorAccess.yaml')).toContain(
      'kind: PermissionSet\nname: AWSAdministratorAccess\nmanagedBy: controltower\n',
    );
    const groups = files.get('identity/groups.yaml')!;
    expect(groups).toContain('- name: AWSControlTowerAdmins\n    managedBy: controltower\n');
    expect(groups).toMatch(/- name: AWSSecurityAuditors\n(?! {4}managedBy)/);
  });

  it('writes declarations a check reads without findings against the same state', async () => {
    const live = state();
    const root = makeRepo(Object.fromEntries(renderDeclarations(live)));
    writeFileSync(join(root, 'snapshot.json'), JSON.stringify(live));
    const { report } = await check(root, { live: join(root, 'snapshot.json') });
    expect(report.findings).toEqual([]);
    expect(readFileSync(join(root, 'identity/groups.yaml'), 'utf8')).not.toContain('members');
  });
});
