/**
 * What the end-to-end tests of the live rules share (test/live-integration-*.test.ts): the real AWS SDK
 * clients read the project's local Identity Center server (test/aws/idc_server.py, moto with the gaps fixed),
 * seeded through the same APIs. Each rule is made to fire by one change to an organisation that otherwise
 * agrees with the declarations, where every rule is quiet.
 */
import type { CheckOptions } from '../../src/engine.js';
import { scimIds, seedOrganisation, seedUser, type SeedSpec } from '../aws/seed.js';
import { useIdcServer, type IdcServer } from '../aws/server.js';
import { check, makeRepo } from '../helpers.js';

export const DECLARATIONS = {
  'identity/ic.yaml':
    'kind: IdentityCenter\nregion: us-east-1\nscim:\n  idp: entra\naccounts:\n  prod: "111111111111"\n',
  'identity/groups.yaml':
    'kind: Groups\ngroups:\n  - name: admins\n    members:\n      users: [alice@example.com]\n  - name: devs\n    members:\n      users: [bob@example.com]\n',
  'identity/ps.yaml':
    'kind: PermissionSet\nname: Admin\nsessionDuration: PT1H\nmanagedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]\n',
  'identity/assignments.yaml':
    'kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n    accounts: [prod]\n  - group: devs\n    permissionSet: Admin\n    accounts: ["222222222222"]\n',
};

/** An organisation that agrees with DECLARATIONS in every way. */
export function agreeing(): Required<Pick<SeedSpec, 'users' | 'groups' | 'permissionSets' | 'assignments'>> &
  SeedSpec {
  return {
    users: ['alice', 'bob'].map(seedUser),
    groups: [
      { name: 'admins', externalIds: scimIds('g-admins'), members: ['alice@example.com'] },
      { name: 'devs', externalIds: scimIds('g-devs'), members: ['bob@example.com'] },
    ],
    permissionSets: [
      {
        name: 'Admin',
        sessionDuration: 'PT1H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
    ],
    assignments: [
      { group: 'admins', permissionSet: 'Admin', accounts: ['111111111111'] },
      { group: 'devs', permissionSet: 'Admin', accounts: ['222222222222'] },
    ],
  };
}

/** The local Identity Center of the file's tests, once useLocalIdc() has started it. */
export let server: IdcServer;

/** Starts the local Identity Center for the file's tests (useIdcServer), as `server`. */
export function useLocalIdc(): void {
  const idc = useIdcServer();
  beforeAll(() => (server = idc()));
}

export async function liveCheck(
  spec: SeedSpec,
  options: Partial<CheckOptions> = {},
  after?: (seeded: Awaited<ReturnType<typeof seedOrganisation>>) => Promise<void>,
  files: Record<string, string> = {},
) {
  await server.reset();
  const seeded = await seedOrganisation(server.endpoint, spec);
  if (after) await after(seeded);
  await server.resetCalls();
  const result = await check(makeRepo({ ...DECLARATIONS, ...files }), {
    live: 'aws',
    requestsPerSecond: 0,
    ...options,
  });
  return { ...result, seeded };
}

export const at = (r: {
  report: { findings: { ruleId: string; severity: string; file: string; line: number }[] };
}) => r.report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line]);
