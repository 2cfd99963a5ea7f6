/**
 * OU, tag and root targets end to end: AWS Organizations in the project's local server (moto) holds a root,
 * an OU tree, accounts and tags, created through the real Organizations client; Identity Center holds the
 * assignments. The real readers resolve the targets, and the live rules check them.
 */
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { accessDiff, describeGrant } from '../src/pull-request/access-diff.js';
import { scimIds, seedOrganisation, seedUser, type SeedSpec } from './aws/seed.js';
import { useIdcServer, type IdcServer } from './aws/server.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, makeRepo, REPO_ROOT, runCli } from './helpers.js';

const idc = useIdcServer();
let server: IdcServer;
beforeAll(() => (server = idc()));

interface Org {
  managementAccountId: string;
  workloads: string;
  prodOu: string;
  /** Account IDs by name: dev and dev2 (Workloads), prod (Workloads/Prod, tagged env=prod), sandbox (root). */
  accounts: Record<'dev' | 'dev2' | 'prod' | 'sandbox', string>;
}

/** Root → Workloads (dev, dev2) → Prod (prod, tagged env=prod); sandbox directly under the root. */
async function createOrganization(): Promise<Org> {
  const org = new OrganizationsClient({ endpoint: server.endpoint, region: 'us-east-1' });
  try {
    const created = await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
    const ou = async (parentId: string, name: string) =>
      (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name })))
        .OrganizationalUnit!.Id!;
    const workloads = await ou(rootId, 'Workloads');
    const prodOu = await ou(workloads, 'Prod');
    const account = async (name: string, parentId: string) => {
      const status = await org.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      const id = status.CreateAccountStatus!.AccountId!;
      if (parentId !== rootId)
        await org.send(
          new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parentId }),
        );
      return id;
    };
    const accounts = {
      dev: await account('dev', workloads),
      dev2: await account('dev2', workloads),
      prod: await account('prod', prodOu),
      sandbox: await account('sandbox', rootId),
    };
    await org.send(
      new TagResourceCommand({ ResourceId: accounts.prod, Tags: [{ Key: 'env', Value: 'prod' }] }),
    );
    return { managementAccountId: created.Organization!.MasterAccountId!, workloads, prodOu, accounts };
  } finally {
    org.destroy();
  }
}

function spec(assignments: SeedSpec['assignments']): SeedSpec {
  return {
    users: [seedUser('alice')],
    groups: [{ name: 'devs', externalIds: scimIds('g-devs'), members: ['alice@example.com'] }],
    permissionSets: [{ name: 'ReadOnly', sessionDuration: 'PT1H' }],
    assignments,
  };
}

function declarations(targets: string): Record<string, string> {
  return {
    'identity/ic.yaml': 'kind: IdentityCenter\nregion: us-east-1\n',
    'identity/groups.yaml':
      'kind: Groups\ngroups:\n  - name: devs\n    members:\n      users: [alice@example.com]\n',
    'identity/ps.yaml': 'kind: PermissionSet\nname: ReadOnly\nsessionDuration: PT1H\n',
    'identity/assignments.yaml': `kind: Assignments\nassignments:\n  - group: devs\n    permissionSet: ReadOnly\n${targets}`,
  };
}

/** The tree, read once: one listing of OUs and one of accounts per parent (root, Workloads, Prod). */
function expectOneTreeRead(calls: Record<string, number>): void {
  expect(calls['organizations:ListOrganizationalUnitsForParent']).toBe(3);
  expect(calls['organizations:ListAccountsForParent']).toBe(3);
}

/** A fresh organization where devs hold ReadOnly in every account of Workloads and its child OU. */
async function workloadsReadOnly(): Promise<Org> {
  await server.reset();
  const org = await createOrganization();
  const { dev, dev2, prod } = org.accounts;
  await seedOrganisation(
    server.endpoint,
    spec([{ group: 'devs', permissionSet: 'ReadOnly', accounts: [dev, dev2, prod] }]),
  );
  return org;
}

describe('OU, tag and root targets against AWS Organizations on the local server', () => {
  it('resolves a recursive OU target to its accounts: no drift, and the access diff lists them', async () => {
    const org = await workloadsReadOnly();
    await server.resetCalls();
    const root = makeRepo(declarations(`    organizationalUnits: [${org.workloads}]\n    recursive: true\n`));
    const result = await check(root, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
    const calls = result.report.stats.apiCallsByOperation!;
    expectOneTreeRead(calls);
    expect(calls['organizations:ListTagsForResource']).toBeUndefined();
    expect(calls['organizations:DescribeOrganization']).toBe(1);
    // Every Organizations call is a read the README's least-privilege policy allows.
    const policy = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'iam-policy.json'), 'utf8')) as {
      Statement: { Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action));
    for (const op of Object.keys(calls).filter((o) => o.startsWith('organizations:'))) {
      expect(op).toMatch(/^organizations:(List|Describe|Get)/);
      expect(allowed.has(op)).toBe(true);
    }
    expect(calls['organizations:ListRoots']).toBe(1);
    // What the OU grants, as a reviewer of the PR adding it reads it.
    const before = (
      await check(makeRepo(declarations('    accounts: []\n'.replace('[]', `["${org.accounts.dev}"]`))))
    ).model;
    const diff = accessDiff(before, result.model, result.live?.organization);
    expect(diff.added.map((g) => describeGrant(g, 'gains'))).toEqual(
      (['dev2', 'prod'] as const)
        .map((name) => ({ name, id: org.accounts[name] }))
        .sort((a, b) => a.id.localeCompare(b.id))
        .map(
          ({ name, id }) =>
            `group devs gains ReadOnly in ${name} (${id}) via OU Workloads (${org.workloads}) and its child OUs`,
        ),
    );
  });

  it('resolves OU paths, account names and exclusions: Root less the management account and sandbox is no drift', async () => {
    const org = await workloadsReadOnly();
    const organizations = new OrganizationsClient({ endpoint: server.endpoint, region: 'us-east-1' });
    const management = await organizations
      .send(new DescribeAccountCommand({ AccountId: org.managementAccountId }))
      .finally(() => organizations.destroy());
    const managementName = management.Account!.Name!;
    // Landing Zone Accelerator's shape: the root by name, with the accounts that must not get access left out.
    const root = makeRepo(
      declarations(
        `    organizationalUnits: [Root]\n    recursive: true\n    excludedAccounts: [${JSON.stringify(managementName)}, sandbox]\n`,
      ),
    );
    await server.resetCalls();
    const result = await check(root, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
    // Names cost no extra reads: the tree that OU IDs need already holds them.
    expectOneTreeRead(result.report.stats.apiCallsByOperation!);
    // A path and an account name, as the access diff shows them.
    const byPath = await check(
      makeRepo(declarations('    organizationalUnits: [Workloads/Prod]\n    accounts: [dev, dev2]\n')),
      { live: 'aws', mode: 'drift', requestsPerSecond: 0 },
    );
    expect(byPath.report.findings).toEqual([]);
    const before = (await check(makeRepo(declarations(`    accounts: ["${org.accounts.dev}"]\n`)))).model;
    const diff = accessDiff(before, byPath.model, byPath.live?.organization);
    // The diff is in account-ID order, and moto's account IDs are random: compared as sets.
    expect(diff.added.map((g) => describeGrant(g, 'gains')).sort()).toEqual(
      [
        `group devs gains ReadOnly in dev2 (${org.accounts.dev2})`,
        `group devs gains ReadOnly in prod (${org.accounts.prod}) via OU Workloads/Prod (${org.prodOu})`,
      ].sort(),
    );
  });

  it('resolves tags and the root; IDC105 at the target for an account it lacks; IDC112 for the management account', async () => {
    await server.reset();
    const org = await createOrganization();
    await seedOrganisation(
      server.endpoint,
      spec([{ group: 'devs', permissionSet: 'ReadOnly', accounts: [org.accounts.prod] }]),
    );
    const tagged = await check(makeRepo(declarations('    accountTags: { env: prod }\n')), {
      live: 'aws',
      mode: 'drift',
      requestsPerSecond: 0,
    });
    expect(tagged.report.errors).toEqual([]);
    expect(tagged.report.findings).toEqual([]);
    // Tags are read per account (management, dev, dev2, prod, sandbox) only because a target needs them.
    expect(tagged.report.stats.apiCallsByOperation!['organizations:ListTagsForResource']).toBe(5);

    const everywhere = await check(makeRepo(declarations('    root: true\n')), {
      live: 'aws',
      mode: 'drift',
      requestsPerSecond: 0,
    });
    const found = everywhere.report.findings.map((f) => [f.ruleId, f.file, f.line, f.message]);
    const missingIn = [org.managementAccountId, org.accounts.dev, org.accounts.dev2, org.accounts.sandbox];
    expect(found.filter((f) => f[0] === 'IDC105').map((f) => [f[1], f[2]])).toEqual(
      missingIn.map(() => ['identity/assignments.yaml', 5]),
    );
    expect(found.filter((f) => f[0] === 'IDC112')).toEqual([
      [
        'IDC112',
        'identity/assignments.yaml',
        5,
        `group "devs" is assigned "ReadOnly" in ${org.managementAccountId} via the organization root, the organization's management account, which no SCP restricts: keep access there to the few who administer the organization; remove it, or set params.allowManagementAccountAssignments`,
      ],
    ]);
  });

  it('init --from-live writes a whole OU as the OU, and the result shows no drift', async () => {
    const org = await workloadsReadOnly();
    const out = makeRepo({});
    const written = await runCli(['init', '--from-live', '--out', out, '--requests-per-second', '1000']);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    expect(readFileSync(join(out, 'identity', 'assignments.yaml'), 'utf8')).toContain(
      `  - group: devs\n    permissionSet: ReadOnly\n    organizationalUnits:\n      - ${org.workloads}\n    accounts:\n      - "${org.accounts.prod}"\n`,
    );
    const result = await check(out, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
  });

  it('an OU the organization does not have is IDC111; a snapshot keeps the organization for offline checks', async () => {
    await server.reset();
    const org = await createOrganization();
    await seedOrganisation(server.endpoint, spec([]));
    const root = makeRepo(declarations('    organizationalUnits: [ou-zzzz-99999999]\n'));
    const snap = await runCli(['snapshot', '--root', root, '--output', 'snapshot.json'], root);
    expect(snap.code).toBe(0);
    const offline = await check(root, { live: `${root}/snapshot.json` });
    expect(offline.report.findings.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      [
        'IDC111',
        5,
        'group "devs" is assigned "ReadOnly" through OU ou-zzzz-99999999, which the organization does not have, so it grants nothing there: fix the target',
      ],
    ]);
    expect(offline.live?.organization?.managementAccountId).toBe(org.managementAccountId);
  });
});
