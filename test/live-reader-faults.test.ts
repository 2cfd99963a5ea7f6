/**
 * The live-state reader under faults: access denied, errors that survive the retries, bad credentials, no
 * instance or several, and a server injecting faults. Against the local Identity Center (see
 * test/live-reader/helpers.ts).
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { readLiveState } from '../src/live/reader.js';
import { awsError, startIdcServer, type IdcServer } from './aws/server.js';
import { seedOrganisation, type SeedSpec } from './aws/seed.js';
import {
  PROD,
  DEV,
  ORG,
  expectedAll,
  withoutRun,
  withEnv,
  idc,
  FAST,
  proxy,
  useLocalIdc,
} from './live-reader/helpers.js';

jest.setTimeout(30_000);
useLocalIdc();

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
