import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, FIXTURES, makeRepo, REPO_ROOT, runCli } from './helpers.js';

// ---------------------------------------------------------------------------------------------------------------
// The recommended policies (policies/recommended/), each on a fixture that fails and one that passes, as a team
// would use them: the file copied into the repository and listed under `policies:` in .idc-guard.yml.

const RECOMMENDED = join(REPO_ROOT, 'policies', 'recommended');

/** A repository made of a fixture folder, with `policyFiles` copied into policies/ and listed in the config. */
function repoWithPolicies(fixture: string, policyFiles: string[], extraConfig = ''): string {
  const root = makeRepo({
    '.idc-guard.yml': `policies: ["policies/*.yaml"]\n${extraConfig}`,
  });
  cpSync(fixture, root, { recursive: true });
  for (const file of policyFiles) cpSync(file, join(root, 'policies', file.split('/').pop()!));
  return root;
}

type Expected = [file: string, line: number, column: number, message: string];

const CASES: Record<string, Expected[]> = {
  'ORG-001': [
    [
      'identity/permission-sets.yaml',
      4,
      18,
      'permission set PlatformAdmin allows sessions of PT8H; administrator sessions must last at most one hour (PT1H)',
    ],
  ],
  'ORG-002': [
    [
      'identity/assignments.yaml',
      6,
      21,
      'group aws-data-eng gets AdministratorAccess in prod (111111111111); in production only groups named aws-admins-* may',
    ],
  ],
  'ORG-003': [
    [
      'identity/permission-sets.yaml',
      2,
      1,
      'permission set NoTags has no owner tag (missing tags); say which team answers for it',
    ],
    [
      'identity/permission-sets.yaml',
      7,
      7,
      'permission set NoOwner has no owner tag (tags: missing owner); say which team answers for it',
    ],
  ],
  'ORG-004': [
    [
      'identity/assignments.yaml',
      6,
      16,
      'user alice@example.com is assigned ReadOnly in 222222222222 directly; assign a group instead (only break-glass users are assigned directly)',
    ],
  ],
  'ORG-005': [
    ['identity/groups.yaml', 4, 5, 'group aws-data-eng has no description; say who is in it and why'],
    ['identity/groups.yaml', 6, 18, 'group aws-blank has no description; say who is in it and why'],
  ],
  'ORG-006': [
    // A declared group: at its declaration. One nobody declared: at the IdentityCenter document.
    [
      'identity/groups.yaml',
      4,
      5,
      'group aws-developers (g-2) in Identity Center was not provisioned by the IdP (no ExternalId): it was made in the console',
    ],
    [
      'identity/instance.yaml',
      2,
      1,
      'group console-admins (g-3) in Identity Center was not provisioned by the IdP (no ExternalId): it was made in the console',
    ],
  ],
  'ORG-007': [
    [
      'identity/permission-sets.yaml',
      2,
      7,
      'Identity Center assigns AdministratorAccess in 111111111111 to user alice@example.com: administrator access goes to groups (or break-glass users)',
    ],
  ],
  'ORG-008': [
    [
      'identity/apps.yaml',
      1,
      1,
      'application Grafana does not require assignment: every user of the identity store may use it',
    ],
  ],
};

async function policyFindings(id: string, variant: 'pass' | 'fail') {
  const file = readdirSync(RECOMMENDED).find((f) => f.startsWith(`${id}-`))!;
  const fixture = join(FIXTURES, 'policies', id, variant);
  const root = repoWithPolicies(fixture, [join(RECOMMENDED, file)]);
  const live = existsSync(join(fixture, 'live.json')) ? join(root, 'live.json') : 'off';
  const { report } = await check(root, { live });
  // The policy loaded and ran: no problem with it, and nothing kept it from running.
  expect(report.findings.filter((f) => f.ruleId === 'IDC001')).toEqual([]);
  expect(report.errors).toEqual([]);
  return report.findings.filter((f) => f.ruleId === id);
}

describe('recommended policies', () => {
  it('has a fixture case for every recommended policy, and each file is one valid Policy', () => {
    const ids = readdirSync(RECOMMENDED).map((f) => f.slice(0, 7));
    expect(ids).toEqual(Object.keys(CASES));
  });

  describe.each(Object.entries(CASES))('%s', (id, expected) => {
    it('fails its fixture at the exact lines', async () => {
      const findings = await policyFindings(id, 'fail');
      expect(findings.map((f) => [f.file, f.line, f.column, f.message])).toEqual(expected);
    });
    it('passes its fixture', async () => {
      expect(await policyFindings(id, 'pass')).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The policy engine: loading, errors at their lines, settings, security.

const PERMISSION_SET = 'kind: PermissionSet\nname: PlatformAdmin\nsessionDuration: PT8H\n';

/** A repository with one permission set and the given policy files. */
function repo(policies: Record<string, string>, config = '', extra: Record<string, string> = {}): string {
  return makeRepo({
    '.idc-guard.yml': `policies: ["policies/**/*.yaml"]\n${config}`,
    'identity/ps.yaml': PERMISSION_SET,
    ...Object.fromEntries(Object.entries(policies).map(([f, text]) => [`policies/${f}`, text])),
    ...extra,
  });
}

const policy = (id: string, require: string, more = '') =>
  `kind: Policy\nid: ${id}\ntitle: Test policy\nseverity: error\ntarget: permissionSet\nrequire: ${require}\nmessage: '{name}: {error}'\n${more}`;

const summarise = (findings: { ruleId: string; file: string; line: number; message: string }[]) =>
  findings.map((f) => `${f.ruleId} ${f.file}:${f.line} ${f.message}`);

describe('policy engine', () => {
  it('says in {error} what failed, and points at the property', async () => {
    const root = repo({
      'a.yaml': policy('ORG-101', '{ properties: { sessionDuration: { const: PT1H } } }'),
    });
    const { report } = await check(root);
    expect(summarise(report.findings)).toEqual([
      'ORG-101 identity/ps.yaml:3 PlatformAdmin: sessionDuration is "PT8H", not "PT1H"',
    ]);
  });

  it('reports a broken policy as IDC001 at its line, and runs the others', async () => {
    const root = repo({
      'bad-schema.yaml': policy('ORG-101', '{ properties: { name: { type: strnig } } }'),
      'typo.yaml': policy('ORG-102', '{ properties: { name: { patern: x } } }'),
      'bad-doc.yaml':
        'kind: Policy\nid: IDC999\ntitle: t\nseverity: fatal\ntarget: permissionSet\nrequire: {}\nmessage: m\n',
      'not-a-policy.yaml': 'kind: Groups\ngroups: []\n',
      'good.yaml': policy('ORG-103', 'false'),
    });
    const { report } = await check(root);
    expect(summarise(report.findings)).toEqual([
      'ORG-103 identity/ps.yaml:1 PlatformAdmin: does not satisfy the policy',
      expect.stringMatching(/^IDC001 policies\/bad-doc\.yaml:2 .*IDC is the built-in catalogue's/),
      expect.stringMatching(/^IDC001 policies\/bad-doc\.yaml:4 /),
      expect.stringMatching(
        /^IDC001 policies\/bad-schema\.yaml:6 policy ORG-101: its `require` schema is invalid: .*type/,
      ),
      'IDC001 policies/not-a-policy.yaml:1 a policy file holds `kind: Policy` documents only (policies: in .idc-guard.yml names it)',
      expect.stringMatching(
        /^IDC001 policies\/typo\.yaml:6 policy ORG-102: its `require` schema is invalid: .*patern/,
      ),
    ]);
  });

  it('refuses a second policy with the same ID, and an ID of the built-in catalogue', async () => {
    const root = repo({ 'a.yaml': policy('ORG-101', 'true'), 'b.yaml': `${policy('ORG-101', 'true')}` });
    const { report } = await check(root);
    expect(summarise(report.findings)).toEqual([
      'IDC001 policies/b.yaml:2 policy ID ORG-101 is already used by another policy (policies/a.yaml); IDs must be unique',
    ]);
  });

  it('obeys severity overrides, disabling, suppressions and the baseline, like a built-in rule', async () => {
    const failing = { 'a.yaml': policy('ORG-101', 'false') };
    const override = await check(repo(failing, 'rules: { ORG-101: { severity: notice } }\n'));
    expect(override.report.findings.map((f) => [f.ruleId, f.severity])).toEqual([['ORG-101', 'notice']]);
    const off = await check(repo(failing, 'rules: { ORG-101: { enabled: false } }\n'));
    expect(off.report.findings).toEqual([]);
    const suppressed = await check(
      repo(failing, '', {
        'identity/ps.yaml': `# idc-guard-ignore ORG-101 -- legacy, removed in Q3\n${PERMISSION_SET}`,
      }),
    );
    expect(suppressed.report.findings.map((f) => [f.ruleId, f.suppressed, f.suppression])).toEqual([
      ['ORG-101', true, { kind: 'inline', reason: 'legacy, removed in Q3' }],
    ]);
    const root = repo(failing, 'baseline: baseline.json\n');
    expect((await runCli(['baseline', '--root', root])).code).toBe(0);
    const baselined = await check(root);
    expect(baselined.report.findings.map((f) => [f.ruleId, f.suppression?.kind])).toEqual([
      ['ORG-101', 'baseline'],
    ]);
    expect(baselined.exitCode).toBe(0);
  });

  it('fills {field} and {a.b} placeholders, says (none) for a missing one, and cuts long values', async () => {
    const root = repo(
      {
        'a.yaml': policy('ORG-101', 'false').replace(
          "'{name}: {error}'",
          "'{name} {tags.owner} {nope} {{x}}'",
        ),
      },
      '',
      {
        'identity/ps.yaml': `kind: PermissionSet\nname: PlatformAdmin\ntags: { owner: "${'o'.repeat(300)}" }\n`,
      },
    );
    const { report } = await check(root);
    expect(report.findings[0].message).toBe(`PlatformAdmin ${'o'.repeat(200)}… (none) {x}`);
  });

  it('runs patterns in linear time: a pathological one cannot hang the check', async () => {
    const root = repo(
      { 'a.yaml': policy('ORG-101', "{ properties: { description: { pattern: '^(a+)+$' } } }") },
      '',
      {
        'identity/ps.yaml': `kind: PermissionSet\nname: PlatformAdmin\ndescription: "${'a'.repeat(600)}!"\n`,
      },
    );
    // With backtracking this would not end in the lifetime of the test run; the linear engine answers at once.
    const { report } = await check(root);
    expect(summarise(report.findings)).toEqual([
      expect.stringMatching(
        /^ORG-101 identity\/ps\.yaml:3 PlatformAdmin: description "a{199}… does not match/,
      ),
    ]);
  });

  it('refuses what it cannot run in linear time, $refs to other documents, and does not evaluate $data', async () => {
    const root = repo({
      'backref.yaml': policy('ORG-101', "{ properties: { name: { pattern: '(a)\\1' } } }"),
      'remote.yaml': policy('ORG-102', '{ $ref: "https://example.com/schema.json" }'),
      'file.yaml': policy('ORG-103', '{ $ref: "../../etc/passwd" }'),
      // $data is off: this is a constant object, which no name equals, so the policy fails rather than compares.
      'data.yaml': policy('ORG-104', "{ properties: { name: { const: { $data: '1/name' } } } }"),
    });
    const { report } = await check(root);
    expect(summarise(report.findings)).toEqual([
      'ORG-104 identity/ps.yaml:2 PlatformAdmin: name is "PlatformAdmin", not {"$data":"1/name"}',
      expect.stringMatching(/^IDC001 policies\/backref\.yaml:6 .*cannot run in linear time/),
      expect.stringMatching(/^IDC001 policies\/file\.yaml:6 .*can't resolve reference/),
      expect.stringMatching(/^IDC001 policies\/remote\.yaml:6 .*can't resolve reference/),
    ]);
  });

  it('a policies glob that matches nothing is a tool error, not a silent pass', async () => {
    const root = makeRepo({
      '.idc-guard.yml': 'policies: ["policy/*.yaml"]\n',
      'identity/ps.yaml': PERMISSION_SET,
    });
    const { report, exitCode } = await check(root);
    expect(report.errors.map((e) => e.message)).toEqual([
      'no policy files match "policy/*.yaml" (policies: in .idc-guard.yml)',
    ]);
    expect(exitCode).toBe(2);
  });

  it('checks live targets only with live state, and says so when a live rule cannot run', async () => {
    const fixture = join(FIXTURES, 'policies', 'ORG-006', 'fail');
    const root = repoWithPolicies(fixture, [join(RECOMMENDED, 'ORG-006-no-console-groups.yaml')]);
    expect((await check(root)).report.findings.filter((f) => f.ruleId === 'ORG-006')).toEqual([]);
    const snapshot = JSON.parse(readFileSync(join(root, 'live.json'), 'utf8'));
    snapshot.complete.groups = false;
    writeFileSync(join(root, 'live.json'), JSON.stringify(snapshot));
    const { report } = await check(root, { live: join(root, 'live.json') });
    expect(report.findings.filter((f) => f.ruleId === 'ORG-006')).toEqual([]);
    expect(report.notices.map((n) => n.message)).toContainEqual(
      expect.stringMatching(
        /^(IDC\d+, )+ORG-006 not evaluated: groups could not be read completely \(see the errors\)$/,
      ),
    );
  });
});

describe('idc-guard rules with team policies', () => {
  it('lists them after the built-in rules, and explains one', async () => {
    const root = join(REPO_ROOT, 'examples', 'acme');
    const list = await runCli(['rules', '--root', root]);
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n').at(-1)).toBe(
      'ACME-001  warning  static  Sessions last at most four hours  (policies/session-length.yaml)',
    );
    const one = await runCli(['rules', 'acme-001', '--root', root]);
    expect(one.stdout).toBe(
      [
        'ACME-001: Sessions last at most four hours',
        'severity: warning (default)    scope: static    policy: policies/session-length.yaml',
        '',
        "Long sessions outlive the laptop they were opened on. ACME's security baseline allows four hours at most.",
        '',
        'Fix: Set `sessionDuration` to PT4H or less, and re-provision the permission set.',
        '',
      ].join('\n'),
    );
  });

  it('names a broken policy with its line, and exits 2', async () => {
    const root = repo({ 'a.yaml': policy('ORG-101', '{ type: strnig }') });
    const out = await runCli(['rules', '--root', root]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      /^idc-guard: policies\/a\.yaml:6:1: policy ORG-101: its `require` schema is invalid/,
    );
  });
});

describe('docs/policies.md', () => {
  it('documents every recommended policy and every target', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs', 'policies.md'), 'utf8');
    for (const file of readdirSync(RECOMMENDED)) expect(doc).toContain(`\`${file}\``);
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'policy.schema.json'), 'utf8'));
    for (const target of schema.properties.target.enum as string[]) expect(doc).toContain(`| \`${target}\``);
  });
});
