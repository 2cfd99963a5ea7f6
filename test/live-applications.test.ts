/**
 * Applications and attributes for access control end to end: the real SDK clients read the project's local
 * Identity Center (test/aws/idc_server.py), seeded through the same APIs, in check and drift mode.
 */
import { describe, expect, test } from '@jest/globals';
import { DeleteGroupCommand } from '@aws-sdk/client-identitystore';
import { PutApplicationAssignmentConfigurationCommand } from '@aws-sdk/client-sso-admin';
import {
  seedAccessControlAttributes,
  seedApplication,
  seedClients,
  seedOrganisation,
  type SeededOrganisation,
} from './aws/seed.js';
import { awsError, startProxy } from './aws/server.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '../src/live/types.js';
import { check, makeRepo, runCli } from './helpers.js';
import { agreeing, at, DECLARATIONS, liveCheck, server, useLocalIdc } from './live-integration/helpers.js';

useLocalIdc();

const GRAFANA =
  'kind: Application\nname: Grafana\nassignmentRequired: true\nassignments:\n' +
  '  groups: [admins]\n  users: [alice@example.com]\n';
const ABAC =
  'kind: AccessControlAttributes\nattributes:\n' +
  "  - { key: CostCenter, source: '${path:enterprise.costCenter}' }\n" +
  "  - { key: Department, source: '${path:enterprise.department}' }\n";
const LIVE_ABAC = {
  CostCenter: '${path:enterprise.costCenter}',
  Department: '${path:enterprise.department}',
};
const FILES = { 'identity/apps.yaml': GRAFANA, 'identity/abac.yaml': ABAC };

/** Seeds Grafana (assigned to admins and alice, or to `principals`) and the attributes for access control. */
async function seedApps(
  seeded: SeededOrganisation,
  options: {
    groups?: string[];
    users?: string[];
    assignmentRequired?: boolean;
    abac?: Record<string, string>;
  } = {},
): Promise<void> {
  const { ssoAdmin } = seedClients(server.endpoint);
  const arn = await seedApplication(ssoAdmin, seeded.instanceArn, {
    name: 'Grafana',
    groups: (options.groups ?? ['admins']).map((g) => seeded.groups[g]),
    users: (options.users ?? ['alice@example.com']).map((u) => seeded.users[u]),
  });
  // An AWS managed application nobody declares: listed, never judged.
  await seedApplication(ssoAdmin, seeded.instanceArn, {
    name: 'Amazon Q Developer',
    providerArn: 'arn:aws:sso::aws:applicationProvider/codewhisperer',
    groups: [seeded.groups.devs],
  });
  if (options.assignmentRequired === false)
    await ssoAdmin.send(
      new PutApplicationAssignmentConfigurationCommand({ ApplicationArn: arn, AssignmentRequired: false }),
    );
  if (options.abac !== undefined && Object.keys(options.abac).length > 0)
    await seedAccessControlAttributes(ssoAdmin, seeded.instanceArn, options.abac);
}

describe.each(['check', 'drift'] as const)('applications and ABAC in %s mode', (mode) => {
  test('an instance that agrees gives no finding, at one read per application and one for ABAC', async () => {
    const result = await liveCheck(agreeing(), { mode }, (s) => seedApps(s, { abac: LIVE_ABAC }), FILES);
    expect(result.report.errors).toEqual([]);
    expect(at(result)).toEqual([]);
    const calls = result.report.stats.apiCallsByOperation!;
    expect(calls).toMatchObject({
      ListApplications: 1,
      GetApplicationAssignmentConfiguration: 1, // Grafana only: Amazon Q is not declared
      ListApplicationAssignments: 1,
      DescribeInstanceAccessControlAttributeConfiguration: 1,
    });
    // The assigned principals are the declared ones, read already: none is described for its name.
    expect(calls.DescribeGroup).toBeUndefined();
    expect(calls.DescribeUser).toBeUndefined();
    const { 'organizations:DescribeOrganization': organization, ...identityCenter } = calls;
    expect(organization).toBe(1);
    expect(identityCenter).toEqual((await server.calls()).byOperation);
  });

  test('drift: a missing, an undeclared and an orphaned assignment, AssignmentRequired and ABAC', async () => {
    const spec = agreeing();
    spec.groups.push({ name: 'old-team', members: [] });
    const result = await liveCheck(
      spec,
      { mode },
      async (seeded) => {
        await seedApps(seeded, {
          groups: ['admins', 'devs', 'old-team'],
          users: [],
          assignmentRequired: false,
          abac: { CostCenter: '${path:enterprise.division}', Team: '${path:title}' },
        });
        await seedClients(server.endpoint).identityStore.send(
          new DeleteGroupCommand({
            IdentityStoreId: seeded.identityStoreId,
            GroupId: seeded.groups['old-team'],
          }),
        );
      },
      FILES,
    );
    expect(result.report.errors).toEqual([]);
    expect(at(result).filter(([rule]) => String(rule) >= 'IDC113')).toEqual(
      [
        ['IDC117', 'error', 'identity/abac.yaml', 2], // Team is live only
        ['IDC117', 'error', 'identity/abac.yaml', 3], // CostCenter's source
        ['IDC117', 'error', 'identity/abac.yaml', 4], // Department is not configured
        ['IDC116', 'error', 'identity/apps.yaml', 3], // AssignmentRequired is false live
        ['IDC114', 'error', 'identity/apps.yaml', 5], // devs, assigned in the console
        ['IDC113', 'error', 'identity/apps.yaml', 6], // alice is not assigned
        ['IDC115', 'error', 'identity/apps.yaml', 1], // old-team was deleted
      ].sort(byLine),
    );
  });
});

const byLine = (a: unknown[], b: unknown[]) =>
  String(a[2]).localeCompare(String(b[2])) ||
  Number(a[3]) - Number(b[3]) ||
  String(a[0]).localeCompare(String(b[0]));

describe('applications and ABAC: what is read, and what is not', () => {
  test('declaring neither reads neither: no application or ABAC call', async () => {
    const result = await liveCheck(agreeing(), { mode: 'drift' }, (s) => seedApps(s, { abac: LIVE_ABAC }));
    expect(at(result)).toEqual([]);
    const calls = Object.keys(result.report.stats.apiCallsByOperation!);
    expect(calls.filter((op) => /Application|AccessControl/.test(op))).toEqual([]);
  });

  test('check mode names an undeclared principal with one look-up; ABAC never enabled is IDC117', async () => {
    const spec = agreeing();
    spec.groups.push({ name: 'contractors', members: [] });
    const result = await liveCheck(
      spec,
      { mode: 'check' },
      (s) => seedApps(s, { groups: ['admins', 'contractors'] }),
      FILES,
    );
    expect(result.report.errors).toEqual([]);
    expect(at(result)).toEqual([
      ['IDC117', 'error', 'identity/abac.yaml', 1],
      ['IDC114', 'error', 'identity/apps.yaml', 5],
    ]);
    expect(result.report.findings[1].message).toContain('group "contractors"');
    expect(result.report.stats.apiCallsByOperation).toMatchObject({
      DescribeGroup: 1,
      DescribeInstanceAccessControlAttributeConfiguration: 1,
    });
  });

  test('two applications of the declared name: IDC116 asks for the ARN, and judges neither', async () => {
    const result = await liveCheck(
      agreeing(),
      { mode: 'drift' },
      async (s) => {
        await seedApps(s, { abac: LIVE_ABAC });
        await seedApplication(seedClients(server.endpoint).ssoAdmin, s.instanceArn, { name: 'Grafana' });
      },
      FILES,
    );
    expect(at(result)).toEqual([['IDC116', 'error', 'identity/apps.yaml', 2]]);
    expect(result.report.findings[0].message).toMatch(/2 applications named "Grafana" \(arn:aws:sso::/);
    expect(result.report.stats.apiCallsByOperation?.ListApplicationAssignments).toBeUndefined();
  });

  test('access denied to ListApplications is a tool error, and the application rules say they did not run', async () => {
    await server.reset();
    const seeded = await seedOrganisation(server.endpoint, agreeing());
    await seedApps(seeded, { abac: LIVE_ABAC });
    const proxy = await startProxy(server.endpoint, (r) =>
      r.operation === 'ListApplications'
        ? awsError('AccessDeniedException', 'not authorized to perform: sso:ListApplications')
        : undefined,
    );
    try {
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      const result = await check(makeRepo({ ...DECLARATIONS, ...FILES }), {
        live: 'aws',
        mode: 'drift',
        requestsPerSecond: 0,
      });
      expect(result.exitCode).toBe(2);
      expect(result.report.errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^ListApplications: Access denied to sso:ListApplications/),
      ]);
      expect(at(result)).toEqual([]);
      expect(result.report.notices.map((n) => n.message)).toEqual(
        expect.arrayContaining([
          'IDC113, IDC114, IDC115, IDC116 not evaluated: applications could not be read completely (see the errors)',
        ]),
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = server.endpoint;
      await proxy.stop();
    }
  });
});

describe('applications and ABAC in a snapshot', () => {
  test('`snapshot` keeps them, and a check against the snapshot finds what the live check finds', async () => {
    const result = await liveCheck(
      agreeing(),
      { mode: 'drift' },
      (s) => seedApps(s, { groups: ['admins', 'devs'], abac: { CostCenter: '${path:enterprise.division}' } }),
      FILES,
    );
    const root = makeRepo({ ...DECLARATIONS, ...FILES });
    const out = await runCli(['snapshot', '--root', root, '--output', 'snap.json'], root);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const snapshot = JSON.parse(readFileSync(join(root, 'snap.json'), 'utf8')) as LiveState;
    expect(snapshot.applications?.map((a) => [a.name, a.assignments?.length])).toEqual([
      ['Amazon Q Developer', undefined], // listed, not declared: not read in full
      ['Grafana', 3],
    ]);
    expect(snapshot.complete).toMatchObject({ applications: true, accessControlAttributes: true });
    const fromSnapshot = await check(root, { live: join(root, 'snap.json') });
    expect(at(fromSnapshot)).toEqual(at(result));
    expect(at(result).map(([rule]) => rule)).toEqual(['IDC117', 'IDC117', 'IDC114']);
  });
});
