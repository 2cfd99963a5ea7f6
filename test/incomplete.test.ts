/**
 * "A declaration that cannot be read never becomes drift" (issue 14: base, head and live):
 * one broken file is its IDC001, not an IDC106 "made in the console?" per live assignment. Checked through the
 * CLI against the local Identity Center server, in both modes.
 */
import { scimIds, seedOrganisation, seedUser, type SeedSpec } from './aws/seed.js';
import { useIdcServer, type IdcServer } from './aws/server.js';
import { check, checkAwsCli, makeRepo } from './helpers.js';

const DECLARATIONS = {
  'identity/ic.yaml': 'kind: IdentityCenter\nregion: us-east-1\naccounts:\n  prod: "111111111111"\n',
  'identity/groups.yaml':
    'kind: Groups\ngroups:\n  - name: admins\n    members:\n      users: [alice@example.com]\n  - name: devs\n    members:\n      users: [bob@example.com]\n',
  'identity/ps.yaml': 'kind: PermissionSet\nname: Admin\nsessionDuration: PT1H\n',
  'identity/assignments.yaml':
    'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n    accounts: [prod]\n  - group: devs\n    permissionSet: Admin\n    accounts: ["222222222222"]\n',
};
// One bad indent: a YAML error at line 5, so nothing of the file is read.
const BROKEN =
  'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n   accounts: [prod]\n  - group: devs\n    permissionSet: Admin\n    accounts: ["222222222222"]\n';

/** The declared organisation, plus one assignment made in the console (a real IDC106). */
const SPEC: SeedSpec = {
  users: ['alice', 'bob'].map(seedUser),
  groups: [
    { name: 'admins', externalIds: scimIds('g-admins'), members: ['alice@example.com'] },
    { name: 'devs', externalIds: scimIds('g-devs'), members: ['bob@example.com'] },
  ],
  permissionSets: [{ name: 'Admin', sessionDuration: 'PT1H' }],
  assignments: [
    { group: 'admins', permissionSet: 'Admin', accounts: ['111111111111'] },
    { group: 'devs', permissionSet: 'Admin', accounts: ['222222222222', '333333333333'] },
  ],
};

const idc = useIdcServer();
let server: IdcServer;
beforeAll(async () => {
  server = idc();
  await server.reset();
  await seedOrganisation(server.endpoint, SPEC);
});

type Row = [string, string, number];
const rows = (json: string): { rows: Row[]; notices: string[] } => {
  const report = JSON.parse(json) as {
    findings: { ruleId: string; file: string; line: number }[];
    notices: { message: string }[];
  };
  return {
    rows: report.findings.map((f) => [f.ruleId, f.file, f.line]),
    notices: report.notices.map((n) => n.message),
  };
};

describe.each(['check', 'drift'] as const)('in %s mode', (mode) => {
  it('a complete read reports the console-made assignment (IDC106)', async () => {
    const out = await checkAwsCli(makeRepo(DECLARATIONS), mode);
    expect(rows(out.stdout).rows).toEqual([['IDC106', 'identity/assignments.yaml', 6]]);
    expect(out.code).toBe(1);
  });

  it('a broken Assignments file is one IDC001 and no IDC106, and one notice says why', async () => {
    const out = await checkAwsCli(makeRepo({ ...DECLARATIONS, 'identity/assignments.yaml': BROKEN }), mode);
    const { rows: found, notices } = rows(out.stdout);
    expect(found).toEqual([['IDC001', 'identity/assignments.yaml', 5]]);
    expect(notices).toContainEqual(
      'IDC106 not evaluated: identity/assignments.yaml did not load (see IDC001), so the declarations are incomplete and live state that nothing declares could be declared there; fix the file and check again',
    );
    expect(out.code).toBe(1);
  });

  it('a schema error in a Groups document limits only the rules that need every group', async () => {
    const groups = DECLARATIONS['identity/groups.yaml'].replace(
      '  - name: devs',
      '  - name: devs\n    source: nowhere',
    );
    const { report } = await check(makeRepo({ ...DECLARATIONS, 'identity/groups.yaml': groups }), {
      live: 'aws',
      mode,
      requestsPerSecond: 0,
    });
    // IDC106 needs the assignments and the aliases only: it still reports the console-made assignment.
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IDC106', 'identity/assignments.yaml', 6],
      ['IDC001', 'identity/groups.yaml', 7],
    ]);
  });
});
