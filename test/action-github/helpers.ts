/**
 * What the tests of the Action's GitHub side share (test/action-github-*.test.ts): a loopback GitHub and the
 * context and client that point at it, reports and an access diff to publish, and a pull request's repository
 * whose head grants admin.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessDiff } from '../../src/pull-request/access-diff.js';
import type { GitHubContext } from '../../src/action/context.js';
import { makeOctokit } from '../../src/action/octokit.js';
import type { ActionInputs } from '../../src/action/inputs.js';
import { git, makeRepo, fakeFinding, fakeReport } from '../helpers.js';
import { FakeGitHub } from '../github/fake-github.js';

/** The loopback GitHub the tests talk to; each test file starts it with `useFakeGitHub(github)`. */
export const github = new FakeGitHub();

export const context = (pr = true): GitHubContext => ({
  owner: 'o',
  repo: 'r',
  apiUrl: github.url,
  webUrl: 'https://github.com/o/r',
  runUrl: 'https://github.com/o/r/actions/runs/42',
  pullRequest: pr
    ? { number: 1, baseSha: 'a'.repeat(40), fromFork: false, publicRepository: true }
    : undefined,
});
export const octokit = () => makeOctokit('t0ken', context());

export const finding = fakeFinding;

export const reportOf = fakeReport;

export const ADMIN_DIFF: AccessDiff = {
  added: [
    {
      principalType: 'group',
      principal: 'aws-data-eng',
      permissionSet: 'AdministratorAccess',
      accountId: '111111111111',
      accountAlias: 'prod',
    },
  ],
  removed: [
    { principalType: 'user', principal: 'bob', permissionSet: 'ReadOnly', accountId: '222222222222' },
  ],
};

export function assignments(rows: [string, string, string][]): string {
  if (rows.length === 0) return 'kind: Assignments\nassignments: []\n';
  return `kind: Assignments\nassignments:\n${rows
    .map(([g, ps, acct]) => `  - group: ${g}\n    permissionSet: ${ps}\n    accounts: [${acct}]\n`)
    .join('')}`;
}

export function inputsFor(root: string, overrides: Partial<ActionInputs> = {}): ActionInputs {
  return {
    root,
    pathPrefix: '',
    live: 'off',
    mode: 'check',
    failOn: 'error',
    failOnScope: 'introduced',
    comment: true,
    githubToken: 't0ken',
    driftIssue: true,
    ...overrides,
  };
}

export const INSTANCE =
  'kind: IdentityCenter\ninstanceArn: arn:aws:sso:::instance/ssoins-1\nidentityStoreId: d-1\naccounts:\n  prod: "111111111111"\n';

/**
 * A git repository whose base commit declares no grant (and `baseFiles`), and whose working tree (the PR head)
 * grants admin.
 */
export function prRepo(baseFiles: Record<string, string> = {}): {
  workspace: string;
  baseSha: string;
  eventPath: string;
} {
  const workspace = makeRepo({
    'iam/identity/instance.yaml': INSTANCE,
    'iam/identity/assignments.yaml': assignments([]),
    ...baseFiles,
  });
  git(workspace, 'init', '-q');
  git(workspace, 'add', '.');
  git(workspace, 'commit', '-qm', 'base');
  const baseSha = git(workspace, 'rev-parse', 'HEAD');
  writeFileSync(
    join(workspace, 'iam/identity/assignments.yaml'),
    assignments([['aws-data-eng', 'AdministratorAccess', 'prod']]),
  );
  const eventPath = join(mkdtempSync(join(tmpdir(), 'idc-guard-event-')), 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        base: { sha: baseSha, ref: 'main', repo: { full_name: 'o/r' } },
        head: { sha: 'f'.repeat(40), ref: 'feature', repo: { full_name: 'o/r' } },
      },
    }),
  );
  return { workspace, baseSha, eventPath };
}
