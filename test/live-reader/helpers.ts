/**
 * What the tests of the live-state reader share (test/live-reader-*.test.ts): the organisation they seed and
 * what a complete read of it returns, and the local Identity Center (test/aws/idc_server.py) they read it
 * from, through the real SDK clients, pointed there by AWS_ENDPOINT_URL* as a user's environment would.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import type { ReadLiveStateOptions } from '../../src/live/reader.js';
import type { LiveAssignment, LiveState } from '../../src/live/types.js';
import { startIdcServer, startProxy, type IdcProxy, type IdcServer } from '../aws/server.js';
import type { SeededOrganisation, SeedSpec } from '../aws/seed.js';

export const SCIM = 'https://scim.us-east-1.amazonaws.com/tenant-1/scim/v2';
export const INLINE =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}';
export const PROD = '111111111111';
export const DEV = '222222222222';

export const ORG: SeedSpec = {
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
export function expectedAll(org: SeededOrganisation): Omit<LiveState, 'readAt' | 'apiCalls'> {
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
export const ALL_CALLS = {
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

export function assignment(
  accountId: string,
  permissionSetArn: string,
  principalType: 'GROUP' | 'USER',
  principalId: string,
): LiveAssignment {
  return { accountId, permissionSetArn, principalType, principalId };
}

export function sorted(list: LiveAssignment[]): LiveAssignment[] {
  const key = (a: LiveAssignment) =>
    [a.accountId, a.permissionSetArn, a.principalType, a.principalId].join('\0');
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

export function withoutRun(state: LiveState) {
  const { readAt: _readAt, apiCalls: _apiCalls, ...rest } = state;
  return rest;
}

/** Runs `body` with these environment variables (undefined: unset), then restores them. */
export async function withEnv<T>(
  vars: Record<string, string | undefined>,
  body: () => Promise<T>,
): Promise<T> {
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

/** The local Identity Center of the file's tests, once useLocalIdc() has started it. */
export let idc: IdcServer;
const proxies: IdcProxy[] = [];

/**
 * Starts the local Identity Center for the file's tests, with the AWS_* environment pointing at it alone (and
 * restored after them), resets it before each test, and stops the proxies the tests started.
 */
export function useLocalIdc(): void {
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
}

export const FAST: Partial<ReadLiveStateOptions> = { requestsPerSecond: 0 };

export async function proxy(...args: Parameters<typeof startProxy>): Promise<IdcProxy> {
  const started = await startProxy(...args);
  proxies.push(started);
  return started;
}
