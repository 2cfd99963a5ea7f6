/**
 * The attacker's end-to-end suite (issue 13; README, "Security model: what a pull request can and cannot change"): the
 * repository under attack and how an attack is run, shared by test/attacks-*.test.ts.
 *
 * Each test is a pull request written by someone who wants a grant to pass unnoticed, checked the way GitHub
 * checks it: the bundled Action (dist/index.js) on a `pull_request_target` event, against a recording GitHub on
 * loopback and, where live state matters, the local Identity Center server. Each asserts the exit status, what
 * the PR comment and the job summary say, and that nothing the attack wanted happened.
 *
 * Wording is matched loosely (key words); rule IDs, files, lines and exit statuses exactly.
 */
import { expect } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBundledAction, type ActionReport, type BundledActionResult } from '../github/bundled-action.js';
import { FakeGitHub } from '../github/fake-github.js';
import {
  pullRequestRepo,
  type FileSpec,
  type PullRequestRepo,
  type PullRequestSpec,
} from '../github/pull-request-repo.js';
import { REPO_ROOT } from '../helpers.js';

export const TEST_TIMEOUT_MS = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// The repository under attack: what the base branch declares.

export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const IDENTITY_STORE_ID = 'd-1234567890';

export const instanceYaml = (arn = INSTANCE_ARN, store = IDENTITY_STORE_ID) =>
  `kind: IdentityCenter
instanceArn: ${arn}
identityStoreId: ${store}
region: us-east-1
accounts:
  prod: "111111111111"
  dev: "222222222222"
`;

export const GROUPS = `kind: Groups
groups:
  - name: aws-admins-platform
    description: Platform administrators
  - name: developers
    description: Application developers
  - name: contractors
    description: External contractors
`;

export const ADMIN_PS = `kind: PermissionSet
name: AdministratorAccess
description: Full administrator
sessionDuration: PT1H
managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
`;

export const READONLY_PS = `kind: PermissionSet
name: ReadOnly
description: Read-only access
sessionDuration: PT4H
managedPolicies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
`;

/** The base's grants: lines 1-9. */
export const ASSIGNMENTS = `kind: Assignments
assignments:
  - group: aws-admins-platform
    permissionSet: AdministratorAccess
    accounts: [prod, dev]
  - group: developers
    permissionSet: ReadOnly
    accounts: [prod, dev]
`;

/** The grant the attacker wants: contractors get AdministratorAccess in prod. */
export const CONTRACTORS_ADMIN_PROD = `  - group: contractors
    permissionSet: AdministratorAccess
    accounts: [prod]
`;

/** ASSIGNMENTS with the contractors grant appended: its `accounts: [prod]` is line 11. */
export const WITH_GRANT = ASSIGNMENTS + CONTRACTORS_ADMIN_PROD;
export const GRANT_LINE = 11;

/** The recommended ORG-002, as a team copies it into its repository. */
export const ORG_002 = readFileSync(
  join(REPO_ROOT, 'policies/recommended/ORG-002-prod-admin-only-admin-groups.yaml'),
  'utf8',
);

export const CONFIG = 'policies: ["policies/**/*.yaml"]\n';

export const BASE: Record<string, FileSpec> = {
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

/** The loopback GitHub every attack runs against; each test file starts it with `useFakeGitHub(github)`. */
export const github = new FakeGitHub();

export interface Attack extends Omit<PullRequestSpec, 'base'> {
  /** Merged over BASE. */
  base?: Record<string, FileSpec>;
  inputs?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** The repository is made in this folder (so that a sibling of it is "outside the repository"). */
  within?: string;
}

export interface Outcome {
  pr: PullRequestRepo;
  run: BundledActionResult;
  /** The PR comment as it stands (the last body), '' when none was posted. */
  comment: string;
  /** Every place the run wrote text a person or a script reads. */
  everything: string;
}

export async function attack(spec: Attack): Promise<Outcome> {
  const pr = pullRequestRepo({ ...spec, base: { ...BASE, ...spec.base }, within: spec.within });
  return runAttack(pr, spec);
}

export async function runAttack(pr: PullRequestRepo, spec: Pick<Attack, 'inputs' | 'env'>): Promise<Outcome> {
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
export function counted(
  report: ActionReport | undefined,
  ruleId?: string,
): [string, string, string, number][] {
  expect(report).toBeDefined();
  return report!.findings
    .filter((f) => !f.suppressed && (!ruleId || f.ruleId === ruleId))
    .map((f) => [f.ruleId, f.severity, f.file, f.line]);
}

export function findingsOf(report: ActionReport | undefined, ruleId: string) {
  expect(report).toBeDefined();
  return report!.findings.filter((f) => f.ruleId === ruleId);
}

/** Text as a reader sees it: without the escapes a renderer adds (`\\_`, `@&#8203;`, zero-width characters). */
export const plain = (text: string) => text.replace(/&#8203;|[\u200b-\u200d\u2060\ufeff]|\\/g, '');

/** The `::error::` lines of a run's log (the step's failure and error annotations). */
export const errorLines = (run: BundledActionResult) =>
  run.stdout.split('\n').filter((l) => l.startsWith('::error'));

/** One line of the access diff that grants contractors AdministratorAccess in prod. */
export const CONTRACTORS_GAIN_ADMIN_PROD = /contractors\b[^\n]*\bAdministratorAccess\b[^\n]*\bprod\b/;
export const ALL_CLEAR = /grants and removes no access|All clear/i;

/** The verdict and the access diff a reviewer reads, in both the PR comment and the job summary. */
export function expectGrantShown(o: Outcome, also: RegExp[] = []): void {
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
export function outside(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'idc-guard-outside-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

export const CANARY = 'SECRETCANARY7f3a';
/** A declaration whose every value would show if it were read. */
export const CANARY_YAML = `kind: Groups
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
