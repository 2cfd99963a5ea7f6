/**
 * `idc-guard init --from-live` with names that do not fit a file system or a YAML reader as they are: every name
 * gets its own file (also where file systems ignore case), and every name reads back exactly, with the tool's
 * reader and with another, and a check of the result against the same live state shows no drift.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type {
  LiveApplication,
  LiveApplicationAssignment,
  LivePermissionSet,
  LiveState,
} from '../src/live/types.js';
import { permissionSetFileNames } from '../src/init/write-declarations.js';
import { check, makeRepo, runCli } from './helpers.js';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
/** Names that other YAML readers misread raw: YAML 1.1 line breaks, a no-break space, invisible characters. */
const ODD_NAMES = [
  'line\u2028separator',
  'next\u0085line',
  'no\u00a0break',
  'trailing-nbsp\u00a0',
  'soft\u00adhyphen',
  'tag\u{e0041}char',
  'tab\tinside',
];
/** Permission set names that are one file name once made safe, or once case is ignored. */
const CLASHING = ['Ops+Admin', 'Ops@Admin', 'Ops_Admin', 'ops_admin', 'Ops=Admin'];

function permissionSet(name: string, i: number): LivePermissionSet {
  return {
    arn: `arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-${String(i).padStart(16, '0')}`,
    name,
    description: `set ${name}`,
    sessionDuration: 'PT1H',
    managedPolicies: [],
    customerManagedPolicies: [],
    // Every set has its own inline policy file, so a clash would lose one.
    inlinePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b${i}/*` }],
    }),
    tags: { 'odd\u2028key': 'value\u00a0here' },
    provisionedAccounts: [{ accountId: '111111111111', current: true }],
  };
}

function application(
  name: string,
  id: string,
  assignmentRequired: boolean,
  assignments: LiveApplicationAssignment[],
): LiveApplication {
  return {
    arn: `arn:aws:sso::123456789012:application/ssoins-1111222233334444/apl-${id}`,
    name,
    assignmentRequired,
    assignments,
  };
}

function liveState(): LiveState {
  const groups = ODD_NAMES.map((name, i) => ({
    groupId: `g-${i}`,
    displayName: name,
    description: `group\n${name}`,
    externalIds: [{ issuer: 'https://scim.us-east-1.amazonaws.com/t/scim/v2', id: `e${i}` }],
    memberUserIds: [`u-${i}`],
  }));
  const users = ODD_NAMES.map((name, i) => ({
    userId: `u-${i}`,
    userName: `user${i}@example.com`,
    displayName: name,
    givenName: 'Given',
    familyName: 'Family',
    email: `user${i}@example.com`,
    active: true,
    externalIds: [{ issuer: 'https://scim.us-east-1.amazonaws.com/t/scim/v2', id: `ue${i}` }],
  }));
  const permissionSets = CLASHING.map(permissionSet);
  return {
    version: 1,
    readAt: '2026-11-22T00:00:00.000Z',
    instance: { instanceArn: INSTANCE, identityStoreId: 'd-1234567890', region: 'us-east-1' },
    groups,
    users,
    permissionSets,
    assignments: groups.flatMap((g, i) => ({
      accountId: '111111111111',
      permissionSetArn: permissionSets[i % permissionSets.length].arn,
      principalType: 'GROUP' as const,
      principalId: g.groupId,
    })),
    // Two applications share a name (so each is written with its ARN), one lets everyone in, one is assigned
    // to a principal that no longer exists (left out), one is AWS managed and assigned to nobody.
    applications: [
      application('Wiki', 'wiki000000000001', true, [
        { principalType: 'GROUP', principalId: groups[0].groupId },
        { principalType: 'USER', principalId: users[1].userId },
      ]),
      application('Wiki', 'wiki000000000002', false, [
        { principalType: 'GROUP', principalId: groups[2].groupId },
      ]),
      application('Grafana', 'grafana000000001', true, [
        { principalType: 'GROUP', principalId: 'g-gone', principalMissing: true },
        ...groups.map((g) => ({ principalType: 'GROUP' as const, principalId: g.groupId })),
      ]),
      application('Amazon Q Developer', 'amazonq000000001', true, []),
    ],
    accessControlAttributes: {
      configured: true,
      status: 'ENABLED',
      attributes: [
        { key: 'CostCenter', source: '${path:enterprise.costCenter}' },
        { key: 'Team', source: '${path:addresses[type eq "work"].locality}' },
      ],
    },
    complete: {
      groups: true,
      users: true,
      memberships: true,
      permissionSets: true,
      assignments: 'all',
      applications: true,
      accessControlAttributes: true,
    },
    failures: [],
    apiCalls: {},
  };
}

describe('init --from-live with names that do not fit as they are', () => {
  let out: string;
  let snapshot: string;

  beforeAll(async () => {
    out = makeRepo({});
    snapshot = join(makeRepo({}), 'snapshot.json');
    writeFileSync(snapshot, JSON.stringify(liveState()));
    const written = await runCli(['init', '--from-live', '--live', snapshot, '--out', out]);
    expect(written).toMatchObject({ code: 0, stderr: '' });
  });

  it('gives every permission set its own files, distinct without regard to case', () => {
    const files = readdirSync(join(out, 'identity/permission-sets'));
    expect(files).toHaveLength(CLASHING.length * 2); // a .yaml and a .inline.json each
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(files.length);
    // The name that needs no change keeps its own file name.
    expect(files).toContain('Ops_Admin.yaml');
  });

  it('reads every name back exactly, with the tool’s reader and with another', () => {
    const read = (path: string) => readFileSync(join(out, 'identity', path), 'utf8');
    const groupsYaml = read('groups.yaml');
    for (const parse of [
      (t: string) => jsYaml.load(t, { schema: jsYaml.CORE_SCHEMA }),
      (t: string) => parseAllDocuments(t)[0].toJS(),
    ]) {
      const groups = (parse(groupsYaml) as { groups: { name: string; description: string }[] }).groups;
      expect(groups.map((g) => g.name).sort()).toEqual([...ODD_NAMES].sort());
      expect(groups.map((g) => g.description).sort()).toEqual(ODD_NAMES.map((n) => `group\n${n}`).sort());
      for (const file of readdirSync(join(out, 'identity/permission-sets')).filter((f) =>
        f.endsWith('.yaml'),
      )) {
        const ps = parse(read(`permission-sets/${file}`)) as { name: string; tags: Record<string, string> };
        expect(CLASHING).toContain(ps.name);
        expect(ps.tags).toEqual({ 'odd\u2028key': 'value\u00a0here' });
      }
    }
    // Written as escapes: no reader sees a raw line separator, next line, no-break space or tag character.
    expect(groupsYaml).toContain('"line\\u2028separator"');
    expect(groupsYaml).toContain('"next\\u0085line"');
    expect(groupsYaml).toContain('"no\\u00a0break"');
    expect(groupsYaml).toContain('"tag\\U000e0041char"');
    expect(groupsYaml).not.toMatch(/[\u2028\u0085\u00a0\u00ad]|\u{e0041}/u);
  });

  it('shows no drift when checked against the same live state', async () => {
    const { report } = await check(out, { live: snapshot });
    expect(report.errors).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'IDC001')).toEqual([]);
    const drift = report.findings.filter((f) =>
      ['IDC105', 'IDC106', 'IDC107', 'IDC109', 'IDC110', 'IDC113', 'IDC114', 'IDC116', 'IDC117'].includes(
        f.ruleId,
      ),
    );
    expect(drift).toEqual([]);
    // The orphaned assignment is what is left: IDC115 says to remove it.
    expect(report.findings.filter((f) => f.ruleId === 'IDC115').map((f) => f.file)).toEqual([
      'identity/applications.yaml',
    ]);
  });

  it('writes the applications (by ARN where names are shared) and the attributes for access control', () => {
    const docs = jsYaml.loadAll(readFileSync(join(out, 'identity', 'applications.yaml'), 'utf8')) as {
      name: string;
      arn?: string;
      assignmentRequired?: boolean;
      assignments?: { groups?: string[]; users?: string[] };
    }[];
    expect(docs.map((d) => [d.name, d.arn?.slice(-20), d.assignmentRequired])).toEqual([
      ['Wiki', 'apl-wiki000000000001', true],
      ['Wiki', 'apl-wiki000000000002', false],
      ['Grafana', undefined, true],
      ['Amazon Q Developer', undefined, true],
    ]);
    expect(docs[0].assignments).toEqual({ groups: [ODD_NAMES[0]], users: ['user1@example.com'] });
    expect(docs[2].assignments?.groups).toHaveLength(ODD_NAMES.length);
    expect(
      jsYaml.load(readFileSync(join(out, 'identity', 'access-control-attributes.yaml'), 'utf8')),
    ).toEqual({
      kind: 'AccessControlAttributes',
      attributes: [
        { key: 'CostCenter', source: '${path:enterprise.costCenter}' },
        { key: 'Team', source: '${path:addresses[type eq "work"].locality}' },
      ],
    });
  });

  it('writes every live user into a Users document, so that no member is left undeclared', async () => {
    const users = jsYaml.load(readFileSync(join(out, 'identity', 'users.yaml'), 'utf8')) as {
      kind: string;
      users: { userName: string }[];
    };
    expect(users.kind).toBe('Users');
    expect(users.users.map((u) => u.userName)).toEqual(
      liveState()
        .users.map((u) => u.userName)
        .sort((a, b) => a.localeCompare(b)),
    );
    const { report } = await check(out, { live: snapshot });
    expect(report.findings.filter((f) => f.ruleId === 'IDC002')).toEqual([]);
  });
});

describe('permission set file names', () => {
  it('keeps names that need no change, and gives the others a short hash of the name', () => {
    const names = permissionSetFileNames(['Ops+Admin', 'Ops_Admin', 'Ops@Admin', 'ReadOnly']);
    expect(names.get('Ops_Admin')).toBe('Ops_Admin');
    expect(names.get('ReadOnly')).toBe('ReadOnly');
    expect(names.get('Ops+Admin')).toMatch(/^Ops_Admin-[0-9a-f]{8}$/);
    expect(names.get('Ops@Admin')).toMatch(/^Ops_Admin-[0-9a-f]{8}$/);
    expect(names.get('Ops+Admin')).not.toBe(names.get('Ops@Admin'));
  });

  it('is collision-free even against a name that looks like a suffixed one', () => {
    const plain = permissionSetFileNames(['A+B', 'A@B']);
    const suffixed = plain.get('A@B')!;
    const names = permissionSetFileNames(['A+B', 'A@B', suffixed, suffixed.toUpperCase()]);
    const files = [...names.values()].map((f) => f.toLowerCase());
    expect(new Set(files).size).toBe(4);
  });
});
