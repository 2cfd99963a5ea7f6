/**
 * Live reading end to end, against the local Identity Center server: drift, the least-privilege policy,
 * access denied, credentials, and adopting what is live (init --from-live). See
 * test/live-integration/helpers.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteGroupCommand } from '@aws-sdk/client-identitystore';
import { DEPENDENT_ACTIONS, READ_OPERATIONS } from '../src/live/reader.js';
import { scimIds, seedClients, seedOrganisation } from './aws/seed.js';
import { awsError, startProxy } from './aws/server.js';
import { check, checkAwsCli, makeRepo, REPO_ROOT, runCli } from './helpers.js';
import { DECLARATIONS, agreeing, server, useLocalIdc, liveCheck, at } from './live-integration/helpers.js';

useLocalIdc();

describe('live reading end to end', () => {
  it('fires IDC109 in drift mode for an assignment whose group was deleted', async () => {
    const spec = agreeing();
    spec.groups.push({ name: 'old-team', externalIds: scimIds('g-old') });
    spec.assignments.push({ group: 'old-team', permissionSet: 'Admin', accounts: ['111111111111'] });
    const result = await liveCheck(spec, { mode: 'drift' }, async (seeded) => {
      const { identityStore } = seedClients(server.endpoint);
      await identityStore.send(
        new DeleteGroupCommand({
          IdentityStoreId: seeded.identityStoreId,
          GroupId: seeded.groups['old-team'],
        }),
      );
    });
    expect(at(result)).toEqual([['IDC109', 'error', 'identity/ps.yaml', 2]]);
    expect(result.report.findings[0].message).toContain(result.seeded.groups['old-team']);
  });

  it('calls only the operations of the least-privilege policy in the README, all List/Describe/Get', async () => {
    const spec = agreeing();
    spec.permissionSets[0] = {
      ...spec.permissionSets[0],
      inlinePolicy: { Version: '2012-10-17', Statement: [] },
      customerManagedPolicies: [{ name: 'deny' }],
      permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      tags: { a: 'b' },
    };
    const policy = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'iam-policy.json'), 'utf8')) as {
      Statement: { Action: string[] }[];
    };
    const allowed = new Set(policy.Statement.flatMap((s) => s.Action).map((a) => a.split(':')[1]));
    const used = new Set<string>();
    // A direct user assignment too, so that the user look-ups are exercised.
    spec.assignments.push({ user: 'alice@example.com', permissionSet: 'Admin', accounts: ['111111111111'] });
    const breakglass = {
      'identity/user-assignments.yaml':
        'kind: Assignments\nassignments:\n  - user: alice@example.com\n    permissionSet: Admin\n    accounts: [prod]\n',
    };
    for (const mode of ['check', 'drift'] as const) {
      const result = await liveCheck(spec, { mode }, undefined, breakglass);
      expect(result.report.errors).toEqual([]);
      for (const operation of Object.keys((await server.calls()).byOperation)) used.add(operation);
      // The client's count has the other services too (Organizations, Access Analyzer).
      for (const operation of Object.keys(result.report.stats.apiCallsByOperation ?? {}))
        used.add(operation.split(':').pop()!);
    }
    // Every other command that reads AWS: the CLI's check in both modes, snapshot, baseline and init.
    const root = makeRepo({ ...DECLARATIONS, ...breakglass });
    await server.resetCalls();
    for (const mode of ['check', 'drift'] as const) {
      const out = await checkAwsCli(root, mode);
      for (const op of Object.keys(JSON.parse(out.stdout).stats.apiCallsByOperation ?? {}))
        used.add(op.split(':').pop()!);
    }
    expect((await runCli(['snapshot', '--root', root, '--output', 'snap.json'], root)).code).toBe(0);
    expect(
      (await runCli(['baseline', '--root', root], root, { AWS_ENDPOINT_URL: server.endpoint })).code,
    ).toBe(0);
    expect((await runCli(['init', '--from-live', '--out', makeRepo({})])).code).toBe(0);
    for (const operation of Object.keys((await server.calls()).byOperation)) used.add(operation);
    for (const op of Object.keys(JSON.parse(readFileSync(join(root, 'snap.json'), 'utf8')).apiCalls))
      used.add(op.split(':').pop()!);
    for (const operation of used) {
      // ValidatePolicy (IAM Access Analyzer, issue 7) checks a document and stores nothing: read-only too.
      expect(operation).toMatch(/^(List|Describe|Get|ValidatePolicy$)/);
      expect(allowed).toContain(operation);
    }
    // And the policy asks for nothing the reader does not call (live-reader-check.test.ts: it calls every one).
    // Less the actions AWS requires besides an operation's own (ListApplications needs three more).
    const dependent = new Set<string>(DEPENDENT_ACTIONS);
    const actions = policy.Statement.flatMap((s) => s.Action).filter(
      (a) => !a.startsWith('access-analyzer:') && !dependent.has(a),
    );
    expect(actions.map((a) => (a.startsWith('organizations:') ? a : a.split(':')[1])).sort()).toEqual(
      [...READ_OPERATIONS].sort(),
    );
  });

  it('reports AccessDenied as a tool error naming the action, keeps the static findings and the other rules, exit 2', async () => {
    await server.reset();
    await seedOrganisation(server.endpoint, agreeing());
    const proxy = await startProxy(server.endpoint, (r) =>
      r.operation === 'ListGroupMemberships'
        ? awsError(
            'AccessDeniedException',
            'User: arn:aws:sts::123456789012:assumed-role/ci is not authorized to perform: identitystore:ListGroupMemberships',
          )
        : undefined,
    );
    try {
      const root = makeRepo({
        ...DECLARATIONS,
        'identity/nested.yaml':
          'kind: Groups\ngroups:\n  - name: outer\n    source: manual\n    members:\n      groups: [inner]\n',
      });
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      const result = await check(root, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
      expect(result.exitCode).toBe(2);
      expect(result.report.errors).toEqual([
        expect.objectContaining({
          source: 'aws',
          message: expect.stringMatching(/ListGroupMemberships.*identitystore:ListGroupMemberships/),
        }),
      ]);
      expect(at(result)).toEqual([['IDC005', 'error', 'identity/nested.yaml', 6]]);
      expect(result.report.notices.map((n) => n.message)).toEqual(
        expect.arrayContaining([
          // The rules that need the memberships are one line, not one each.
          expect.stringMatching(/^IDC103, (IDC\d+, )*IDC110 not evaluated: memberships could not be read/),
        ]),
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = server.endpoint;
      await proxy.stop();
    }
  });
});

describe('live reading: credentials and adoption', () => {
  it('the bundled CLI reads credentials from a profile file, not only from the environment', async () => {
    await server.reset();
    await seedOrganisation(server.endpoint, agreeing());
    const home = makeRepo({
      '.aws/credentials':
        '[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = from-a-profile\n',
    });
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'dist', 'cli.js'),
        'check',
        '--root',
        makeRepo(DECLARATIONS),
        '--live',
        'aws',
        '--format',
        'json',
      ],
      {
        encoding: 'utf8',
        // No AWS_* credentials: the SDK's chain must load the profile (a module it imports lazily).
        env: {
          PATH: process.env.PATH,
          HOME: home,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: server.endpoint,
        },
      },
    );
    const report = JSON.parse(run.stdout);
    expect(report.errors).toEqual([]);
    expect(report.stats.apiCalls).toBeGreaterThan(0);
  });

  it('stops on expired credentials with one clear line, and the static findings still appear', async () => {
    await server.reset();
    const proxy = await startProxy(server.endpoint, () =>
      awsError('ExpiredTokenException', 'The security token included in the request is expired'),
    );
    try {
      process.env.AWS_ENDPOINT_URL = proxy.endpoint;
      const root = makeRepo({
        ...DECLARATIONS,
        'identity/nested.yaml':
          'kind: Groups\ngroups:\n  - name: outer\n    source: manual\n    members:\n      groups: [inner]\n',
      });
      const { code, stdout, stderr } = await runCli(['check', '--root', root, '--live', 'aws']);
      expect(code).toBe(2);
      expect(stderr).toBe('');
      expect(stdout.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
        expect.stringMatching(/^error: AWS credentials expired or invalid: .*expired/),
      ]);
      expect(stdout).toMatch(/IDC005/);
    } finally {
      process.env.AWS_ENDPOINT_URL = server.endpoint;
      await proxy.stop();
    }
  });

  it('init --from-live --live aws writes declarations that then show no drift', async () => {
    await server.reset();
    const spec = agreeing();
    spec.groups.push({ name: 'hand-made', members: ['bob@example.com'] });
    spec.assignments.push({ user: 'alice@example.com', permissionSet: 'Admin', accounts: ['333333333333'] });
    await seedOrganisation(server.endpoint, spec);
    const out = makeRepo({});
    const written = await runCli(['init', '--from-live', '--out', out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^wrote 5 files to /);
    const result = await check(out, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
  });
});
