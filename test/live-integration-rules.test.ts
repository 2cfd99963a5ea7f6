/**
 * The live rules against the local Identity Center server, in a PR check and in drift mode: all quiet when it
 * agrees with the declarations, and each rule fired by one change. See test/live-integration/helpers.ts.
 */
import { agreeing, useLocalIdc, liveCheck, at } from './live-integration/helpers.js';

useLocalIdc();

describe.each([
  ['a PR check (declared principals)', 'check' as const],
  ['drift mode (everything)', 'drift' as const],
])('live rules against the local Identity Center server: %s', (_name, mode) => {
  it('are all quiet when Identity Center agrees with the declarations', async () => {
    const result = await liveCheck(agreeing(), { mode });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
    expect(result.report.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^live state read from AWS: arn:aws:sso:::instance\/ssoins-[0-9a-f]{16} \(the only instance, found with ListInstances\)/,
      ),
      // The seeded account is in no organization: only the management-account rule cannot run, and says so.
      'IDC112 (management account) not evaluated: organizations:DescribeOrganization: could not read the organization: AWSOrganizationsNotInUseException: Your account is not a member of an organization.',
    ]);
    expect(result.report.stats.apiCalls).toBeGreaterThan(0);
  });

  it.each<[string, (s: ReturnType<typeof agreeing>) => void, string[][]]>([
    [
      'IDC101 when a declared group never arrived',
      (s) => {
        s.groups = s.groups.filter((g) => g.name !== 'devs');
        s.assignments = s.assignments.filter((a) => a.group !== 'devs');
      },
      [['IDC101', 'error', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC102 when the group was created by hand',
      (s) => delete s.groups[1].externalIds,
      [['IDC102', 'error', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC103 (and IDC110) when an assigned group is empty',
      (s) => (s.groups[1].members = []),
      [
        ['IDC103', 'warning', 'identity/groups.yaml', '6'],
        ['IDC110', 'warning', 'identity/groups.yaml', '8'],
      ],
    ],
    [
      'IDC104 when a member has no email',
      (s) => delete s.users[1].email,
      [['IDC104', 'warning', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC105 when a declared assignment is missing',
      (s) => (s.assignments = s.assignments.slice(0, 1)),
      [['IDC105', 'error', 'identity/assignments.yaml', '8']],
    ],
    [
      'IDC106 when an assignment was clicked in the console',
      (s) => s.assignments.push({ group: 'admins', permissionSet: 'Admin', accounts: ['333333333333'] }),
      [['IDC106', 'error', 'identity/assignments.yaml', '3']],
    ],
    [
      'IDC106 for a permission set nobody declared, named in the finding',
      (s) => {
        s.permissionSets.push({ name: 'ConsoleMade' });
        s.assignments.push({ group: 'admins', permissionSet: 'ConsoleMade', accounts: ['111111111111'] });
      },
      [['IDC106', 'error', 'identity/assignments.yaml', '3']],
    ],
    [
      'IDC107 when the session duration differs',
      (s) => (s.permissionSets[0].sessionDuration = 'PT2H'),
      [['IDC107', 'error', 'identity/ps.yaml', '3']],
    ],
    [
      'IDC108 when the permission set was edited and not re-provisioned',
      (s) => (s.outdated = ['Admin']),
      [['IDC108', 'warning', 'identity/ps.yaml', '2']],
    ],
    [
      'IDC110 when a group has an undeclared member',
      (s) => (s.groups[0].members = ['alice@example.com', 'bob@example.com']),
      [['IDC110', 'warning', 'identity/groups.yaml', '5']],
    ],
  ])('fires %s', async (_case, change, expected) => {
    const spec = agreeing();
    change(spec);
    const result = await liveCheck(spec, { mode });
    expect(result.report.errors).toEqual([]);
    expect(at(result)).toEqual(expected.map(([id, sev, file, line]) => [id, sev, file, Number(line)]));
    if (_case.includes('nobody declared'))
      expect(result.report.findings[0].message).toMatch(/has "ConsoleMade" in prod \(111111111111\)/);
  });
});
