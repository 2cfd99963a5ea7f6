/**
 * The live-state reader's rate limit, and the harness and limiter it relies on. Against the local Identity
 * Center (see test/live-reader/helpers.ts).
 */
import { describe, expect, jest, test } from '@jest/globals';
import { TokenBucket } from '../src/live/rate-limit.js';
import { readLiveState } from '../src/live/reader.js';
import { startIdcServer } from './aws/server.js';
import { seedOrganisation, type SeedSpec } from './aws/seed.js';
import { SCIM, PROD, DEV, withoutRun, idc, FAST, useLocalIdc } from './live-reader/helpers.js';

jest.setTimeout(30_000);
useLocalIdc();

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
