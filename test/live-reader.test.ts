/**
 * The live-state reader against the project's local Identity Center (test/aws/idc_server.py), through the
 * real SDK clients, pointed there by AWS_ENDPOINT_URL* as a user's environment would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { TokenBucket } from '../src/live/rate-limit.js';
import { READ_OPERATIONS, readLiveState, type ReadLiveStateOptions } from '../src/live/reader.js';
import type { LiveAssignment, LiveState } from '../src/live/types.js';
import { validatorFor } from '../src/validate/schemas.js';
import { awsError, startIdcServer, startProxy, type IdcProxy, type IdcServer } from './aws/server.js';
import { seedOrganisation, type SeededOrganisation, type SeedSpec } from './aws/seed.js';

jest.setTimeout(30_000);

const SCIM = 'https://scim.us-east-1.amazonaws.com/tenant-1/scim/v2';
const INLINE = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}';
const PROD = '111111111111';
const DEV = '222222222222';

const ORG: SeedSpec = {
  users: [
    {
      userName: 'alice@example.com',
      displayName: 'Alice Liddell',
      givenName: 'Alice',
      familyName: 'Liddell',
      email: 'alice@example.com',
      externalIds: [{ issuer: SCIM, id: 'u-alice' }],
    },
    { userName: 'bob@example.com', displayName: 'Bob', givenName: 'Bob', familyName: 'Builder' },
    { userName: 'carol@example.com', externalIds: [{ issuer: SCIM, id: 'u-carol' }] },
  ],
  groups: [
    {
      name: 'platform-admins',
      description: 'Platform team',
      externalIds: [{ issuer: SCIM, id: 'g-platform' }],
      members: ['alice@example.com', 'bob@example.com'],
    },
    { name: 'developers', externalIds: [{ issuer: SCIM, id: 'g-dev' }], members: ['carol@example.com'] },
    { name: 'manual-ops', description: 'made by hand' },
  ],
  permissionSets: [
    {
      name: 'AdministratorAccess',
      description: 'Full administrator',
      sessionDuration: 'PT2H',
      relayState: 'https://console.aws.amazon.com/',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      customerManagedPolicies: [{ name: 'audit-deny', path: '/' }],
      inlinePolicy: INLINE,
      permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      tags: { team: 'platform', cost: 'shared' },
    },
    {
      name: 'ReadOnly',
      sessionDuration: 'PT4H',
      managedPolicies: [
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      ],
      permissionsBoundary: { customerManagedPolicyReference: { name: 'guard-boundary', path: '/guard/' } },
    },
    { name: 'Unused', description: 'never assigned' },
  ],
  assignments: [
    { group: 'platform-admins', permissionSet: 'AdministratorAccess', accounts: [PROD, DEV] },
    { group: 'developers', permissionSet: 'ReadOnly', accounts: [DEV] },
    { user: 'bob@example.com', permissionSet: 'AdministratorAccess', accounts: [PROD] },
  ],
  outdated: ['AdministratorAccess'],
};

/** What a complete 'all' read of ORG must return (without readAt and apiCalls). */
function expectedAll(org: SeededOrganisation): Omit<LiveState, 'readAt' | 'apiCalls'> {
  const { users: u, groups: g, permissionSets: p } = org;
  return {
    version: 1,
    instance: {
      instanceArn: org.instanceArn,
      identityStoreId: org.identityStoreId,
      region: 'us-east-1',
      discovered: true,
    },
    groups: [
      {
        groupId: g['developers'],
        displayName: 'developers',
        externalIds: [{ issuer: SCIM, id: 'g-dev' }],
        memberUserIds: [u['carol@example.com']],
      },
      {
        groupId: g['manual-ops'],
        displayName: 'manual-ops',
        description: 'made by hand',
        externalIds: [],
        memberUserIds: [],
      },
      {
        groupId: g['platform-admins'],
        displayName: 'platform-admins',
        description: 'Platform team',
        externalIds: [{ issuer: SCIM, id: 'g-platform' }],
        memberUserIds: [u['alice@example.com'], u['bob@example.com']].sort(),
      },
    ],
    users: [
      {
        userId: u['alice@example.com'],
        userName: 'alice@example.com',
        displayName: 'Alice Liddell',
        givenName: 'Alice',
        familyName: 'Liddell',
        email: 'alice@example.com',
        externalIds: [{ issuer: SCIM, id: 'u-alice' }],
      },
      {
        userId: u['bob@example.com'],
        userName: 'bob@example.com',
        displayName: 'Bob',
        givenName: 'Bob',
        familyName: 'Builder',
        externalIds: [],
      },
      {
        userId: u['carol@example.com'],
        userName: 'carol@example.com',
        displayName: 'carol@example.com',
        givenName: 'carol',
        familyName: 'User',
        externalIds: [{ issuer: SCIM, id: 'u-carol' }],
      },
    ],
    permissionSets: [
      {
        arn: p['AdministratorAccess'],
        name: 'AdministratorAccess',
        description: 'Full administrator',
        sessionDuration: 'PT2H',
        relayState: 'https://console.aws.amazon.com/',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [{ name: 'audit-deny', path: '/' }],
        inlinePolicy: INLINE,
        permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
        tags: { cost: 'shared', team: 'platform' },
        // edited after its assignments and not provisioned again
        provisionedAccounts: [
          { accountId: PROD, current: false },
          { accountId: DEV, current: false },
        ],
      },
      {
        arn: p['ReadOnly'],
        name: 'ReadOnly',
        sessionDuration: 'PT4H',
        managedPolicies: [
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
          'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
        ],
        customerManagedPolicies: [],
        permissionsBoundary: { customerManagedPolicyReference: { name: 'guard-boundary', path: '/guard/' } },
        tags: {},
        provisionedAccounts: [{ accountId: DEV, current: true }],
      },
      {
        arn: p['Unused'],
        name: 'Unused',
        description: 'never assigned',
        sessionDuration: 'PT1H',
        managedPolicies: [],
        customerManagedPolicies: [],
        tags: {},
        provisionedAccounts: [],
      },
    ],
    assignments: sorted([
      assignment(PROD, p['AdministratorAccess'], 'GROUP', g['platform-admins']),
      assignment(DEV, p['AdministratorAccess'], 'GROUP', g['platform-admins']),
      assignment(DEV, p['ReadOnly'], 'GROUP', g['developers']),
      assignment(PROD, p['AdministratorAccess'], 'USER', u['bob@example.com']),
    ]),
    complete: { groups: true, users: true, memberships: true, permissionSets: true, assignments: 'all' },
    failures: [],
  };
}

/** Calls a complete 'all' read of ORG makes (assignments listed for the 3 provisioned pairs only). */
const ALL_CALLS = {
  ListInstances: 1,
  ListGroups: 1,
  ListUsers: 1,
  ListGroupMemberships: 3,
  ListPermissionSets: 1,
  DescribePermissionSet: 3,
  ListManagedPoliciesInPermissionSet: 3,
  ListCustomerManagedPolicyReferencesInPermissionSet: 3,
  GetInlinePolicyForPermissionSet: 3,
  GetPermissionsBoundaryForPermissionSet: 3,
  ListTagsForResource: 3,
  // all accounts for each set, then the outdated ones only where there is an account (not for Unused)
  ListAccountsForProvisionedPermissionSet: 5,
  ListAccountAssignments: 3,
};

function assignment(
  accountId: string,
  permissionSetArn: string,
  principalType: 'GROUP' | 'USER',
  principalId: string,
): LiveAssignment {
  return { accountId, permissionSetArn, principalType, principalId };
}

function sorted(list: LiveAssignment[]): LiveAssignment[] {
  const key = (a: LiveAssignment) =>
    [a.accountId, a.permissionSetArn, a.principalType, a.principalId].join('\0');
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

function withoutRun(state: LiveState) {
  const { readAt: _readAt, apiCalls: _apiCalls, ...rest } = state;
  return rest;
}

/** Runs `body` with these environment variables (undefined: unset), then restores them. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

const ENV_NAMES = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_IDENTITYSTORE',
  'AWS_ENDPOINT_URL_SSO_ADMIN',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
];
const savedEnv = Object.fromEntries(ENV_NAMES.map((k) => [k, process.env[k]]));

let idc: IdcServer;
const proxies: IdcProxy[] = [];

beforeAll(async () => {
  idc = await startIdcServer();
  for (const k of ENV_NAMES) delete process.env[k];
  Object.assign(process.env, idc.env);
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await idc?.stop();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

beforeEach(async () => {
  await idc.setTps(0);
  await idc.reset();
});

const FAST: Partial<ReadLiveStateOptions> = { requestsPerSecond: 0 };

async function proxy(...args: Parameters<typeof startProxy>): Promise<IdcProxy> {
  const started = await startProxy(...args);
  proxies.push(started);
  return started;
}

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
    // With the drift read, every Identity Center operation the reader declares is called.
    const drift = await readLiveState({ mode: 'drift', fullDetail: true, ...FAST });
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

describe('faults', () => {
  test('AccessDenied on one operation: a failure naming the IAM action, the rest still read', async () => {
    const org = await seedOrganisation(idc.endpoint, ORG);
    // Only the Identity Store goes through the proxy: AWS_ENDPOINT_URL_IDENTITYSTORE wins over AWS_ENDPOINT_URL.
    const denying = await proxy(idc.endpoint, ({ operation }) =>
      operation === 'ListGroupMemberships'
        ? awsError(
            'AccessDeniedException',
            'User: arn:aws:sts::123456789012:assumed-role/ci/idc-guard is not authorized to perform: identitystore:ListGroupMemberships',
          )
        : undefined,
    );
    const state = await withEnv({ AWS_ENDPOINT_URL_IDENTITYSTORE: denying.endpoint }, () =>
      readLiveState({ mode: 'drift', concurrency: 1, fullDetail: true, ...FAST }),
    );
    expect(state.failures).toEqual([
      {
        operation: 'ListGroupMemberships',
        message: expect.stringMatching(
          /^Access denied to identitystore:ListGroupMemberships: .*\(and 2 more like it\)$/,
        ),
      },
    ]);
    expect(state.complete).toEqual({
      groups: true,
      users: true,
      memberships: false,
      permissionSets: true,
      assignments: 'all',
    });
    // No member lists at all rather than wrong ones; everything else as in a full read.
    const all = expectedAll(org);
    expect(state.groups).toEqual(all.groups.map(({ memberUserIds: _m, ...g }) => g));
    expect(state.users).toEqual(all.users);
    expect(state.permissionSets).toEqual(all.permissionSets);
    expect(state.assignments).toEqual(all.assignments);
    // Denied once, not retried, not asked again; only Identity Store operations went through the proxy.
    expect(denying.seen).toEqual({ ListGroupMemberships: 1, ListGroups: 1, ListUsers: 1 });
  });

  test('AccessDenied on an SSO Admin operation names the sso: action', async () => {
    await seedOrganisation(idc.endpoint, ORG);
    const denying = await proxy(idc.endpoint, ({ operation }) =>
      operation === 'ListAccountAssignments'
        ? awsError('AccessDeniedException', 'not authorized')
        : undefined,
    );
    const state = await withEnv({ AWS_ENDPOINT_URL_SSO_ADMIN: denying.endpoint }, () =>
      readLiveState({ mode: 'drift', ...FAST }),
    );
    expect(state.failures.map((f) => f.operation)).toEqual(['ListAccountAssignments']);
    expect(state.failures[0].message).toMatch(/^Access denied to sso:ListAccountAssignments: /);
    expect(state.complete.assignments).toBe(false);
    expect(state.complete.permissionSets).toBe(true);
    expect(state.assignments).toEqual([]);
    // Once denied, the operation is not called again; only calls already in flight (at most `concurrency`) went out.
    expect(denying.seen.ListAccountAssignments).toBeGreaterThanOrEqual(1);
    expect(denying.seen.ListAccountAssignments).toBeLessThanOrEqual(4);
    // AWS_ENDPOINT_URL_SSO_ADMIN moved SSO Admin only.
    expect(denying.seen.ListPermissionSets).toBe(1);
    expect(denying.seen.ListGroups).toBeUndefined();
  });

  test('a 5xx that survives the retries in the middle of a pagination: a failure, never a complete listing', async () => {
    const org = await seedOrganisation(idc.endpoint, ORG);
    // The first page of every ListAccountAssignments passes; a second page always fails.
    const failing = await proxy(idc.endpoint, ({ operation, body }) =>
      operation === 'ListAccountAssignments' && body.NextToken
        ? awsError('InternalServerException', 'Internal server error', 500)
        : undefined,
    );
    const state = await withEnv({ AWS_ENDPOINT_URL: failing.endpoint }, () =>
      readLiveState({ mode: 'drift', pageSize: 1, maxAttempts: 3, ...FAST }),
    );
    expect(state.failures).toEqual([
      {
        operation: 'ListAccountAssignments',
        message: expect.stringMatching(
          /^could not read the assignments of arn:aws:sso:::permissionSet\/\S+ in 111111111111 \(3 attempts\): InternalServerException: /,
        ),
      },
    ]);
    expect(state.complete).toEqual({
      groups: true,
      users: true,
      memberships: true,
      permissionSets: true,
      assignments: false,
    });
    // What was read is kept, flagged incomplete: 3 of the 4 assignments.
    expect(state.assignments).toHaveLength(3);
    expect(expectedAll(org).assignments).toEqual(expect.arrayContaining(state.assignments));
    // 3 first pages, then 3 attempts at the one second page
    expect(failing.seen.ListAccountAssignments).toBe(6);
  });

  test('expired or invalid credentials stop the read with one clear error', async () => {
    await seedOrganisation(idc.endpoint, { groups: [{ name: 'g' }] });
    for (const [type, message] of [
      ['ExpiredTokenException', 'The security token included in the request is expired'],
      ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
      ['InvalidSignatureException', 'The request signature we calculated does not match'],
    ]) {
      const refusing = await proxy(idc.endpoint, ({ operation }) =>
        operation === 'ListGroups' ? awsError(type, message) : undefined,
      );
      await expect(
        withEnv({ AWS_ENDPOINT_URL: refusing.endpoint }, () => readLiveState({ mode: 'drift', ...FAST })),
      ).rejects.toThrow(`AWS credentials expired or invalid: ${type}: ${message}`);
    }
  });

  test('no credentials at all: the same clear error', async () => {
    const none = `/nonexistent/idc-guard-${process.pid}`;
    await expect(
      withEnv(
        {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SHARED_CREDENTIALS_FILE: `${none}/credentials`,
          AWS_CONFIG_FILE: `${none}/config`,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        () => readLiveState({ mode: 'drift', ...FAST }),
      ),
    ).rejects.toThrow(/^AWS credentials expired or invalid: CredentialsProviderError: /);
  });

  test('instance discovery: none, or several, is a clear error', async () => {
    const instance = (n: number) => ({
      InstanceArn: `arn:aws:sso:::instance/ssoins-000000000000000${n}`,
      IdentityStoreId: `d-000000000${n}`,
    });
    for (const [instances, error] of [
      [[], /^No IAM Identity Center instance found in us-east-1; /],
      [
        [instance(1), instance(2)],
        /^2 IAM Identity Center instances found in us-east-1 \(arn:aws:sso:::instance\/ssoins-0+1, /,
      ],
    ] as const) {
      const answering = await proxy(idc.endpoint, ({ operation }) =>
        operation === 'ListInstances' ? { status: 200, body: { Instances: instances } } : undefined,
      );
      await expect(
        withEnv({ AWS_ENDPOINT_URL: answering.endpoint }, () => readLiveState({ mode: 'drift', ...FAST })),
      ).rejects.toThrow(error);
    }
    await expect(
      readLiveState({
        mode: 'drift',
        instanceArn: 'arn:aws:sso:::instance/ssoins-ffffffffffffffff',
        ...FAST,
      }),
    ).rejects.toThrow(
      /^No IAM Identity Center instance with ARN arn:aws:sso:::instance\/ssoins-f+ found in us-east-1 \(found: /,
    );
  });
});

describe('with the server injecting faults (IDC_FAULT_RATE=0.3 on ListAccountAssignments)', () => {
  let faulty: IdcServer;
  beforeAll(async () => {
    faulty = await startIdcServer({ faultRate: 0.3, faultSeed: 11, faultOps: ['ListAccountAssignments'] });
  });
  afterAll(async () => {
    await faulty?.stop();
  });

  /** ORG with more accounts: 11 provisioned pairs, 12 assignments. */
  const WIDE: SeedSpec = {
    ...ORG,
    assignments: [
      {
        group: 'platform-admins',
        permissionSet: 'AdministratorAccess',
        accounts: ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005', PROD],
      },
      {
        group: 'developers',
        permissionSet: 'ReadOnly',
        accounts: ['100000000001', '100000000002', '100000000003', DEV],
      },
      { user: 'bob@example.com', permissionSet: 'AdministratorAccess', accounts: [PROD] },
      { user: 'bob@example.com', permissionSet: 'Unused', accounts: [DEV] },
    ],
  };

  /** The same organisation, with the same IDs, on `server`. */
  async function seedWide(server: IdcServer) {
    await server.reset();
    await server.seed(42);
    await seedOrganisation(server.endpoint, WIDE, { concurrency: 1 });
  }

  test.each([6, 1])(
    'maxAttempts %i: complete and identical to the fault-free read, or a recorded failure, never silently partial',
    async (maxAttempts) => {
      await seedWide(idc);
      const reference = await readLiveState({ mode: 'drift', pageSize: 1, ...FAST });
      expect(reference.failures).toEqual([]);
      await seedWide(faulty);
      await faulty.resetCalls();
      const state = await withEnv({ AWS_ENDPOINT_URL: faulty.endpoint }, () =>
        readLiveState({ mode: 'drift', pageSize: 1, maxAttempts, ...FAST }),
      );
      const calls = await faulty.calls();
      expect(state.apiCalls).toEqual(calls.byOperation);
      if (state.failures.length === 0) {
        expect(withoutRun(state)).toEqual(withoutRun(reference));
      } else {
        expect(state.failures.map((f) => f.operation)).toEqual(['ListAccountAssignments']);
        expect(state.failures[0].message).toMatch(/InternalServerException/);
        expect(state.complete).toEqual({ ...reference.complete, assignments: false });
        expect(reference.assignments).toEqual(expect.arrayContaining(state.assignments));
        expect(state.assignments.length).toBeLessThan(reference.assignments.length);
      }
      // With one attempt, any fault is a failure; with six, the retries hide it (0.3^6 per call).
      if (maxAttempts === 1) expect(state.failures.length > 0).toBe(calls.faulted > 0);
      else expect(calls.faulted).toBeGreaterThan(0);
    },
  );
});

describe('rate limit', () => {
  const SMALL: SeedSpec = {
    users: [{ userName: 'alice@example.com' }, { userName: 'bob@example.com' }],
    groups: [
      { name: 'admins', externalIds: [{ issuer: SCIM, id: 'g1' }], members: ['alice@example.com'] },
      { name: 'devs', members: ['bob@example.com'] },
    ],
    permissionSets: [
      { name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      { name: 'Dev' },
    ],
    assignments: [
      { group: 'admins', permissionSet: 'Admin', accounts: [PROD] },
      { group: 'devs', permissionSet: 'Dev', accounts: [DEV] },
    ],
  };

  test("at the server's 5 requests a second, our limiter keeps it from throttling and nothing surfaces", async () => {
    await seedOrganisation(idc.endpoint, SMALL);
    const reference = await readLiveState({ mode: 'drift', ...FAST });
    await idc.setTps(5); // a fresh, full bucket
    await idc.resetCalls();
    const started = performance.now();
    const state = await readLiveState({ mode: 'drift', requestsPerSecond: 5 });
    const ms = performance.now() - started;
    const calls = await idc.calls();
    expect(withoutRun(state)).toEqual(withoutRun(reference));
    expect(calls.throttled).toBeLessThanOrEqual(2); // usually 0; the buckets are equal, so jitter can cost one
    expect(state.apiCalls).toEqual(calls.byOperation);
    // A burst of 5, then 5 a second.
    expect(ms).toBeGreaterThan(((calls.total - 5) / 5) * 1000 - 250);
  });

  test('without our limiter the server throttles, and the SDK retries hide it', async () => {
    await seedOrganisation(idc.endpoint, SMALL);
    const reference = await readLiveState({ mode: 'drift', ...FAST });
    await idc.setTps(5);
    await idc.resetCalls();
    const state = await readLiveState({ mode: 'drift', requestsPerSecond: 0 });
    const calls = await idc.calls();
    expect(withoutRun(state)).toEqual(withoutRun(reference));
    expect(calls.throttled).toBeGreaterThan(0);
    // every attempt counted, the throttled ones too
    expect(state.apiCalls).toEqual(calls.byOperation);
  });
});

describe('harness and limiter', () => {
  test('a server that cannot start fails with one clear message, never a silent skip', async () => {
    await expect(startIdcServer({ faultRate: 2 })).rejects.toThrow(
      /exited during start-up[^]*pip install 'moto\[server\]'[^]*IDC_FAULT_RATE=2 is outside/,
    );
  });

  test('the token bucket allows a burst of a quarter of `rate`, then one request every 1/rate s', () => {
    let now = 0;
    const bucket = new TokenBucket(20, () => now);
    expect(Array.from({ length: 7 }, () => bucket.reserve())).toEqual([0, 0, 0, 0, 0, 50, 100]);
    now = 1000; // a second later it is full again (capacity 5), whatever was promised before
    expect(Array.from({ length: 6 }, () => bucket.reserve())).toEqual([0, 0, 0, 0, 0, 50]);
  });
});
