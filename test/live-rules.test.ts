import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '../src/live/types.js';
import { check, FIXTURES, makeRepo, runCli } from './helpers.js';

const DECLARATIONS = {
  'identity/ic.yaml':
    'kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1111222233334444\nidentityStoreId: d-1234567890\nregion: us-east-1\nscim:\n  idp: entra\naccounts:\n  prod: "111111111111"\n',
  'identity/groups.yaml':
    'kind: Groups\ngroups:\n  - name: admins\n    members:\n      users: [alice@example.com]\n  - name: devs\n    members:\n      users: [bob@example.com]\n',
  'identity/ps.yaml':
    'kind: PermissionSet\nname: Admin\nsessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]\n',
  'identity/assignments.yaml':
    'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n    accounts: [prod]\n  - group: devs\n    permissionSet: Admin\n    accounts: ["222222222222"]\n',
};

const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd';
const scim = (id: string) => [{ issuer: 'https://scim.us-east-1.amazonaws.com/t/scim/v2', id }];

/** A live state that agrees with DECLARATIONS in every way: no live rule fires on it. */
function agreeingState(): LiveState {
  const user = (userId: string, name: string) => ({
    userId,
    userName: `${name}@example.com`,
    displayName: name,
    givenName: name,
    familyName: 'X',
    email: `${name}@example.com`,
    active: true,
    externalIds: scim(userId),
  });
  return {
    version: 1,
    readAt: '2026-11-22T00:00:00.000Z',
    instance: {
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111222233334444',
      identityStoreId: 'd-1234567890',
      region: 'us-east-1',
    },
    groups: [
      { groupId: 'g-admins', displayName: 'admins', externalIds: scim('e1'), memberUserIds: ['u-alice'] },
      { groupId: 'g-devs', displayName: 'devs', externalIds: scim('e2'), memberUserIds: ['u-bob'] },
    ],
    users: [user('u-alice', 'alice'), user('u-bob', 'bob')],
    permissionSets: [
      {
        arn: ADMIN,
        name: 'Admin',
        sessionDuration: 'PT1H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [],
        tags: {},
        provisionedAccounts: [
          { accountId: '111111111111', current: true },
          { accountId: '222222222222', current: true },
        ],
      },
    ],
    assignments: [
      { accountId: '111111111111', permissionSetArn: ADMIN, principalType: 'GROUP', principalId: 'g-admins' },
      { accountId: '222222222222', permissionSetArn: ADMIN, principalType: 'GROUP', principalId: 'g-devs' },
    ],
    organization: {
      id: 'o-abcd123456',
      managementAccountId: '999999999999',
      rootId: 'r-ab12',
      organizationalUnits: [
        { id: 'ou-ab12-11111111', name: 'Workloads', parentId: 'r-ab12' },
        { id: 'ou-ab12-22222222', name: 'Prod', parentId: 'ou-ab12-11111111' },
      ],
      accounts: [
        {
          id: '111111111111',
          name: 'prod',
          status: 'ACTIVE',
          parentId: 'ou-ab12-22222222',
          tags: { env: 'prod' },
        },
        {
          id: '222222222222',
          name: 'dev',
          status: 'ACTIVE',
          parentId: 'ou-ab12-11111111',
          tags: { env: 'dev' },
        },
        { id: '999999999999', name: 'management', status: 'ACTIVE', parentId: 'r-ab12', tags: {} },
      ],
    },
    complete: {
      groups: true,
      users: true,
      memberships: true,
      permissionSets: true,
      assignments: 'all',
      organization: true,
    },
    failures: [],
    apiCalls: {},
  };
}

async function checkLive(change: (s: LiveState) => void, files: Record<string, string> = {}) {
  const state = agreeingState();
  change(state);
  const root = makeRepo({ ...DECLARATIONS, ...files });
  writeFileSync(join(root, 'snapshot.json'), JSON.stringify(state));
  const { report } = await check(root, { live: join(root, 'snapshot.json') });
  return report;
}

const group = (s: LiveState, name: string) => s.groups.find((g) => g.displayName === name)!;

describe('IDC104 with an IdP export: the evidence that a mapping source is empty', () => {
  // The tutorials' default Entra mapping: name.familyName comes from [surname] alone.
  const schema = readFileSync(
    join(FIXTURES, 'idp', 'entra-tutorial-default', 'identity', 'entra', 'provisioning-schema.json'),
    'utf8',
  );

  it('names the mapping and its fallback for a member who lacks the attribute; IDC006 stays silent', async () => {
    const report = await checkLive((s) => delete s.users[1].familyName, {
      'identity/entra/provisioning-schema.json': schema,
    });
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line])).toEqual([
      ['IDC104', 'warning', 'identity/groups.yaml', 6],
    ]);
    expect(report.findings[0].message).toMatch(
      /^member "bob@example.com" of group "devs" has no familyName, .*`name\.familyName` comes only from "\[surname\]" in identity\/entra\/provisioning-schema\.json, which this user lacks at the IdP: fill it in, or add a fallback such as Coalesce\(\[surname\], \[displayName\]\)$/,
    );
  });
});

describe('live rules on a snapshot', () => {
  it('are all quiet when the live state agrees with the declarations', async () => {
    const report = await checkLive(() => {});
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([]);
  });

  it.each<[string, (s: LiveState) => void, [string, string, string, number, number][]]>([
    [
      'IDC101: a declared group that never arrived',
      (s) => {
        s.groups = s.groups.filter((g) => g.displayName !== 'devs');
        s.assignments = s.assignments.filter((a) => a.principalId !== 'g-devs');
      },
      [['IDC101', 'error', 'identity/groups.yaml', 6, 5]],
    ],
    [
      'IDC102: a group created by hand',
      (s) => (group(s, 'devs').externalIds = []),
      [['IDC102', 'error', 'identity/groups.yaml', 6, 5]],
    ],
    [
      'IDC103: an assigned group with no members (and its declared member missing)',
      (s) => (group(s, 'devs').memberUserIds = []),
      [
        ['IDC103', 'warning', 'identity/groups.yaml', 6, 5],
        ['IDC110', 'warning', 'identity/groups.yaml', 8, 14],
      ],
    ],
    [
      'IDC104: a member without a family name',
      (s) => delete s.users[1].familyName,
      [['IDC104', 'warning', 'identity/groups.yaml', 6, 5]],
    ],
    [
      'IDC104: a disabled member',
      (s) => (s.users[0].active = false),
      [['IDC104', 'warning', 'identity/groups.yaml', 3, 5]],
    ],
    [
      'IDC105: a declared assignment missing live',
      (s) => (s.assignments = s.assignments.slice(0, 1)),
      [['IDC105', 'error', 'identity/assignments.yaml', 8, 16]],
    ],
    [
      'IDC106: an assignment clicked in the console',
      (s) =>
        s.assignments.push({
          accountId: '333333333333',
          permissionSetArn: ADMIN,
          principalType: 'GROUP',
          principalId: 'g-admins',
        }),
      [['IDC106', 'error', 'identity/groups.yaml', 3, 5]],
    ],
    [
      'IDC107: a session duration changed in the console',
      (s) => (s.permissionSets[0].sessionDuration = 'PT2H'),
      [['IDC107', 'error', 'identity/ps.yaml', 3, 18]],
    ],
    [
      'IDC107: an inline policy added in the console',
      (s) => (s.permissionSets[0].inlinePolicy = '{"Version":"2012-10-17","Statement":[]}'),
      [['IDC107', 'error', 'identity/ps.yaml', 2, 7]],
    ],
    [
      'IDC107: a permission set missing live',
      (s) => {
        s.permissionSets = [];
        s.assignments = [];
      },
      [['IDC107', 'error', 'identity/ps.yaml', 2, 7]],
    ],
    [
      'IDC108: a permission set waiting for re-provisioning',
      (s) => (s.permissionSets[0].provisionedAccounts[1].current = false),
      [['IDC108', 'warning', 'identity/ps.yaml', 2, 7]],
    ],
    [
      'IDC109: an assignment to a deleted group',
      (s) =>
        s.assignments.push({
          accountId: '111111111111',
          permissionSetArn: ADMIN,
          principalType: 'GROUP',
          principalId: 'g-deleted',
        }),
      [['IDC109', 'error', 'identity/ps.yaml', 2, 7]],
    ],
    [
      'IDC110: members that differ',
      (s) => {
        s.users.push({
          userId: 'u-carol',
          userName: 'carol@example.com',
          displayName: 'c',
          givenName: 'c',
          familyName: 'c',
          email: 'c@example.com',
          externalIds: [],
        });
        group(s, 'admins').memberUserIds = ['u-carol'];
      },
      [['IDC110', 'warning', 'identity/groups.yaml', 5, 14]],
    ],
    [
      'IDC111: a suspended account',
      (s) => (s.organization!.accounts![1].status = 'SUSPENDED'),
      [['IDC111', 'warning', 'identity/assignments.yaml', 8, 16]],
    ],
    [
      'IDC112: an assignment in the management account',
      (s) => (s.organization!.managementAccountId = '111111111111'),
      [['IDC112', 'error', 'identity/assignments.yaml', 5, 16]],
    ],
  ])('%s', async (_name, change, expected) => {
    const report = await checkLive(change);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column])).toEqual(expected);
  });

  it('compares the valid fields of a permission set that breaks its schema in one, and not that one', async () => {
    const report = await checkLive(() => {}, {
      'identity/ps.yaml':
        'kind: PermissionSet\nname: Admin\nsessionDuration: PT13H\nmanagedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n',
    });
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column])).toEqual([
      ['IDC001', 'identity/ps.yaml', 3, 18],
      ['IDC107', 'identity/ps.yaml', 4, 18],
    ]);
    expect(report.findings[1].message).toContain('managedPolicies is');
  });

  it('resolves OU, tag and root targets through the organization: no drift when they agree', async () => {
    // devs gets Admin in the Workloads OU and its child OUs (111… and 222…); admins in accounts tagged env=prod.
    const targets = {
      'identity/assignments.yaml':
        'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n    accountTags: { env: prod }\n  - group: devs\n    permissionSet: Admin\n    organizationalUnits: [ou-ab12-11111111]\n    recursive: true\n',
    };
    const withOu = (s: LiveState) =>
      s.assignments.push({
        accountId: '111111111111',
        permissionSetArn: ADMIN,
        principalType: 'GROUP',
        principalId: 'g-devs',
      });
    expect((await checkLive(withOu, targets)).findings).toEqual([]);
    // One account of the OU lacks the assignment: IDC105 at the OU's line, naming the account.
    const missing = await checkLive(() => {}, targets);
    expect(missing.findings.map((f) => [f.ruleId, f.line, f.column, f.message])).toEqual([
      [
        'IDC105',
        8,
        27,
        'group "devs" should have "Admin" in prod (111111111111) (via OU Workloads (ou-ab12-11111111) and its child OUs), but Identity Center has no such assignment: apply the declarations, or remove this account from the assignment',
      ],
    ]);
    // An OU and tags the organization does not have: IDC111 at each.
    const unknown = await checkLive(withOu, {
      'identity/assignments.yaml': targets['identity/assignments.yaml']
        .replace('env: prod', 'env: staging')
        .replace('ou-ab12-11111111', 'ou-ab12-99999999'),
    });
    expect(unknown.findings.filter((f) => f.ruleId === 'IDC111').map((f) => [f.line, f.message])).toEqual([
      [
        5,
        expect.stringContaining(
          'through an account tagged env=staging, which the organization does not have',
        ),
      ],
      [8, expect.stringContaining('through OU ou-ab12-99999999, which the organization does not have')],
    ]);
  });

  it('never guesses an OU target without the organization: a notice, and no IDC106 for what it may grant', async () => {
    const targets = {
      'identity/assignments.yaml':
        'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n    accounts: [prod]\n  - group: devs\n    permissionSet: Admin\n    organizationalUnits: [ou-ab12-11111111]\n',
    };
    const report = await checkLive((s) => delete s.organization, targets);
    expect(report.findings).toEqual([]);
    expect(report.notices.map((n) => n.message)).toContain(
      'assignments to OUs, account tags or the root are unresolved (the organization could not be read): the root is taken as every declared account, and an OU or tag target is checked as if it granted each declared account ("may grant")',
    );
  });

  it('IDC102 is a notice for Okta, which pushes groups without an externalId', async () => {
    const okta = { 'identity/ic.yaml': DECLARATIONS['identity/ic.yaml'].replace('idp: entra', 'idp: okta') };
    const report = await checkLive((s) => (group(s, 'devs').externalIds = []), okta);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([['IDC102', 'notice', 6]]);
  });

  it('never reports drift from a partial read: the rules that need it say they could not decide', async () => {
    const report = await checkLive((s) => {
      s.assignments = [];
      s.complete.assignments = false;
      s.failures = [
        { operation: 'ListAccountAssignments', message: 'InternalServerException after 6 attempts' },
      ];
    });
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([
      {
        source: 'aws',
        message:
          'ListAccountAssignments: InternalServerException after 6 attempts (recorded in the snapshot)',
      },
    ]);
    expect(report.notices.map((n) => n.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IDC105 not evaluated: assignments/),
        expect.stringMatching(/^IDC106 not evaluated/),
        expect.stringMatching(/^IDC109 not evaluated/),
      ]),
    );
  });

  it('refuses a snapshot that breaks its schema with one line naming file and line (exit 2)', async () => {
    const root = makeRepo({ ...DECLARATIONS, 'snap.json': '{\n  "version": 1,\n  "readAt": "x"\n}\n' });
    const { code, stdout } = await runCli(['check', '--root', root, '--live', join(root, 'snap.json')]);
    expect(code).toBe(2);
    expect(stdout).toMatch(
      /error: snapshot snap\.json:1:1: \(document\) is missing the required property "instance"/,
    );
  });
});

describe('idc-guard init --from-live', () => {
  it('writes declarations that a check against the same live state finds no drift in', async () => {
    const out = makeRepo({});
    const snapshot = join(process.cwd(), 'examples', 'acme', 'live', 'snapshot.json');
    const written = await runCli(['init', '--from-live', '--live', snapshot, '--out', out]);
    expect(written).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^wrote 7 files to .* from the live state read at 2026-11-22T02:00:00.000Z\n$/,
      ),
      stderr: '',
    });
    const { report } = await check(out, { live: snapshot });
    const drift = report.findings.filter((f) => ['IDC105', 'IDC106', 'IDC107', 'IDC110'].includes(f.ruleId));
    expect(drift).toEqual([]);
    // What remains are live problems that no declaration can fix: an orphaned assignment, an empty group, and so on.
    expect([...new Set(report.findings.map((f) => f.ruleId))].sort()).toEqual([
      'IDC103',
      'IDC104',
      'IDC108',
      'IDC109',
    ]);
    expect(report.findings.filter((f) => f.ruleId.startsWith('IDC0'))).toEqual([]);
  });

  it('never overwrites declarations unless asked to', async () => {
    const out = makeRepo({ 'identity/groups.yaml': 'kind: Groups\ngroups: []\n' });
    const snapshot = join(process.cwd(), 'examples', 'acme', 'live', 'snapshot.json');
    const { code, stderr } = await runCli(['init', '--from-live', '--live', snapshot, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/identity\/groups\.yaml already exists in .*; use --force to overwrite/);
  });
});
