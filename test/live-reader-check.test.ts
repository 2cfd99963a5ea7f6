/**
 * The live-state reader in check mode (and a PR check): only what the declarations name, at the lowest cost.
 * Against the local Identity Center (see test/live-reader/helpers.ts).
 */
import { describe, expect, jest, test } from '@jest/globals';
import { READ_OPERATIONS, readLiveState } from '../src/live/reader.js';
import { seedAccessControlAttributes, seedApplication, seedClients, seedOrganisation } from './aws/seed.js';
import {
  PROD,
  DEV,
  ORG,
  expectedAll,
  assignment,
  sorted,
  withoutRun,
  idc,
  FAST,
  useLocalIdc,
} from './live-reader/helpers.js';

jest.setTimeout(30_000);
useLocalIdc();

describe('check mode (and a PR check)', () => {
  test('reads only the declared groups, their members, declared users and permission sets', async () => {
    const org = await seedOrganisation(idc.endpoint, ORG);
    await idc.resetCalls();
    const state = await readLiveState({
      mode: 'check',
      instanceArn: org.instanceArn,
      identityStoreId: org.identityStoreId,
      principals: {
        groups: ['platform-admins', 'manual-ops', 'not-synced-yet'],
        users: ['bob@example.com', 'ghost@example.com'],
        permissionSets: ['AdministratorAccess', 'NotCreated'],
      },
      ...FAST,
    });
    const all = expectedAll(org);
    const { users: u, groups: g, permissionSets: p } = org;
    expect(withoutRun(state)).toEqual({
      ...all,
      instance: { instanceArn: org.instanceArn, identityStoreId: org.identityStoreId, region: 'us-east-1' },
      // a missing group or user is simply absent
      groups: all.groups.filter((x) => x.displayName !== 'developers'),
      users: all.users.filter((x) => x.userName !== 'carol@example.com'),
      // Without tags, and only the accounts lacking the latest version (both of them here): no rule needs more.
      permissionSets: all.permissionSets
        .filter((x) => x.name === 'AdministratorAccess')
        .map((x) => ({
          ...x,
          tags: {},
          provisionedAccounts: x.provisionedAccounts.filter((a) => !a.current),
        })),
      notRead: ['tags', 'upToDateAccounts'],
      assignments: sorted([
        assignment(PROD, p['AdministratorAccess'], 'GROUP', g['platform-admins']),
        assignment(DEV, p['AdministratorAccess'], 'GROUP', g['platform-admins']),
        assignment(PROD, p['AdministratorAccess'], 'USER', u['bob@example.com']),
      ]),
      complete: {
        groups: true,
        users: true,
        memberships: true,
        permissionSets: true,
        assignments: 'principals',
      },
      failures: [],
    });
    expect(state.apiCalls).toEqual({
      // One page holds every group and user: cheaper than GetGroupId + DescribeGroup per group and
      // DescribeUser per member, and complete, so not-synced-yet needs no look-up to be known absent.
      ListGroups: 1,
      ListGroupMemberships: 2,
      GetUserId: 2,
      ListUsers: 1,
      ListAccountAssignmentsForPrincipal: 3, // 2 groups found + bob
      ListPermissionSets: 1,
      DescribePermissionSet: 3, // NotCreated is looked for among all sets
      ListManagedPoliciesInPermissionSet: 1,
      ListCustomerManagedPolicyReferencesInPermissionSet: 1,
      GetInlinePolicyForPermissionSet: 1,
      GetPermissionsBoundaryForPermissionSet: 1,
      // 3 principals, 3 permission sets: per principal, so only the outdated accounts (IDC108) are listed
      ListAccountsForProvisionedPermissionSet: 1,
    });
    expect(state.apiCalls).toEqual((await idc.calls()).byOperation);
  });

  test('looks groups and users up one by one when that is cheaper than listing every page', async () => {
    // Six groups and six users listed before the wanted ones, and a page of one: listing would cost a page
    // per item in the store, so after the calls the look-ups would cost it looks the rest up.
    const fillers = Array.from({ length: 6 }, (_, i) => `filler${i}`);
    const org = await seedOrganisation(idc.endpoint, {
      ...ORG,
      users: [...fillers.map((f) => ({ userName: `${f}@example.com` })), ...ORG.users!],
      groups: [...fillers.map((name) => ({ name })), ...ORG.groups!],
    });
    const read = async (listWhileCheaper: boolean) => {
      await idc.resetCalls();
      return readLiveState({
        mode: 'check',
        instanceArn: org.instanceArn,
        identityStoreId: org.identityStoreId,
        principals: { groups: ['platform-admins'], users: ['carol@example.com'], permissionSets: [] },
        ...FAST,
        pageSize: 1,
        listWhileCheaper,
      });
    };
    const wantedUsers = ['alice@example.com', 'bob@example.com', 'carol@example.com'];
    // Where the wanted items fall in the listing is the store's order: the pages read stay within the calls
    // the look-ups would cost (2 a group, 1 a user), and what they did not find is looked up.
    const state = await read(true);
    expect(state.groups.map((g) => g.displayName)).toEqual(['platform-admins']);
    expect(state.users.map((u) => u.userName).sort()).toEqual(wantedUsers);
    expect(state.complete).toMatchObject({ groups: true, users: true });
    const c = state.apiCalls;
    expect(c.ListGroups).toBeLessThanOrEqual(2);
    expect(c.GetGroupId ?? 0).toBe(c.DescribeGroup ?? 0);
    expect((c.ListGroups ?? 0) + (c.GetGroupId ?? 0) + (c.DescribeGroup ?? 0)).toBeLessThanOrEqual(4);
    expect(c.ListUsers).toBeLessThanOrEqual(3);
    expect((c.ListUsers ?? 0) + (c.DescribeUser ?? 0)).toBeLessThanOrEqual(6);
    // Look-ups only (listWhileCheaper: false): the same state, at a cost that depends on the PR alone.
    const lookups = await read(false);
    expect(withoutRun(lookups)).toEqual(withoutRun(state));
    expect(lookups.apiCalls).toEqual({
      GetGroupId: 1,
      DescribeGroup: 1,
      ListGroupMemberships: 2,
      GetUserId: 1,
      ListAccountAssignmentsForPrincipal: 3, // 2 pages of platform-admins' (2 accounts), carol's
      DescribePermissionSet: 1, // the name of the undeclared set they hold
      DescribeUser: 3,
    });
    // With the drift read, every Identity Center operation the reader declares is called: with an application
    // and attributes for access control declared, theirs too.
    const { ssoAdmin } = seedClients(idc.endpoint);
    await seedApplication(ssoAdmin, org.instanceArn, {
      name: 'Grafana',
      groups: [org.groups['platform-admins']],
    });
    await seedAccessControlAttributes(ssoAdmin, org.instanceArn, {
      CostCenter: '${path:enterprise.costCenter}',
    });
    const drift = await readLiveState({
      mode: 'drift',
      fullDetail: true,
      applications: { names: ['Grafana'], arns: [] },
      accessControlAttributes: true,
      ...FAST,
    });
    expect(drift.applications).toEqual([
      expect.objectContaining({
        name: 'Grafana',
        assignmentRequired: true,
        assignments: [{ principalType: 'GROUP', principalId: org.groups['platform-admins'] }],
      }),
    ]);
    expect(drift.accessControlAttributes).toEqual({
      configured: true,
      status: 'ENABLED',
      attributes: [{ key: 'CostCenter', source: '${path:enterprise.costCenter}' }],
    });
    expect(drift.complete).toMatchObject({ applications: true, accessControlAttributes: true });
    expect(
      [
        ...new Set([
          ...Object.keys(state.apiCalls),
          ...Object.keys(lookups.apiCalls),
          ...Object.keys(drift.apiCalls),
        ]),
      ].sort(),
    ).toEqual(READ_OPERATIONS.filter((op) => !op.startsWith('organizations:')));
  });

  test('stops describing permission sets once every declared one is found', async () => {
    const org = await seedOrganisation(idc.endpoint, {
      permissionSets: Array.from({ length: 12 }, (_, i) => ({ name: `Set${i}` })),
    });
    const state = await readLiveState({
      mode: 'check',
      principals: { groups: [], users: [], permissionSets: ['Set0'] },
      concurrency: 1,
      ...FAST,
    });
    expect(state.permissionSets.map((p) => p.arn)).toEqual([org.permissionSets['Set0']]);
    expect(state.apiCalls.DescribePermissionSet).toBeLessThan(12);
  });
});
