/**
 * The attacker's end-to-end suite (issue 13; DESIGN.md, "What a pull request can and cannot change").
 *
 * Each test is a pull request written by someone who wants a grant to pass unnoticed, checked the way GitHub
 * checks it: the bundled Action (dist/index.js) on a `pull_request_target` event, against a recording GitHub on
 * loopback and, where live state matters, the local Identity Center server. Each asserts the exit status, what
 * the PR comment and the job summary say, and that nothing the attack wanted happened.
 *
 * Wording is matched loosely (key words); rule IDs, files, lines and exit statuses exactly.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedOrganisation, scimIds, seedUser, type SeedSpec } from './aws/seed.js';
import { startIdcServer, type IdcServer } from './aws/server.js';
import {
  exportTree,
  FakeGitHub,
  pullRequestRepo,
  runBundledAction,
  type ActionReport,
  type BundledActionResult,
  type FileSpec,
  type PullRequestRepo,
  type PullRequestSpec,
} from './github/fake-github.js';
import { REPO_ROOT } from './helpers.js';

const TEST_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// The repository under attack: what the base branch declares.

const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const IDENTITY_STORE_ID = 'd-1234567890';

const instanceYaml = (arn = INSTANCE_ARN, store = IDENTITY_STORE_ID) =>
  `kind: IdentityCenter
instanceArn: ${arn}
identityStoreId: ${store}
region: us-east-1
accounts:
  prod: "111111111111"
  dev: "222222222222"
`;

const GROUPS = `kind: Groups
groups:
  - name: aws-admins-platform
    description: Platform administrators
  - name: developers
    description: Application developers
  - name: contractors
    description: External contractors
`;

const ADMIN_PS = `kind: PermissionSet
name: AdministratorAccess
description: Full administrator
sessionDuration: PT1H
managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
`;

const READONLY_PS = `kind: PermissionSet
name: ReadOnly
description: Read-only access
sessionDuration: PT4H
managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
`;

/** The base's grants: lines 1-9. */
const ASSIGNMENTS = `kind: Assignments
assignments:
  - group: aws-admins-platform
    permissionSet: AdministratorAccess
    accounts: [prod, dev]
  - group: developers
    permissionSet: ReadOnly
    accounts: [prod, dev]
`;

/** The grant the attacker wants: contractors get AdministratorAccess in prod. */
const CONTRACTORS_ADMIN_PROD = `  - group: contractors
    permissionSet: AdministratorAccess
    accounts: [prod]
`;

/** ASSIGNMENTS with the contractors grant appended: its `accounts: [prod]` is line 11. */
const WITH_GRANT = ASSIGNMENTS + CONTRACTORS_ADMIN_PROD;
const GRANT_LINE = 11;

/** The recommended ORG-002, as a team copies it into its repository. */
const ORG_002 = readFileSync(
  join(REPO_ROOT, 'policies/recommended/ORG-002-prod-admin-only-admin-groups.yaml'),
  'utf8',
);

const CONFIG = 'policies: ["policies/**/*.yaml"]\n';

const BASE: Record<string, FileSpec> = {
  '.idc-guard.yml': CONFIG,
  'policies/admins.yaml': ORG_002,
  'identity/instance.yaml': instanceYaml(),
  'identity/groups.yaml': GROUPS,
  'identity/permission-sets/AdministratorAccess.yaml': ADMIN_PS,
  'identity/permission-sets/ReadOnly.yaml': READONLY_PS,
  'identity/assignments.yaml': ASSIGNMENTS,
};

// ---------------------------------------------------------------------------------------------------------------
// Running an attack.

const github = new FakeGitHub();
beforeAll(() => github.start());
afterAll(() => github.stop());
beforeEach(() => github.reset());

interface Attack extends Omit<PullRequestSpec, 'base'> {
  /** Merged over BASE. */
  base?: Record<string, FileSpec>;
  inputs?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** The repository is made in this folder (so that a sibling of it is "outside the repository"). */
  within?: string;
}

interface Outcome {
  pr: PullRequestRepo;
  run: BundledActionResult;
  /** The PR comment as it stands (the last body), '' when none was posted. */
  comment: string;
  /** Every place the run wrote text a person or a script reads. */
  everything: string;
}

async function attack(spec: Attack): Promise<Outcome> {
  const pr = pullRequestRepo({ ...spec, base: { ...BASE, ...spec.base }, within: spec.within });
  return runAttack(pr, spec);
}

async function runAttack(pr: PullRequestRepo, spec: Pick<Attack, 'inputs' | 'env'>): Promise<Outcome> {
  const run = await runBundledAction({
    workspace: pr.workspace,
    inputs: { live: 'off', ...spec.inputs },
    eventPath: pr.eventPath,
    githubUrl: github.url,
    env: spec.env,
  });
  expect(run.timedOut).toBe(false);
  const comment = github.comments.at(-1)?.body ?? '';
  const everything = [
    run.stdout,
    run.stderr,
    run.summary,
    run.reportText,
    ...github.comments.map((c) => c.body),
    ...github.requests.map((r) => JSON.stringify(r.body ?? {})),
  ]
    .map(plain)
    .join('\n');
  if (process.env.ATTACKS_DEBUG) dumpOutcome(run, comment);
  return { pr, run, comment, everything };
}

/** ATTACKS_DEBUG=folder: each run's log, summary, report and comment in a file named after the test. */
function dumpOutcome(run: BundledActionResult, comment: string): void {
  const folder = process.env.ATTACKS_DEBUG!;
  mkdirSync(folder, { recursive: true });
  const name = (expect.getState().currentTestName ?? 'run').replace(/[^\w-]+/g, '_').slice(0, 120);
  const sections = {
    status: String(run.status),
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    report: run.reportText,
    comment,
  };
  writeFileSync(
    join(folder, `${name}.txt`),
    Object.entries(sections)
      .map(([k, v]) => `===== ${k}\n${v}`)
      .join('\n'),
  );
}

/** [ruleId, severity, file, line] of the findings that count (not suppressed). */
function counted(report: ActionReport | undefined, ruleId?: string): [string, string, string, number][] {
  expect(report).toBeDefined();
  return report!.findings
    .filter((f) => !f.suppressed && (!ruleId || f.ruleId === ruleId))
    .map((f) => [f.ruleId, f.severity, f.file, f.line]);
}

function findingsOf(report: ActionReport | undefined, ruleId: string) {
  expect(report).toBeDefined();
  return report!.findings.filter((f) => f.ruleId === ruleId);
}

/** Text as a reader sees it: without the escapes a renderer adds (`\\_`, `@&#8203;`, zero-width characters). */
const plain = (text: string) => text.replace(/&#8203;|[\u200b-\u200d\u2060\ufeff]|\\/g, '');

/** The `::error::` lines of a run's log (the step's failure and error annotations). */
const errorLines = (run: BundledActionResult) =>
  run.stdout.split('\n').filter((l) => l.startsWith('::error'));

/** One line of the access diff that grants contractors AdministratorAccess in prod. */
const CONTRACTORS_GAIN_ADMIN_PROD = /contractors\b[^\n]*\bAdministratorAccess\b[^\n]*\bprod\b/;
const ALL_CLEAR = /grants and removes no access|All clear/i;

/** The verdict and the access diff a reviewer reads, in both the PR comment and the job summary. */
function expectGrantShown(o: Outcome, also: RegExp[] = []): void {
  for (const [where, text] of [
    ['comment', o.comment],
    ['summary', o.run.summary],
  ] as const) {
    expect({ where, shows: CONTRACTORS_GAIN_ADMIN_PROD.test(text) }).toEqual({ where, shows: true });
    for (const pattern of also)
      expect({ where, text, pattern: pattern.test(text) }).toMatchObject({ pattern: true });
    expect({ where, allClear: ALL_CLEAR.test(text) }).toEqual({ where, allClear: false });
  }
}

/** A folder outside every repository the tests make, holding `files`. */
function outside(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'idc-guard-outside-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

const CANARY = 'SECRETCANARY7f3a';
/** A declaration whose every value would show if it were read. */
const CANARY_YAML = `kind: Groups
groups:
  - name: ${CANARY}-group
    description: ${CANARY} description
---
kind: Assignments
assignments:
  - group: ${CANARY}-group
    permissionSet: AdministratorAccess
    accounts: [prod]
`;

// ---------------------------------------------------------------------------------------------------------------

describe('1. a declaration hidden behind a symbolic link', () => {
  it(
    'a link under include to a file elsewhere in the repository is IDC001 at the link, and its grant is still shown and judged',
    async () => {
      const o = await attack({
        head: {
          'docs/template.yaml': `kind: Assignments\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
          'identity/extra-assignments.yaml': { symlink: '../docs/template.yaml' },
        },
      });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.line, f.suppressed])).toEqual([
        ['error', 'identity/extra-assignments.yaml', 1, false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link/i);
      // The deployer follows the link, so the check judges what it would apply. The grant's line is the linked
      // content's (`accounts: [prod]` is line 5), reported at the path under include.
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/extra-assignments.yaml', 5],
      ]);
      expectGrantShown(o, [/ORG-002/, /IDC001/]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a link under include to a file outside the repository is IDC001 at the link, and nothing of the target is read',
    async () => {
      const secret = join(outside({ 'secret.yaml': CANARY_YAML }), 'secret.yaml');
      const o = await attack({ head: { 'identity/extra-assignments.yaml': { symlink: secret } } });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.line, f.suppressed])).toEqual([
        ['error', 'identity/extra-assignments.yaml', 1, false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link|outside the repository/i);
      expect(o.comment).toMatch(/IDC001/);
      expect(o.comment).not.toMatch(ALL_CLEAR);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('1, the class: a linked folder under include', () => {
  it(
    'a folder under include linked to a folder elsewhere in the repository is IDC001 at the link: exit 1',
    async () => {
      const o = await attack({
        head: {
          'docs/more/assignments.yaml': `kind: Assignments\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
          'identity/more': { symlink: '../docs/more' },
        },
      });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.suppressed])).toEqual([
        ['error', 'identity/more', false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link/i);
      expect(o.comment).toMatch(/IDC001/);
      expect(o.comment).not.toMatch(ALL_CLEAR);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('2. an organization target that cannot be resolved (no organization data)', () => {
  it(
    'root: true grants every declared account: ORG-002 fires for prod, and the comment shows the unresolved grant',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    root: true\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = counted(o.run.report, 'ORG-002');
      // One finding, for prod (dev is no production account); at the entry, lines 9-11.
      expect(org002).toHaveLength(1);
      expect(org002[0].slice(0, 3)).toEqual(['ORG-002', 'error', 'identity/assignments.yaml']);
      expect(org002[0][3]).toBeGreaterThanOrEqual(9);
      expect(org002[0][3]).toBeLessThanOrEqual(11);
      expect(findingsOf(o.run.report, 'ORG-002')[0].message).toMatch(/contractors/);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).toMatch(/every account/i);
        expect(text).toMatch(/not resolved/i);
        expect(text).toMatch(/ORG-002/);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an unresolved OU may grant any declared account: ORG-002 fires and says "may grant"',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    organizationalUnits: [ou-abcd-11111111]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = findingsOf(o.run.report, 'ORG-002').filter((f) => !f.suppressed);
      expect(org002.map((f) => [f.severity, f.file])).toEqual([['error', 'identity/assignments.yaml']]);
      expect(org002[0].line).toBeGreaterThanOrEqual(9);
      expect(org002[0].line).toBeLessThanOrEqual(11);
      expect(`${org002[0].message}\n${o.comment}`).toMatch(/may grant/i);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).toMatch(/not resolved/i);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('3. live reads switched off by the head (local Identity Center)', () => {
  let server: IdcServer;
  beforeAll(async () => {
    server = await startIdcServer();
  }, 30_000);
  afterAll(() => server?.stop());

  /** Identity Center as the base declares it: the two groups, their members, the permission sets, the grants. */
  const agreeing: SeedSpec = {
    users: ['alice', 'bob'].map(seedUser),
    groups: [
      {
        name: 'aws-admins-platform',
        description: 'Platform administrators',
        externalIds: scimIds('g-1'),
        members: ['alice@example.com'],
      },
      {
        name: 'developers',
        description: 'Application developers',
        externalIds: scimIds('g-2'),
        members: ['bob@example.com'],
      },
    ],
    permissionSets: [
      {
        name: 'AdministratorAccess',
        description: 'Full administrator',
        sessionDuration: 'PT1H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      },
      {
        name: 'ReadOnly',
        description: 'Read-only access',
        sessionDuration: 'PT4H',
        managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      },
    ],
    assignments: [
      {
        group: 'aws-admins-platform',
        permissionSet: 'AdministratorAccess',
        accounts: ['111111111111', '222222222222'],
      },
      { group: 'developers', permissionSet: 'ReadOnly', accounts: ['111111111111', '222222222222'] },
    ],
  };

  /** The base names the seeded instance; the head adds a group (which never arrived) and gives it ReadOnly in dev. */
  async function liveAttack(head: { deleteInstance: boolean }): Promise<Outcome> {
    await server.reset();
    const seeded = await seedOrganisation(server.endpoint, agreeing);
    const baseInstance = instanceYaml(seeded.instanceArn, seeded.identityStoreId);
    const baseGroups = GROUPS.replace(/ {2}- name: contractors\n.*\n/, '');
    return attack({
      base: { 'identity/instance.yaml': baseInstance, 'identity/groups.yaml': baseGroups },
      head: {
        'identity/instance.yaml': head.deleteInstance
          ? baseInstance.replace(/^(instanceArn|identityStoreId): .*\n/gm, '')
          : baseInstance,
        // `- name: contractors` is line 7.
        'identity/groups.yaml': `${baseGroups}  - name: contractors\n    description: External contractors\n`,
        'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: ReadOnly\n    accounts: [dev]\n`,
      },
      inputs: { live: 'auto' },
      env: server.env,
    });
  }

  function expectLiveRulesRan(o: Outcome): void {
    expect(o.run.status).toBe(1);
    expect(counted(o.run.report, 'IDC101')).toEqual([['IDC101', 'error', 'identity/groups.yaml', 7]]);
    expect(o.run.report!.stats.apiCalls).toBeGreaterThan(0);
    expect(o.comment).toMatch(/IDC101/);
    expect(o.comment).toMatch(/contractors/);
    expect(o.run.summary).toMatch(/IDC101/);
  }

  it(
    'control (passes today): with the instance kept, IDC101 fires for the group the PR assigns',
    async () => expectLiveRulesRan(await liveAttack({ deleteInstance: false })),
    TEST_TIMEOUT_MS,
  );

  it(
    "deleting instanceArn in the head does not turn off live rules: IDC101 for the group the PR assigns, from the base's instance",
    async () => expectLiveRulesRan(await liveAttack({ deleteInstance: true })),
    TEST_TIMEOUT_MS,
  );
});

describe('4. suppressions the head adds', () => {
  /** The grant with a suppression on the line above its `accounts: [prod]` (line 12; the directive is line 11). */
  const SUPPRESSED_GRANT = `${ASSIGNMENTS}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- temporary
    accounts: [prod]
`;
  const DIRECTIVE_LINE = 11;
  const FINDING_LINE = 12;
  const ACCEPT = 'idc-guard:accept-suppressions';
  const suppressedHead = { 'identity/assignments.yaml': SUPPRESSED_GRANT };
  /** "identity/assignments.yaml:10" or ":11" (the directive's line or the finding's), or "#L10"/"#L11" in a link. */
  const AT_THE_LINE = new RegExp(`identity/assignments\\.yaml(:|#L)(${DIRECTIVE_LINE}|${FINDING_LINE})\\b`);

  /** The section listing the suppressions the PR adds: the rule, the reason, where. */
  function expectListed(text: string, state: RegExp): void {
    expect(text).toMatch(/ORG-002/);
    expect(text).toMatch(/temporary/);
    expect(text).toMatch(AT_THE_LINE);
    expect(text).toMatch(state);
  }

  it(
    'a suppression added by the PR does not silence its finding: exit 1, listed as "suppression requested"',
    async () => {
      const o = await attack({ head: suppressedHead });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expectListed(o.comment, /suppression requested|requested/i);
      expectListed(o.run.summary, /suppression requested|requested/i);
      expectGrantShown(o);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a maintainer accepts it with the label (a labeled run): exit 0, still listed, as accepted',
    async () => {
      const o = await attack({ head: suppressedHead, labels: [ACCEPT], action: 'labeled', label: ACCEPT });
      expect(o.run.status).toBe(0);
      expect(counted(o.run.report, 'ORG-002')).toEqual([]);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [FINDING_LINE, true],
      ]);
      expectListed(o.comment, /accepted/i);
      expectListed(o.run.summary, /accepted/i);
      expect(o.comment).toMatch(CONTRACTORS_GAIN_ADMIN_PROD);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the label does not count on a run triggered by new commits (synchronize): the author pushed after acceptance',
    async () => {
      const o = await attack({ head: suppressedHead, labels: [ACCEPT], action: 'synchronize' });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expectListed(o.comment, /requested/i);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'base configuration "suppressions: base-only": even with the label, the head\'s suppression never applies',
    async () => {
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}suppressions: base-only\n` },
        head: suppressedHead,
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expect(o.comment).toMatch(/ORG-002/);
      expect(o.comment).toMatch(/temporary/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'base configuration "suppressions: allow": the head\'s suppression applies without a label, and is listed',
    async () => {
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}suppressions: allow\n` },
        head: suppressedHead,
      });
      expect(o.run.status).toBe(0);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [FINDING_LINE, true],
      ]);
      expect(o.comment).toMatch(/ORG-002/);
      expect(o.comment).toMatch(/temporary/);
      expect(o.comment).toMatch(AT_THE_LINE);
      expect(o.comment).toMatch(CONTRACTORS_GAIN_ADMIN_PROD);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a directive inside a quoted string value is text, not a comment: it never suppresses',
    async () => {
      // Assignments have no free-text field, so the string is the group's name (declared, so no IDC002).
      const name = 'contractors # idc-guard-ignore ORG-002 -- y';
      // Accepted by a maintainer, so that only "a value is not a comment" stands between it and its finding.
      const o = await attack({
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
        head: {
          'identity/groups.yaml': `${GROUPS}  - name: "${name}"\n`,
          // `group:` on line 10 carries the "directive"; ORG-002 points at `accounts: [prod]`, line 11.
          'identity/assignments.yaml': `${ASSIGNMENTS}  - permissionSet: AdministratorAccess\n    group: "${name}"\n    accounts: [prod]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 11],
      ]);
      expect(o.run.report!.summary.suppressed ?? 0).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a duplicate key cannot be suppressed, and the check models the document as the deployer applies it (last key wins)',
    async () => {
      const o = await attack({
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
        head: {
          // The second `assignments:` (line 10) replaces the first for a YAML reader where the last key wins.
          'identity/assignments.yaml': `${ASSIGNMENTS}# idc-guard-ignore IDC001 -- dup\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'IDC001')).toEqual([['IDC001', 'error', 'identity/assignments.yaml', 10]]);
      expect(findingsOf(o.run.report, 'IDC001').every((f) => !f.suppressed)).toBe(true);
      // The document the deployer applies grants contractors admin in prod (and drops the base's grants).
      expectGrantShown(o);
      expect(o.comment).toMatch(/aws-admins-platform\b[^\n]*loses\b[^\n]*AdministratorAccess/);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 13],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a suppression the base already has keeps working where the head moves it: nothing requested, exit 0',
    async () => {
      // The base accepted the grant; the head inserts an unrelated grant above it, so its lines move by 3.
      const accepted = `  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`;
      const o = await attack({
        base: { 'identity/assignments.yaml': ASSIGNMENTS + accepted },
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: aws-admins-platform\n    permissionSet: ReadOnly\n    accounts: [dev]\n${accepted}`,
        },
      });
      expect(o.run.status).toBe(0);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([[15, true]]);
      expect(o.comment).not.toMatch(/requested/i);
      expect(o.run.summary).not.toMatch(/requested/i);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a copy of the base's suppression onto a new grant is a suppression the head adds: exit 1, requested",
    async () => {
      // The base has an accepted break-glass exception; the head copies its exact line above a new grant.
      const breakglass = `  - group: developers
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`;
      const o = await attack({
        base: { 'identity/assignments.yaml': ASSIGNMENTS + breakglass },
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS + breakglass}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [12, true],
        [16, false],
      ]);
      expect(o.comment).toMatch(/requested/i);
      expect(o.comment).toMatch(/identity\/assignments\.yaml(:|#L)(15|16)\b/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('4, beyond the stated contract: a stale acceptance label', () => {
  const ACCEPT = 'idc-guard:accept-suppressions';
  const head = {
    'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- temporary
    accounts: [prod]
`,
  };

  it(
    'the PR author closes and reopens the PR (no new commits) after pushing a new suppression: the old label does not count',
    async () => {
      const o = await attack({ head, labels: [ACCEPT], action: 'reopened' });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 12],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'someone adds an unrelated label (a labeled run for another label): the old acceptance label does not count',
    async () => {
      const o = await attack({
        head,
        labels: [ACCEPT, 'needs-review'],
        action: 'labeled',
        label: 'needs-review',
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 12],
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('beyond the stated contract: the head renames the production account', () => {
  it(
    "an alias the head gives account 111111111111 (prod on the base) does not take it out of the base's production policy",
    async () => {
      // The head calls prod "live", moves the base's grants along, and grants contractors admin in "live".
      const renamed = (text: string) => text.replace(/\bprod\b/g, 'live');
      const o = await attack({
        head: {
          'identity/instance.yaml': renamed(instanceYaml()),
          'identity/assignments.yaml': renamed(WITH_GRANT),
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a grant by the 12-digit ID instead of the alias is still a grant in prod',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': WITH_GRANT.replace(
            'accounts: [prod]\n',
            'accounts: ["111111111111"]\n',
          ),
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
      expectGrantShown(o);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('5. a base that cannot be read', () => {
  /** The head's own configuration, which would let everything through. */
  const LAX =
    "failOn: never\nrules:\n  IDC001: { enabled: false }\n  ORG-002: { enabled: false }\ninclude: ['../**/*.yaml']\n";

  it(
    "fails closed when the base commit is not in the repository: one error naming base-path, never the head's configuration",
    async () => {
      const parent = outside({ 'neighbour/canary.yaml': CANARY_YAML });
      const o = await attack({
        within: parent,
        baseSha: 'deadbeef'.repeat(5),
        head: { '.idc-guard.yml': LAX, 'identity/assignments.yaml': WITH_GRANT },
      });
      expect(o.run.status).not.toBe(0);
      const errors = errorLines(o.run);
      expect(
        errors.some(
          (l) =>
            /base/i.test(l) && /could not be read|cannot be read|unreadable/i.test(l) && /base-path/.test(l),
        ),
      ).toBe(true);
      expect(o.comment).not.toMatch(ALL_CLEAR);
      expect(o.run.summary).not.toMatch(ALL_CLEAR);
      expect(o.everything).not.toContain(CANARY);
      // The report, if any, is not a pass under the head's configuration.
      if (o.run.report) expect(o.run.report.errors.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "with base-path (the workflow's own checkout of the base), the base's configuration applies: exit 1 on the grant",
    async () => {
      const parent = outside({ 'neighbour/canary.yaml': CANARY_YAML });
      const pr = pullRequestRepo({
        base: BASE,
        within: parent,
        baseSha: 'deadbeef'.repeat(5),
        head: { '.idc-guard.yml': LAX, 'identity/assignments.yaml': WITH_GRANT },
      });
      const baseCheckout = exportTree(pr.workspace, pr.baseSha);
      const o = await runAttack(pr, { inputs: { 'base-path': baseCheckout } });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
      expectGrantShown(o, [/ORG-002/]);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('6. fail-on', () => {
  it(
    "the stricter of the fail-on input and the base's failOn applies: a warning fails under the base's failOn: warning",
    async () => {
      const warn =
        'kind: Policy\nid: ORG-010\ntitle: Every group has an owner in its description\nseverity: warning\ntarget: group\nrequire: { required: [description] }\nmessage: "group {name} has no description"\n';
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}failOn: warning\n`, 'policies/descriptions.yaml': warn },
        // `- name: temp` is line 9.
        head: { 'identity/groups.yaml': `${GROUPS}  - name: temp\n` },
        inputs: { 'fail-on': 'never' },
      });
      expect(counted(o.run.report)).toEqual([['ORG-010', 'warning', 'identity/groups.yaml', 9]]);
      expect(o.run.status).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('7. report files written through a link', () => {
  it(
    'sarif-file names a link the head commits: the target is untouched and the step fails with one clear error',
    async () => {
      const target = join(outside({ 'victim.txt': 'ORIGINAL\n' }), 'victim.txt');
      const o = await attack({
        head: { 'idc-guard.sarif': { symlink: target } },
        inputs: { 'sarif-file': 'idc-guard.sarif' },
      });
      expect(readFileSync(target, 'utf8')).toBe('ORIGINAL\n');
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l) && /idc-guard\.sarif/.test(l))).toBe(
        true,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file names a dangling link the head commits: nothing is created at its target',
    async () => {
      const target = join(outside({}), 'created-by-idc-guard.sarif');
      const o = await attack({
        head: { 'idc-guard.sarif': { symlink: target } },
        inputs: { 'sarif-file': 'idc-guard.sarif' },
      });
      expect(existsSync(target)).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file in a folder the head commits as a link: nothing is written through it',
    async () => {
      const folder = outside({});
      const o = await attack({
        head: { reports: { symlink: folder } },
        inputs: { 'sarif-file': 'reports/idc-guard.sarif' },
      });
      expect(existsSync(join(folder, 'idc-guard.sarif'))).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file outside the workspace (../outside.sarif) is refused',
    async () => {
      const parent = outside({});
      const o = await attack({ within: parent, inputs: { 'sarif-file': '../outside.sarif' } });
      expect(existsSync(join(parent, 'outside.sarif'))).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /sarif-file/.test(l) && /outside the workspace/i.test(l))).toBe(
        true,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('8. the include folder replaced by a link', () => {
  /** IDC001 at `identity`, or one clear error line, saying it is a link or outside the repository. */
  function expectRefused(o: Outcome): void {
    expect(o.run.durationMs).toBeLessThan(10_000);
    expect([1, 2]).toContain(o.run.status);
    const atLink = (o.run.report?.findings ?? []).filter(
      (f) =>
        f.ruleId === 'IDC001' &&
        f.file === 'identity' &&
        /symbolic link|outside the repository/i.test(f.message),
    );
    const refusal = errorLines(o.run).filter(
      (l) => /identity/.test(l) && /symbolic link|outside the repository/i.test(l),
    );
    expect(atLink.length + refusal.length).toBeGreaterThan(0);
    if (atLink.length > 0) expect(atLink.map((f) => [f.severity, f.suppressed])).toEqual([['error', false]]);
    expect(o.comment).not.toMatch(ALL_CLEAR);
  }

  it(
    '`identity` linked to a folder outside the repository: refused, and nothing there is read',
    async () => {
      const folder = outside({ 'assignments.yaml': CANARY_YAML, 'nested/more.yaml': CANARY_YAML });
      const o = await attack({ head: { identity: { symlink: folder } } });
      expectRefused(o);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '`identity` linked to / : refused within 10 s, / is never walked',
    async () => {
      const o = await attack({ head: { identity: { symlink: '/' } } });
      expectRefused(o);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('9. member names on a public repository', () => {
  it(
    "a PR declaring a live group the base does not declare gets its finding, but never the group's member names",
    async () => {
      const snapshotFolder = outside({});
      const snapshot = join(snapshotFolder, 'snapshot.json');
      writeFileSync(snapshot, JSON.stringify(liveSnapshot()));
      const o = await attack({
        private: false,
        head: {
          // `- name: finance-admins` is line 9, `users: [...]` line 12: declaring any member makes IDC110 compare.
          'identity/groups.yaml': `${GROUPS}  - name: finance-admins\n    description: Finance administrators\n    members:\n      users: [mallory@example.com]\n`,
        },
        inputs: { live: snapshot },
      });
      const idc110 = counted(o.run.report, 'IDC110');
      expect(idc110).toEqual([['IDC110', 'warning', 'identity/groups.yaml', 12]]);
      expect(o.comment).toMatch(/IDC110/);
      expect(o.comment).toMatch(/finance-admins/);
      for (const [where, text] of [
        ['comment', o.comment],
        ['summary', o.run.summary],
        [
          'annotations',
          o.run.stdout
            .split('\n')
            .filter((l) => l.startsWith('::'))
            .join('\n'),
        ],
      ]) {
        expect({
          where,
          leaks: /\bceo\b|Chief Executive/i.test(plain(text)),
        }).toEqual({
          where,
          leaks: false,
        });
      }
    },
    TEST_TIMEOUT_MS,
  );
});

/** Live state that agrees with the base, plus a group the base does not declare: finance-admins, with the CEO. */
function liveSnapshot(): object {
  const issuer = 'https://scim.us-east-1.amazonaws.com/tenant/scim/v2';
  const user = (id: string, userName: string, displayName: string) => ({
    userId: id,
    userName,
    displayName,
    givenName: displayName.split(' ')[0],
    familyName: displayName.split(' ').slice(1).join(' ') || 'User',
    email: userName,
    active: true,
    externalIds: [{ issuer, id: `x-${id}` }],
  });
  const group = (id: string, displayName: string, description: string, memberUserIds: string[]) => ({
    groupId: id,
    displayName,
    description,
    externalIds: [{ issuer, id: `x-${id}` }],
    memberUserIds,
  });
  const ps = (n: string, name: string, description: string, sessionDuration: string, policy: string) => ({
    arn: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-000000000000000${n}`,
    name,
    description,
    sessionDuration,
    managedPolicies: [policy],
    customerManagedPolicies: [],
    tags: {},
    provisionedAccounts: [
      { accountId: '111111111111', current: true },
      { accountId: '222222222222', current: true },
    ],
  });
  const assignment = (accountId: string, n: string, principalId: string) => ({
    accountId,
    permissionSetArn: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-000000000000000${n}`,
    principalType: 'GROUP',
    principalId,
  });
  return {
    version: 1,
    readAt: '2026-11-22T02:00:00.000Z',
    instance: { instanceArn: INSTANCE_ARN, identityStoreId: IDENTITY_STORE_ID, region: 'us-east-1' },
    groups: [
      group('g-1', 'aws-admins-platform', 'Platform administrators', ['u-1']),
      group('g-2', 'developers', 'Application developers', ['u-2']),
      group('g-3', 'contractors', 'External contractors', ['u-3']),
      group('g-4', 'finance-admins', 'Finance administrators', ['u-4']),
    ],
    users: [
      user('u-1', 'alice@example.com', 'Alice Liddell'),
      user('u-2', 'bob@example.com', 'Bob Builder'),
      user('u-3', 'carol@example.com', 'Carol Contractor'),
      user('u-4', 'ceo@example.com', 'Chief Executive'),
    ],
    permissionSets: [
      ps(
        '1',
        'AdministratorAccess',
        'Full administrator',
        'PT1H',
        'arn:aws:iam::aws:policy/AdministratorAccess',
      ),
      ps('2', 'ReadOnly', 'Read-only access', 'PT4H', 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ],
    assignments: [
      assignment('111111111111', '1', 'g-1'),
      assignment('222222222222', '1', 'g-1'),
      assignment('111111111111', '2', 'g-2'),
      assignment('222222222222', '2', 'g-2'),
    ],
    complete: { groups: true, users: true, memberships: true, permissionSets: true, assignments: 'all' },
    failures: [],
    apiCalls: {},
  };
}
