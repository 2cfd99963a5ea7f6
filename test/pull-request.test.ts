/**
 * A pull request's check tells a pending change from drift (issue 14: base, head and live).
 * A generated organisation (40 groups, 4 permission sets, 5 accounts, 200 tuples) is seeded into the
 * local Identity Center with one assignment made in the console (base drift); its snapshot, read by the real
 * reader, is the live state. Each case runs the bundled Action on a pull_request event as the runner does, and
 * the same check through the CLI (`check --base`), which must give the same verdict.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scimIds, seedOrganisation, seedUser, type SeedSpec } from './aws/seed.js';
import { useIdcServer } from './aws/server.js';
import { runBundledAction } from './github/bundled-action.js';
import { FakeGitHub } from './github/fake-github.js';
import { git, pullRequestRepo, type FileSpec } from './github/pull-request-repo.js';
import { REPO_ROOT, runCli } from './helpers.js';

const ACCOUNTS = [1, 2, 3, 4, 5].map((i) => `10000000000${i}`);
const PERMISSION_SETS = ['ReadOnly', 'Developer', 'Operator', 'Billing'];
const team = (i: number) => `team-${String(i).padStart(2, '0')}`;
const TEAMS = Array.from({ length: 40 }, (_, i) => team(i));
const psOf = (i: number) => PERMISSION_SETS[i % PERMISSION_SETS.length];

const SPEC: SeedSpec = {
  users: TEAMS.map((t) => seedUser(`${t}-lead`)),
  groups: TEAMS.map((t) => ({ name: t, externalIds: scimIds(`g-${t}`), members: [`${t}-lead@example.com`] })),
  permissionSets: PERMISSION_SETS.map((name) => ({ name, sessionDuration: 'PT1H' })),
  assignments: [
    ...TEAMS.map((t, i) => ({ group: t, permissionSet: psOf(i), accounts: ACCOUNTS })),
    // Made in the console: drift on the base, before and without any pull request.
    { group: team(1), permissionSet: 'Billing', accounts: [ACCOUNTS[4]] },
  ],
};

const groupsYaml = (extra = '') =>
  `kind: Groups\ngroups:\n${TEAMS.map((t) => `  - name: ${t}\n    members:\n      users: [${t}-lead@example.com]\n`).join('')}${extra}`;
const permissionSetsYaml = PERMISSION_SETS.map(
  (name) => `kind: PermissionSet\nname: ${name}\nsessionDuration: PT1H\n`,
).join('---\n');
// Line 3 + 3 per entry: entry i starts at line 3 + 3i.
const assignmentsYaml = (extra = '', skip?: string) =>
  `kind: Assignments\nassignments:\n${TEAMS.filter((t) => t !== skip)
    .map(
      (t) =>
        `  - group: ${t}\n    permissionSet: ${psOf(TEAMS.indexOf(t))}\n    accounts: [${ACCOUNTS.map((a) => `"${a}"`).join(', ')}]\n`,
    )
    .join('')}${extra}`;

const idc = useIdcServer();
const github = new FakeGitHub();
let snapshot = '';
let base: Record<string, FileSpec> = {};
beforeAll(async () => {
  await github.start();
  const server = idc();
  await server.reset();
  const seeded = await seedOrganisation(server.endpoint, SPEC);
  base = {
    'identity/instance.yaml': `kind: IdentityCenter\ninstanceArn: ${seeded.instanceArn}\nidentityStoreId: ${seeded.identityStoreId}\nregion: us-east-1\n`,
    'identity/groups.yaml': groupsYaml(),
    'identity/permission-sets.yaml': permissionSetsYaml,
    'identity/assignments.yaml': assignmentsYaml(),
  };
  const root = pullRequestRepo({ base }).workspace;
  snapshot = join(mkdtempSync(join(tmpdir(), 'idc-guard-snapshot-')), 'snapshot.json');
  const out = await runCli([
    'snapshot',
    '--output',
    snapshot,
    '--root',
    root,
    '--requests-per-second',
    '1000',
  ]);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
}, 120_000);
afterAll(() => github.stop());
beforeEach(() => github.reset());

/** The bundled Action and `check --base main` on the same pull request. */
async function pullRequest(head: Record<string, FileSpec | null>, inputs: Record<string, string> = {}) {
  const pr = pullRequestRepo({ base, head });
  const run = await runBundledAction({
    workspace: pr.workspace,
    inputs: { live: snapshot, 'github-token': 't0ken', ...inputs },
    eventPath: pr.eventPath,
    eventName: 'pull_request',
    githubUrl: github.url,
  });
  expect(run.timedOut).toBe(false);
  const scope = inputs['fail-on-scope'] ? ['--fail-on-scope', inputs['fail-on-scope']] : [];
  const cli = await runCli(
    ['check', '--root', pr.workspace, '--live', snapshot, '--base', pr.baseSha, '--format', 'json', ...scope],
    pr.workspace,
  );
  const report = JSON.parse(cli.stdout) as {
    findings: { ruleId: string; file: string; line: number; scope?: string; suppressed: boolean }[];
  };
  const comment = github.comments.at(-1)?.body ?? '';
  if (process.env.PR_DEBUG) console.log(run.stdout, cli.stdout.slice(0, 3000), cli.stderr, comment);
  const of = (scope: string) =>
    report.findings.filter((f) => f.scope === scope).map((f) => [f.ruleId, f.file, f.line]);
  return { run, cli, report, comment, of, headSha: git(pr.workspace, 'rev-parse', 'HEAD') };
}

describe('a pull request on a generated organisation (40 groups, 200 tuples)', () => {
  it('one that only adds correct grants passes, and shows them as pending; the base drift is collapsed', async () => {
    const adds = `  - group: ${team(0)}\n    permissionSet: Developer\n    accounts: ["${ACCOUNTS[0]}", "${ACCOUNTS[1]}"]\n`;
    const { run, cli, comment, of } = await pullRequest({
      'identity/assignments.yaml': assignmentsYaml(adds),
    });
    expect(run.status).toBe(0);
    expect(cli.code).toBe(0);
    // The grants it adds are not live yet: IDC105, but pending, never failing.
    expect(of('pending')).toEqual([
      ['IDC105', 'identity/assignments.yaml', 125],
      ['IDC105', 'identity/assignments.yaml', 125],
    ]);
    expect(of('introduced')).toEqual([]);
    expect(of('baseDrift')).toEqual([['IDC106', 'identity/assignments.yaml', 6]]);
    expect(comment).toContain('✅ **May merge**');
    expect(comment).toContain(
      // Pending (applied on merge) is the default and goes unsaid; blocked or already live would be said.
      `- ➕ group \`${team(0)}\` gains \`Developer\` in ${ACCOUNTS[0]}`,
    );
    expect(comment).toMatch(/<details><summary>1 finding already drifted on the base branch/);
    expect(comment).not.toMatch(/\| 🔴 error \| IDC105/);
  });

  it('one that removes a grant passes: live still has it, pending removal, not "made in the console"', async () => {
    const { run, cli, comment, of } = await pullRequest({
      'identity/assignments.yaml': assignmentsYaml('', team(7)),
    });
    expect([run.status, cli.code]).toEqual([0, 0]);
    expect(of('pending').map((f) => f[0])).toEqual(Array(5).fill('IDC106'));
    expect(comment).toContain(`- ➖ group \`${team(7)}\` loses \`${psOf(7)}\` in `);
  });

  it('one that assigns a group missing from the identity store fails with IDC101 at that group', async () => {
    const {
      run,
      cli,
      of,
      comment,
      headSha: head,
    } = await pullRequest({
      'identity/groups.yaml': groupsYaml('  - name: team-ghost\n'),
      'identity/assignments.yaml': assignmentsYaml(
        `  - group: team-ghost\n    permissionSet: ReadOnly\n    accounts: ["${ACCOUNTS[0]}"]\n`,
      ),
    });
    expect([run.status, cli.code]).toEqual([1, 1]);
    expect(of('introduced')).toEqual([['IDC101', 'identity/groups.yaml', 123]]);
    expect(comment).toContain('❌ **Blocks merge**');
    expect(comment).toContain(
      '➕ group `team-ghost` gains `ReadOnly` in 100000000001 · blocked by IDC101: merging grants nothing until it is fixed',
    );
    // The finding's line opens at the PR's head commit (the event's, not the merge commit), and the rule at
    // its documentation for the running release; the header names the commit and the live read.
    expect(comment).toContain(`(https://github.com/o/r/blob/${head}/identity/groups.yaml#L123)`);
    expect(comment).toMatch(
      /\[IDC101\]\(https:\/\/github\.com\/idc-guard\/idc-guard\/blob\/v\d+\.\d+\.\d+\/docs\/rules\.md#idc101\)/,
    );
    expect(comment).toContain(`<sub>Checked \`${head.slice(0, 12)}\` · live state of`);
  });

  it('a grant to a group the base declares but the store lacks fails at the line of the new grant', async () => {
    const withGhost = { ...base, 'identity/groups.yaml': groupsYaml('  - name: team-ghost\n') };
    const pr = pullRequestRepo({
      base: withGhost,
      head: {
        'identity/assignments.yaml': assignmentsYaml(
          `  - group: team-ghost\n    permissionSet: ReadOnly\n    accounts: ["${ACCOUNTS[0]}"]\n`,
        ),
      },
    });
    const run = await runBundledAction({
      workspace: pr.workspace,
      inputs: { live: snapshot, 'github-token': 't0ken' },
      eventPath: pr.eventPath,
      eventName: 'pull_request',
      githubUrl: github.url,
    });
    expect(run.status).toBe(1);
    const found = (
      run.report!.findings as { ruleId: string; file: string; line: number; scope?: string }[]
    ).map((f) => [f.ruleId, f.file, f.line, f.scope]);
    expect(found).toContainEqual(['IDC101', 'identity/groups.yaml', 123, 'existing']);
    expect(found).toContainEqual(['IDC101', 'identity/assignments.yaml', 125, 'introduced']);
  });

  it('read live from AWS, it reads only what the change touches, and gives the same verdict', async () => {
    const adds = `  - group: ${team(0)}\n    permissionSet: Developer\n    accounts: ["${ACCOUNTS[0]}"]\n`;
    const pr = pullRequestRepo({ base, head: { 'identity/assignments.yaml': assignmentsYaml(adds) } });
    const run = await runBundledAction({
      workspace: pr.workspace,
      inputs: { live: 'aws', 'github-token': 't0ken' },
      eventPath: pr.eventPath,
      eventName: 'pull_request',
      githubUrl: github.url,
      env: idc().env,
      timeoutMs: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.report!.notices.map((n) => n.message)).toContainEqual(
      expect.stringMatching(
        /the principals the change touches \(1 group, 0 users, 2 permission sets\), \d+ API calls/,
      ),
    );
    // Forty groups are declared; one is read.
    expect(run.report!.stats.apiCalls).toBeLessThan(20);
    expect(github.comments.at(-1)?.body).toContain(
      // Pending (applied on merge) is the default and goes unsaid; blocked or already live would be said.
      `- ➕ group \`${team(0)}\` gains \`Developer\` in ${ACCOUNTS[0]}`,
    );
    expect(github.comments.at(-1)?.body).toContain(
      '_Live state was read for what this change touches (1 group, 0 users, 2 permission sets): base drift elsewhere is not looked for here',
    );
  }, 60_000);

  it('SARIF carries what the change introduces, as new; pending changes and base drift are no alert', async () => {
    const pr = pullRequestRepo({
      base,
      head: {
        'identity/groups.yaml': groupsYaml('  - name: team-ghost\n'),
        'identity/assignments.yaml': assignmentsYaml(
          `  - group: team-ghost\n    permissionSet: ReadOnly\n    accounts: ["${ACCOUNTS[0]}"]\n  - group: ${team(0)}\n    permissionSet: Developer\n    accounts: ["${ACCOUNTS[0]}"]\n`,
        ),
      },
    });
    const run = (scope: string) =>
      runCli(
        [
          'check',
          '--root',
          pr.workspace,
          '--live',
          snapshot,
          '--base',
          pr.baseSha,
          '--format',
          'sarif',
          '--fail-on-scope',
          scope,
        ],
        pr.workspace,
      ).then((out) =>
        JSON.parse(out.stdout).runs[0].results.map((r: { ruleId: string; baselineState: string }) => [
          r.ruleId,
          r.baselineState,
        ]),
      );
    expect(await run('introduced')).toEqual([['IDC101', 'new']]);
    expect(await run('all')).toEqual([
      ['IDC106', 'unchanged'],
      ['IDC101', 'new'],
    ]);
  });

  it('with fail-on-scope: all, the base drift fails the same pull request', async () => {
    const adds = `  - group: ${team(0)}\n    permissionSet: Developer\n    accounts: ["${ACCOUNTS[0]}"]\n`;
    const { run, cli } = await pullRequest(
      { 'identity/assignments.yaml': assignmentsYaml(adds) },
      { 'fail-on-scope': 'all' },
    );
    expect([run.status, cli.code]).toEqual([1, 1]);
  });
});

describe('a pull request on the example repository, with its snapshot', () => {
  it("a one-line grant passes: pending, not IDC105; the base's own findings are collapsed as existing", async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'idc-guard-acme-'));
    cpSync(join(REPO_ROOT, 'examples/acme'), workspace, { recursive: true });
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-qm', 'base');
    const baseSha = git(workspace, 'rev-parse', 'HEAD');
    const file = join(workspace, 'identity/assignments.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '    permissionSet: AdministratorAccess\n    accounts: [prod, dev]',
        '    permissionSet: AdministratorAccess\n    accounts: [prod, dev, audit]',
      ),
    );
    git(workspace, 'commit', '-qam', 'head');
    const out = await runCli(
      ['check', '--root', workspace, '--live', 'live/snapshot.json', '--base', baseSha, '--format', 'json'],
      workspace,
    );
    const report = JSON.parse(out.stdout) as { findings: { ruleId: string; line: number; scope: string }[] };
    expect(out.code).toBe(0);
    expect(report.findings.filter((f) => f.scope === 'introduced')).toEqual([]);
    expect(report.findings.filter((f) => f.scope === 'pending').map((f) => [f.ruleId, f.line])).toEqual([
      ['IDC105', 6],
    ]);
    expect(report.findings.filter((f) => f.scope === 'existing').length).toBeGreaterThan(5);
    const text = await runCli(
      ['check', '--root', workspace, '--live', 'live/snapshot.json', '--base', baseSha],
      workspace,
    );
    expect(text.stdout).toMatch(
      /^access changes \(pending: applied on merge\):\n {2}➕ group aws-platform-admins gains AdministratorAccess in audit \(012345678901\) \(pending: applied on merge\)\n/,
    );
  });
});
