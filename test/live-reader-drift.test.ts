/**
 * The live-state reader in drift mode: the whole organisation, exactly, page by page. Against the local
 * Identity Center (see test/live-reader/helpers.ts).
 */
import { describe, expect, jest, test } from '@jest/globals';
import { READ_OPERATIONS, readLiveState } from '../src/live/reader.js';
import { validatorFor } from '../src/validate/schemas.js';
import { seedOrganisation } from './aws/seed.js';
import { ORG, expectedAll, ALL_CALLS, withoutRun, idc, FAST, useLocalIdc } from './live-reader/helpers.js';

jest.setTimeout(30_000);
useLocalIdc();

describe('drift mode', () => {
  test('reads the whole organisation exactly, listing assignments only for provisioned pairs', async () => {
    const org = await seedOrganisation(idc.endpoint, ORG);
    await idc.resetCalls();
    // fullDetail, as snapshot and init read: everything, tags included.
    const state = await readLiveState({ mode: 'drift', fullDetail: true, ...FAST });

    expect(withoutRun(state)).toEqual(expectedAll(org));
    expect(state.readAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(state.apiCalls).toEqual(ALL_CALLS);
    // Our count is the server's count, attempt for attempt.
    expect(state.apiCalls).toEqual((await idc.calls()).byOperation);
    // Naive: ListAccountAssignments for every account x permission set = 2 x 3 = 6; we made 3.
    expect(state.apiCalls.ListAccountAssignments).toBe(3);
    // Read-only: List*, Describe*, Get* only.
    for (const operation of Object.keys(state.apiCalls)) {
      expect(operation).toMatch(/^(List|Describe|Get)/);
      expect(READ_OPERATIONS).toContain(operation);
    }
    // What it returns is a valid snapshot.
    const validate = validatorFor('snapshot.schema.json');
    expect(validate(JSON.parse(JSON.stringify(state)))).toBe(true);

    // A drift check: no rule reads the tags, so they are not read, and the state says so.
    await idc.resetCalls();
    const drift = await readLiveState({ mode: 'drift', ...FAST });
    const { ListTagsForResource: _tags, ...withoutTags } = ALL_CALLS;
    expect(drift.apiCalls).toEqual(withoutTags);
    expect(drift.apiCalls).toEqual((await idc.calls()).byOperation);
    expect(withoutRun(drift)).toEqual({
      ...expectedAll(org),
      permissionSets: expectedAll(org).permissionSets.map((p) => ({ ...p, tags: {} })),
      notRead: ['tags'],
    });
    expect(validate(JSON.parse(JSON.stringify(drift)))).toBe(true);
  });

  test('pages through every listing (page size 1) to the same result', async () => {
    const org = await seedOrganisation(idc.endpoint, ORG);
    const state = await readLiveState({ mode: 'drift', pageSize: 1, fullDetail: true, ...FAST });
    expect(withoutRun(state)).toEqual(expectedAll(org));
    // One page per item plus a last one: (PROD, AdministratorAccess) has 2 assignments -> 2 pages.
    expect(state.apiCalls.ListAccountAssignments).toBe(4);
    expect(state.apiCalls.ListGroups).toBe(3);
  });

  test('a page loop that reaches maxPages is a failure, never a complete listing', async () => {
    await seedOrganisation(idc.endpoint, ORG);
    const state = await readLiveState({ mode: 'drift', pageSize: 1, maxPages: 2, ...FAST });
    expect(state.complete).toEqual({
      groups: false, // 3 groups need 3 pages
      users: false,
      memberships: true, // at most 2 members a group
      permissionSets: false,
      assignments: false,
    });
    expect(state.failures.map((f) => f.operation).sort()).toEqual([
      'ListGroups',
      'ListPermissionSets',
      'ListUsers',
    ]);
    expect(state.failures.find((f) => f.operation === 'ListGroups')?.message).toMatch(
      /^could not read the groups: the listing stopped after 2 pages without reaching the end/,
    );
    expect(state.apiCalls.ListGroups).toBe(2);
  });

  test('uses a given instance without ListInstances', async () => {
    const org = await seedOrganisation(idc.endpoint, { groups: [{ name: 'g' }] });
    const state = await readLiveState({
      mode: 'drift',
      instanceArn: org.instanceArn,
      identityStoreId: org.identityStoreId,
      ...FAST,
    });
    expect(state.instance).toEqual({
      instanceArn: org.instanceArn,
      identityStoreId: org.identityStoreId,
      region: 'us-east-1',
    });
    expect(state.apiCalls.ListInstances).toBeUndefined();
    expect(state.groups.map((g) => g.displayName)).toEqual(['g']);
  });
});
