/**
 * The bench's call model against the reader: bench/model.js runs src/live/reader.ts in memory against
 * test/aws/fake-idc.ts, and the live stage expects those counts from every measured read. Here a bench
 * organisation is seeded into the local Identity Center server with the tests' seeding, declared as the live
 * stage declares it, and read by runCheck as `--live aws --mode drift|check` reads it; the server's count of
 * each operation must be the model's, the applications and attributes for access control included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicationCalls, minimumCalls } from '../bench/cost.js';
import { writeDeclarations } from '../bench/declarations.js';
import { describeOrg, generateLiveOrg, type LiveOrg } from '../bench/live-org.js';
import { applicationReads, fakeData, principalsOf, runReader } from '../bench/model.js';
import { seedApplications, seedCallsByOperation, seedSpec } from '../bench/seed.js';
import { readLiveState } from '../src/live/reader.js';
import { FakeIdentityCenter } from './aws/fake-idc.js';
import { seedAccessControlAttributes, seedApplication, seedClients, seedOrganisation } from './aws/seed.js';
import { useIdcServer } from './aws/server.js';
import { check } from './helpers.js';

const modules = { readLiveState, FakeIdentityCenter };
const seeding = { seedClients, seedApplication, seedAccessControlAttributes };
const idc = useIdcServer();

describe.each<[string, LiveOrg]>([
  ['the live stage S organisation', generateLiveOrg('S')],
  // Three pages of groups, one declared (two look-ups' worth): the check lists two pages and finds it on the
  // second (the 148th group, with seed 7: far from a page's edge, whatever order the seeding's 8 calls at
  // once leave the groups in).
  [
    'an organisation of 220 groups, one declared',
    generateLiveOrg({ accounts: 5, permissionSets: 6, groups: 220, users: 150, tuples: 60, prGroups: 1 }, 7),
  ],
])('%s', (_name, org) => {
  let dir: string;
  let seededCalls: Record<string, number>;

  beforeAll(async () => {
    const server = idc();
    await server.reset();
    await server.seed(42);
    const seeded = await seedOrganisation(server.endpoint, seedSpec(org));
    const applicationArns = await seedApplications(server.endpoint, org, seeded, seeding);
    seededCalls = (await server.calls()).byOperation;
    dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
    const instance = {
      instanceArn: seeded.instanceArn,
      identityStoreId: seeded.identityStoreId,
      applicationArns,
    };
    writeDeclarations(org, join(dir, 'drift'), instance);
    writeDeclarations(org, join(dir, 'check'), instance, new Set(org.prGroups));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds with the calls the bench counts for seeding (and attempts retried, which it reports)', () => {
    const needed = seedCallsByOperation(org);
    expect(Object.keys(seededCalls).sort()).toEqual(Object.keys(needed).sort());
    // moto's threaded server now and then fails an attempt under 8 at once; the SDK retries it.
    for (const [op, n] of Object.entries(needed)) expect(seededCalls[op]).toBeGreaterThanOrEqual(n);
  });

  it.each(['drift' as const, 'check' as const])(
    'makes in %s mode, call for call, the calls the bench model plans',
    async (mode) => {
      const server = idc();
      await server.resetCalls();
      const result = await check(join(dir, mode), { live: 'aws', mode, requestsPerSecond: 0 });
      const counted = await server.calls();
      const data = fakeData(org);
      const plan = await runReader(data, {
        read: mode,
        ...(mode === 'check'
          ? { principals: principalsOf(org, org.prGroups), ...applicationReads(org, data, org.prGroups) }
          : applicationReads(org, data)),
        modules,
      });
      expect(result.report.errors).toEqual([]);
      expect(plan.failures).toEqual([]);
      expect(counted.throttled + counted.faulted).toBe(0);
      expect(counted.byOperation).toEqual(plan.byOperation);
      // The applications and attributes for access control at their minimum (none for an organisation
      // without them): one listing, the declared applications', one DescribeInstance… call.
      const applicationOps = Object.entries(counted.byOperation).filter(([op]) =>
        /Application|AccessControl/.test(op),
      );
      expect(Object.fromEntries(applicationOps)).toEqual(
        applicationCalls(org, mode === 'check' ? new Set(org.prGroups) : undefined),
      );
      // The report counts the same (the other services', `organizations:…`, apart: the server has none).
      const reported = Object.entries(result.report.stats.apiCallsByOperation ?? {});
      expect(Object.fromEntries(reported.filter(([op]) => !op.includes(':')))).toEqual(plan.byOperation);
    },
  );

  it('reads, in full detail, the drift minimum the bench measures against (tags included)', async () => {
    const all = new Set(org.groups.map((g) => g.name));
    const data = fakeData(org);
    const full = await runReader(data, {
      read: 'drift',
      fullDetail: true,
      ...applicationReads(org, data),
      modules,
    });
    expect(full.byOperation).toEqual(minimumCalls(org, describeOrg(org), 'drift', all).byOperation);
  });
});
