/**
 * The live rules end to end: the real AWS SDK clients read the project's local Identity Center server
 * (test/aws/idc_server.py, moto with the gaps fixed), seeded through the same APIs. Each rule is made to fire
 * by one change to an organisation that otherwise agrees with the declarations, where every rule is quiet.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DeleteGroupCommand } from '@aws-sdk/client-identitystore';
import type { CheckOptions } from '../src/engine.js';
import { READ_OPERATIONS } from '../src/live/reader.js';
import { scimIds, seedClients, seedOrganisation, seedUser, type SeedSpec } from './aws/seed.js';
import { awsError, startProxy, useIdcServer, type IdcServer } from './aws/server.js';
import { check, checkAwsCli, makeRepo, REPO_ROOT, runCli } from './helpers.js';

const DECLARATIONS = {
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
function agreeing(): Required<Pick<SeedSpec, 'users' | 'groups' | 'permissionSets' | 'assignments'>> &
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

const idc = useIdcServer();
let server: IdcServer;
beforeAll(() => (server = idc()));

async function liveCheck(
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

const at = (r: {
  report: { findings: { ruleId: string; severity: string; file: string; line: number }[] };
}) => r.report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line]);

describe.each([
  ['a PR check (declared principals)', 'check' as const],
  ['drift mode (everything)', 'drift' as const],
])('live rules against the local Identity Center server: %s', (_name, mode) => {
  it('are all quiet when Identity Center agrees with the declarations', async () => {
    const result = await liveCheck(agreeing(), { mode });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
    expect(result.report.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /^live state read from AWS: arn:aws:sso:::instance\/ssoins-[0-9a-f]{16} \(the only instance, found with ListInstances\)/,
      ),
      // The seeded account is in no organization: only the management-account rule cannot run, and says so.
      'IDC112 (management account) not evaluated: organizations:DescribeOrganization: could not read the organization: AWSOrganizationsNotInUseException: Your account is not a member of an organization.',
    ]);
    expect(result.report.stats.apiCalls).toBeGreaterThan(0);
  });

  it.each<[string, (s: ReturnType<typeof agreeing>) => void, string[][]]>([
    [
      'IDC101 when a declared group never arrived',
      (s) => {
        s.groups = s.groups.filter((g) => g.name !== 'devs');
        s.assignments = s.assignments.filter((a) => a.group !== 'devs');
      },
      [['IDC101', 'error', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC102 when the group was created by hand',
      (s) => delete s.groups[1].externalIds,
      [['IDC102', 'error', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC103 (and IDC110) when an assigned group is empty',
      (s) => (s.groups[1].members = []),
      [
        ['IDC103', 'warning', 'identity/groups.yaml', '6'],
        ['IDC110', 'warning', 'identity/groups.yaml', '8'],
      ],
    ],
    [
      'IDC104 when a member has no email',
      (s) => delete s.users[1].email,
      [['IDC104', 'warning', 'identity/groups.yaml', '6']],
    ],
    [
      'IDC105 when a declared assignment is missing',
      (s) => (s.assignments = s.assignments.slice(0, 1)),
      [['IDC105', 'error', 'identity/assignments.yaml', '8']],
    ],
    [
      'IDC106 when an assignment was clicked in the console',
      (s) => s.assignments.push({ group: 'admins', permissionSet: 'Admin', accounts: ['333333333333'] }),
      [['IDC106', 'error', 'identity/groups.yaml', '3']],
    ],
    [
      'IDC106 for a permission set nobody declared, named in the finding',
      (s) => {
        s.permissionSets.push({ name: 'ConsoleMade' });
        s.assignments.push({ group: 'admins', permissionSet: 'ConsoleMade', accounts: ['111111111111'] });
      },
      [['IDC106', 'error', 'identity/groups.yaml', '3']],
    ],
    [
      'IDC107 when the session duration differs',
      (s) => (s.permissionSets[0].sessionDuration = 'PT2H'),
      [['IDC107', 'error', 'identity/ps.yaml', '3']],
    ],
    [
      'IDC108 when the permission set was edited and not re-provisioned',
      (s) => (s.outdated = ['Admin']),
      [['IDC108', 'warning', 'identity/ps.yaml', '2']],
    ],
    [
      'IDC110 when a group has an undeclared member',
      (s) => (s.groups[0].members = ['alice@example.com', 'bob@example.com']),
      [['IDC110', 'warning', 'identity/groups.yaml', '5']],
    ],
  ])('fires %s', async (_case, change, expected) => {
    const spec = agreeing();
    change(spec);
    const result = await liveCheck(spec, { mode });
    expect(result.report.errors).toEqual([]);
    expect(at(result)).toEqual(expected.map(([id, sev, file, line]) => [id, sev, file, Number(line)]));
    if (_case.includes('nobody declared'))
      expect(result.report.findings[0].message).toMatch(/has "ConsoleMade" in prod \(111111111111\)/);
  });
});

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
    // And the policy asks for nothing the reader does not call (live-reader.test.ts shows it calls every one).
    const actions = policy.Statement.flatMap((s) => s.Action).filter(
      (a) => !a.startsWith('access-analyzer:'),
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
          expect.stringMatching(/^IDC103 not evaluated: memberships/),
          expect.stringMatching(/^IDC110 not evaluated/),
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
    expect(written.stdout).toMatch(/^wrote 4 files to /);
    const result = await check(out, { live: 'aws', mode: 'drift', requestsPerSecond: 0 });
    expect(result.report.errors).toEqual([]);
    expect(result.report.findings).toEqual([]);
  });
});

describe('IAM Access Analyzer (ValidatePolicy) on the inline policies, in live AWS runs', () => {
  /**
   * Access Analyzer on loopback (moto has none): the real SDK client calls POST /policy/validation and gets
   * the documented response shape. Each request is recorded; `deny` answers AccessDeniedException.
   */
  async function startAnalyzer(deny = false) {
    const requests: { policyDocument: string; policyType: string }[] = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push(JSON.parse(body));
        if (deny) {
          res.writeHead(403, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'AccessDeniedException',
          });
          return res.end(
            JSON.stringify({ message: 'not authorized to perform: access-analyzer:ValidatePolicy' }),
          );
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            findings: [
              {
                findingType: 'ERROR',
                issueCode: 'INVALID_ACTION',
                findingDetails: 'The action s3:GetObjekt does not exist.',
                learnMoreLink:
                  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html',
                locations: [
                  {
                    path: [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }, { index: 1 }],
                    span: {
                      start: { line: 0, column: 0, offset: 0 },
                      end: { line: 0, column: 1, offset: 1 },
                    },
                  },
                ],
              },
            ],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    return { url, requests, stop: () => new Promise<void>((resolve) => srv.close(() => resolve())) };
  }

  const POLICY = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjekt'], Resource: '*' }],
  };
  const withInline = () => {
    const spec = agreeing();
    spec.permissionSets[0] = { ...spec.permissionSets[0], inlinePolicy: POLICY };
    return spec;
  };
  const files = {
    'identity/ps.yaml': `${DECLARATIONS['identity/ps.yaml']}inlinePolicy:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n      Action: [s3:GetObject, s3:GetObjekt]\n      Resource: "*"\n`,
  };

  it('turns its findings into IDC014 at the line inside the policy, and counts its calls', async () => {
    const analyzer = await startAnalyzer();
    process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = analyzer.url;
    try {
      const result = await liveCheck(withInline(), { mode: 'drift' }, undefined, files);
      expect(result.report.errors).toEqual([]);
      expect(
        result.report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column, f.message]),
      ).toEqual([
        [
          'IDC014',
          'error',
          'identity/ps.yaml',
          9,
          30,
          'inline policy of "Admin": IAM Access Analyzer INVALID_ACTION: The action s3:GetObjekt does not exist.',
        ],
      ]);
      expect(analyzer.requests).toEqual([
        { policyDocument: JSON.stringify(POLICY), policyType: 'IDENTITY_POLICY', locale: 'EN' },
      ]);
      expect(result.report.stats.apiCallsByOperation!['access-analyzer:ValidatePolicy']).toBe(1);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
      await analyzer.stop();
    }
  });

  it('without access, runs the offline checks only and says so once; never with a snapshot', async () => {
    const analyzer = await startAnalyzer(true);
    process.env.AWS_ENDPOINT_URL_ACCESSANALYZER = analyzer.url;
    try {
      const result = await liveCheck(withInline(), { mode: 'drift' }, undefined, files);
      expect(result.report.errors).toEqual([]);
      // The offline list knows the actions too; Access Analyzer, when it runs, speaks for them instead.
      expect(result.report.findings.map((f) => [f.ruleId, f.severity, f.line, f.column, f.message])).toEqual([
        [
          'IDC014',
          'warning',
          9,
          30,
          expect.stringContaining(
            '"s3:GetObjekt" is no action of s3 that idc-guard knows (did you mean s3:GetObject?)',
          ),
        ],
      ]);
      expect(result.report.notices.map((n) => n.message)).toContain(
        "IAM Access Analyzer was not used (access-analyzer:ValidatePolicy is not allowed): only idc-guard's offline IAM policy checks ran",
      );
      // A check from a snapshot calls no AWS service at all.
      const root = makeRepo({ ...DECLARATIONS, ...files });
      expect((await runCli(['snapshot', '--root', root, '--output', 's.json'], root)).code).toBe(0);
      analyzer.requests.length = 0;
      await check(root, { live: join(root, 's.json') });
      expect(analyzer.requests).toEqual([]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ACCESSANALYZER;
      await analyzer.stop();
    }
  });
});
