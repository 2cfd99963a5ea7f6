/**
 * What a 'principals' read costs: the route to the assignments (per principal or per provisioned pair), a
 * PR check's `scope`, and no call whose answer no rule uses. Exact call counts per operation, against the
 * local server (test/aws/idc_server.py) and, for what it does not answer faithfully, the in-memory fake.
 */
import { describe, expect, test } from '@jest/globals';
import { readLiveState, type ReadLiveStateOptions } from '../src/live/reader.js';
import { validatorFor } from '../src/validate/schemas.js';
import { FakeIdentityCenter, type FakeData } from './aws/fake-idc.js';
import { seedOrganisation, scimIds, seedUser, type SeedSpec } from './aws/seed.js';
import { useIdcServer } from './aws/server.js';
import { check, makeRepo } from './helpers.js';

const server = useIdcServer();
const FAST: Partial<ReadLiveStateOptions> = { requestsPerSecond: 0 };
const PROD = '111111111111';
const DEV = '222222222222';

/**
 * Eight groups of two members, two permission sets: every group holds Admin in PROD and ReadOnly in DEV,
 * so there are 2 provisioned pairs for 8 groups.
 */
const GROUPS = Array.from({ length: 8 }, (_, i) => `team-${i}`);
const WIDE: SeedSpec = {
  users: GROUPS.flatMap((g) => [seedUser(`${g}-a`), seedUser(`${g}-b`)]),
  groups: GROUPS.map((name) => ({
    name,
    externalIds: scimIds(`g-${name}`),
    members: [`${name}-a@example.com`, `${name}-b@example.com`],
  })),
  permissionSets: [
    { name: 'Admin', tags: { team: 'platform' } },
    { name: 'ReadOnly', managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
  ],
  assignments: GROUPS.flatMap((group) => [
    { group, permissionSet: 'Admin', accounts: [PROD] },
    { group, permissionSet: 'ReadOnly', accounts: [DEV] },
  ]),
};

async function seeded() {
  const idc = server();
  await idc.setTps(0);
  await idc.reset();
  const org = await seedOrganisation(idc.endpoint, WIDE);
  await idc.resetCalls();
  return { idc, org, instance: { instanceArn: org.instanceArn, identityStoreId: org.identityStoreId } };
}

describe('the route to the assignments, against the local server', () => {
  test('8 groups, 2 permission sets, 2 provisioned pairs: per pair, 2 listings instead of 8', async () => {
    const { idc, instance } = await seeded();
    const state = await readLiveState({
      mode: 'check',
      ...instance,
      principals: { groups: GROUPS, users: [], permissionSets: ['Admin', 'ReadOnly'] },
      ...FAST,
    });
    expect(state.failures).toEqual([]);
    expect(state.apiCalls).toEqual({
      ListGroups: 1, // one page holds the 8 groups
      ListGroupMemberships: 8,
      ListUsers: 1,
      ListPermissionSets: 1,
      // P = 8 principals > N = 2 sets: every set's accounts (2), then each set's outdated ones (2)
      ListAccountsForProvisionedPermissionSet: 4,
      ListAccountAssignments: 2, // 2 pairs < 8 principals
      DescribePermissionSet: 2,
      ListManagedPoliciesInPermissionSet: 2,
      ListCustomerManagedPolicyReferencesInPermissionSet: 2,
      GetInlinePolicyForPermissionSet: 2,
      GetPermissionsBoundaryForPermissionSet: 2,
    });
    expect(state.apiCalls).toEqual((await idc.calls()).byOperation);
    expect(state.assignments).toHaveLength(16);
    expect(state.complete.assignments).toBe('principals');
    // Every account is known on this route: nothing but the tags was left out.
    expect(state.notRead).toEqual(['tags']);
    expect(state.permissionSets.map((p) => p.provisionedAccounts)).toEqual([
      [{ accountId: PROD, current: true }],
      [{ accountId: DEV, current: true }],
    ]);
  });

  test('2 groups: per principal, and the same assignments as the pair route would find', async () => {
    const { idc, org, instance } = await seeded();
    const state = await readLiveState({
      mode: 'check',
      ...instance,
      principals: { groups: ['team-0', 'team-1'], users: [], permissionSets: ['Admin', 'ReadOnly'] },
      ...FAST,
    });
    expect(state.apiCalls).toEqual({
      ListGroups: 1,
      ListGroupMemberships: 2,
      ListUsers: 1,
      ListPermissionSets: 1,
      ListAccountAssignmentsForPrincipal: 2, // P = 2 ≤ N = 2: per principal at once
      ListAccountsForProvisionedPermissionSet: 2, // the outdated accounts only (IDC108)
      DescribePermissionSet: 2,
      ListManagedPoliciesInPermissionSet: 2,
      ListCustomerManagedPolicyReferencesInPermissionSet: 2,
      GetInlinePolicyForPermissionSet: 2,
      GetPermissionsBoundaryForPermissionSet: 2,
    });
    expect(state.apiCalls).toEqual((await idc.calls()).byOperation);
    expect(state.notRead).toEqual(['tags', 'upToDateAccounts']);
    const ids = new Set([org.groups['team-0'], org.groups['team-1']]);
    const wide = await readLiveState({
      mode: 'check',
      ...instance,
      principals: { groups: GROUPS, users: [], permissionSets: ['Admin', 'ReadOnly'] },
      ...FAST,
    });
    expect(state.assignments).toEqual(wide.assignments.filter((a) => ids.has(a.principalId)));
  });

  test('fullDetail (snapshot, init) reads the tags and every provisioned account', async () => {
    const { instance } = await seeded();
    const state = await readLiveState({
      mode: 'check',
      ...instance,
      principals: { groups: ['team-0'], users: [], permissionSets: ['Admin'] },
      fullDetail: true,
      ...FAST,
    });
    expect(state.notRead).toBeUndefined();
    expect(state.apiCalls.ListTagsForResource).toBe(1);
    expect(state.apiCalls.ListAccountsForProvisionedPermissionSet).toBe(2);
    expect(state.permissionSets[0]).toMatchObject({
      tags: { team: 'platform' },
      provisionedAccounts: [{ accountId: PROD, current: true }],
    });
  });
});

describe('a scoped read (a PR check)', () => {
  test('reads only the scope, members only of the groups asked, and records how far it looked', async () => {
    const { idc, org, instance } = await seeded();
    const state = await readLiveState({
      mode: 'check',
      ...instance,
      // The declarations concern every group; the PR touches team-0's grants and team-1's members.
      principals: { groups: GROUPS, users: [], permissionSets: ['Admin', 'ReadOnly'] },
      scope: { groups: ['team-0', 'team-1'], users: [], permissionSets: ['Admin'], members: ['team-1'] },
      ...FAST,
    });
    expect(state.failures).toEqual([]);
    expect(state.scope).toEqual({
      groups: ['team-0', 'team-1'],
      users: [],
      permissionSets: ['Admin'],
      members: ['team-1'],
    });
    expect(state.apiCalls).toEqual({
      ListGroups: 1,
      ListGroupMemberships: 2, // team-1's members; one page of at most one for team-0 (empty or not)
      ListUsers: 1,
      ListPermissionSets: 1,
      ListAccountAssignmentsForPrincipal: 2,
      // the held sets are described first: Admin is found at once, ReadOnly named for IDC106
      DescribePermissionSet: 2,
      ListManagedPoliciesInPermissionSet: 1,
      ListCustomerManagedPolicyReferencesInPermissionSet: 1,
      GetInlinePolicyForPermissionSet: 1,
      GetPermissionsBoundaryForPermissionSet: 1,
      ListAccountsForProvisionedPermissionSet: 1,
    });
    expect(state.apiCalls).toEqual((await idc.calls()).byOperation);
    expect(state.groups.map((g) => [g.displayName, g.memberUserIds?.length])).toEqual([
      ['team-0', undefined], // not empty, members not read: never a partial list
      ['team-1', 2],
    ]);
    expect(state.users.map((u) => u.userName)).toEqual(['team-1-a@example.com', 'team-1-b@example.com']);
    expect(state.permissionSets.map((p) => p.name)).toEqual(['Admin']);
    expect(state.permissionSetNames).toEqual({ [org.permissionSets['ReadOnly']]: 'ReadOnly' });
    expect(state.assignments).toHaveLength(4);
    expect(validatorFor('snapshot.schema.json')(JSON.parse(JSON.stringify(state)))).toBe(true);
  });

  test('runCheck passes the scope through: stats.apiCallsByOperation and the notice say how far it looked', async () => {
    const { idc, instance } = await seeded();
    const root = makeRepo({
      'identity/instance.yaml': [
        'kind: IdentityCenter',
        `instanceArn: ${instance.instanceArn}`,
        `identityStoreId: ${instance.identityStoreId}`,
        'region: us-east-1',
        'accounts: { prod: "111111111111", dev: "222222222222" }',
      ].join('\n'),
      'identity/sets.yaml': 'kind: PermissionSet\nname: Admin\ntags: { team: platform }\n',
      'identity/groups.yaml': [
        'kind: Groups',
        'groups:',
        ...GROUPS.map((g) => `  - name: ${g}`),
        '---',
        'kind: Assignments',
        'assignments:',
        ...GROUPS.map((g) => `  - { group: ${g}, permissionSet: Admin, accounts: [prod] }`),
      ].join('\n'),
    });
    const { report } = await check(root, {
      live: 'aws',
      scope: { groups: ['team-3'], users: [], permissionSets: ['Admin'], members: [] },
      requestsPerSecond: 0,
    });
    expect(report.errors).toEqual([]);
    expect(report.stats.apiCallsByOperation).toEqual({
      ListGroups: 1, // one page holds the 8 groups: cheaper than GetGroupId + DescribeGroup
      ListGroupMemberships: 1,
      ListAccountAssignmentsForPrincipal: 1,
      ListPermissionSets: 1,
      DescribePermissionSet: 2,
      ListManagedPoliciesInPermissionSet: 1,
      ListCustomerManagedPolicyReferencesInPermissionSet: 1,
      GetInlinePolicyForPermissionSet: 1,
      GetPermissionsBoundaryForPermissionSet: 1,
      ListAccountsForProvisionedPermissionSet: 1,
      'organizations:DescribeOrganization': 1, // IDC112, counted apart (its own quota)
    });
    const { 'organizations:DescribeOrganization': _org, ...identityCenter } =
      report.stats.apiCallsByOperation!;
    expect(identityCenter).toEqual((await idc.calls()).byOperation);
    expect(report.notices.map((n) => n.message)).toContainEqual(
      expect.stringMatching(/the principals the change touches \(1 group, 0 users, 1 permission set\)/),
    );
  });
});

/** A fake instance: `groups` groups, each holding every set in `accounts` accounts. */
function fakeOrg(groups: number, sets: number, accounts: number, outdated = false): FakeData {
  const accountIds = Array.from({ length: accounts }, (_, i) => String(100000000000 + i));
  const arns = Array.from({ length: sets }, (_, i) => `arn:aws:sso:::permissionSet/ssoins-1/ps-${i}`);
  const groupIds = Array.from({ length: groups }, (_, i) => `g-${i}`);
  return {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1',
    identityStoreId: 'd-1',
    groups: groupIds.map((id, i) => ({ id, name: `group-${i}`, members: [`u-${i}`], externalIds: [] })),
    users: groupIds.map((_, i) => ({ id: `u-${i}`, userName: `user-${i}`, displayName: `U${i}` })),
    permissionSets: arns.map((arn, i) => ({
      arn,
      name: `Set${i}`,
      tags: { n: String(i) },
      accounts: accountIds,
      outdated: outdated ? accountIds.slice(0, 1) : [],
    })),
    assignments: groupIds.flatMap((principalId) =>
      arns.flatMap((permissionSetArn) =>
        accountIds.map((accountId) => ({
          accountId,
          permissionSetArn,
          principalType: 'GROUP' as const,
          principalId,
        })),
      ),
    ),
  };
}

async function readFake(
  data: FakeData,
  groups: string[],
  sets: string[],
  extra: Partial<ReadLiveStateOptions> = {},
) {
  const fake = new FakeIdentityCenter(data);
  const state = await readLiveState({
    mode: 'check',
    region: 'us-east-1',
    instanceArn: data.instanceArn,
    identityStoreId: data.identityStoreId,
    principals: { groups, users: [], permissionSets: sets },
    transport: fake.transport,
    ...FAST,
    ...extra,
  });
  expect(state.apiCalls).toEqual(fake.calls);
  return state;
}

describe('the route, on recorded answers (the in-memory fake)', () => {
  test('the set listings are spent and per principal kept when the pairs are not fewer than the principals', async () => {
    // 5 groups, 2 sets in 3 accounts: 6 pairs ≥ 5 principals.
    const data = fakeOrg(5, 2, 3, true);
    const state = await readFake(
      data,
      data.groups.map((g) => g.name),
      ['Set0', 'Set1'],
    );
    expect(state.apiCalls.ListAccountAssignmentsForPrincipal).toBe(5);
    expect(state.apiCalls.ListAccountAssignments).toBeUndefined();
    // 2 listings to weigh the route (kept: the accounts are known), then the outdated accounts of each
    expect(state.apiCalls.ListAccountsForProvisionedPermissionSet).toBe(4);
    expect(state.notRead).toEqual(['tags']);
    expect(state.permissionSets[0].provisionedAccounts).toEqual([
      { accountId: '100000000000', current: false },
      { accountId: '100000000001', current: true },
      { accountId: '100000000002', current: true },
    ]);
    expect(state.assignments).toHaveLength(30);
  });

  test('an undeclared set held by a wanted principal is found on the pair route too, and named', async () => {
    // 6 groups hold Set0 and Set1 in one account; only Set0 is declared.
    const data = fakeOrg(6, 2, 1);
    const state = await readFake(
      data,
      data.groups.map((g) => g.name),
      ['Set0'],
    );
    expect(state.apiCalls.ListAccountAssignments).toBe(2);
    expect(state.assignments).toHaveLength(12);
    expect(state.permissionSetNames).toEqual({ 'arn:aws:sso:::permissionSet/ssoins-1/ps-1': 'Set1' });
  });

  test('a failed set listing falls back to per principal: complete, never a missing assignment', async () => {
    const data = fakeOrg(6, 2, 1);
    const fake = new FakeIdentityCenter(data);
    fake.failing.set('ListAccountsForProvisionedPermissionSet', 'AccessDeniedException');
    const state = await readLiveState({
      mode: 'check',
      region: 'us-east-1',
      instanceArn: data.instanceArn,
      identityStoreId: data.identityStoreId,
      principals: { groups: data.groups.map((g) => g.name), users: [], permissionSets: ['Set0'] },
      transport: fake.transport,
      ...FAST,
    });
    expect(state.apiCalls.ListAccountAssignmentsForPrincipal).toBe(6);
    expect(state.assignments).toHaveLength(12);
    expect(state.complete.assignments).toBe('principals');
    expect(state.complete.permissionSets).toBe(false); // IDC108 cannot decide, and says so
    expect(state.failures.map((f) => f.operation)).toEqual(['ListAccountsForProvisionedPermissionSet']);
  });

  test('a few groups in a large store: look-ups after a few pages, not pages up to the look-ups budget', async () => {
    const data = fakeOrg(3000, 1, 1);
    const state = await readFake(data, ['group-2999', 'group-1500', 'group-2000'], ['Set0']);
    // 30 pages of groups; 3 look-ups cost 6 calls: the listing stops after 3 pages without a find
    expect(state.apiCalls.ListGroups).toBe(3);
    expect(state.apiCalls.GetGroupId).toBe(3);
    expect(state.apiCalls.DescribeGroup).toBe(3);
    expect(state.groups.map((g) => g.displayName).sort()).toEqual(['group-1500', 'group-2000', 'group-2999']);
  });
});
