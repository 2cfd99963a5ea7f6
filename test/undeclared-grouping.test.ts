import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileRows } from '../src/action/findings-table.js';
import { builtinCatalogue } from '../src/rules/catalogue.js';
import { FIXTURES, makeRepo, REPO_ROOT } from './helpers.js';

/**
 * Console drift at scale (issue #18: 604 undeclared assignments were 606 lines, most at instance.yaml 2:1):
 * each live assignment stays one finding (baselines and pull requests compare them one by one), and the
 * terminal shows one entry per principal, where its access is declared, with how many and which.
 */
const CASE = join(FIXTURES, 'rules', 'IDC106', 'fail');
const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd';
const ACCOUNTS = Array.from({ length: 30 }, (_, i) => `${500000000000 + i}`);

function repoWithConsoleDrift(): string {
  const files: Record<string, string> = {};
  for (const name of readdirSync(join(CASE, 'identity')))
    files[`identity/${name}`] = readFileSync(join(CASE, 'identity', name), 'utf8');
  const root = makeRepo(files);
  const snapshot = JSON.parse(readFileSync(join(CASE, 'snapshot.json'), 'utf8'));
  for (const accountId of ACCOUNTS) {
    const [first] = snapshot.organization.accounts;
    snapshot.organization.accounts.push({ ...first, id: accountId, name: `Workload ${accountId}` });
    snapshot.assignments.push({
      accountId,
      permissionSetArn: ADMIN,
      principalType: 'GROUP',
      principalId: 'g-devs',
    });
  }
  writeFileSync(join(root, 'snapshot.json'), JSON.stringify(snapshot));
  return root;
}

const cli = (root: string, ...args: string[]) =>
  spawnSync(
    process.execPath,
    [
      join(REPO_ROOT, 'dist', 'cli.js'),
      'check',
      '--root',
      root,
      '--live',
      join(root, 'snapshot.json'),
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, IDC_GUARD_NOW: '2026-11-23' },
    },
  );

describe('undeclared live assignments, many per principal', () => {
  const root = repoWithConsoleDrift();

  it('are one entry per principal at its declared assignment, saying how many and which', () => {
    const run = cli(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    const entries = lines.filter((l) => / IDC106 /.test(l));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe(
      '  3:5      error   IDC106  group "admins" has "Admin" in 333333333333 in Identity Center, but no ' +
        'declaration grants it (made in the console?): declare it in an Assignments document, or remove it in ' +
        'Identity Center',
    );
    expect(entries[1]).toMatch(
      /^ {2}6:5 {6}error {3}IDC106 {2}group "devs" has assignments in Identity Center that no declaration grants \(made in the console\?\): declare them in an Assignments document, or remove them in Identity Center \(30\): "Admin" in 500000000000; "Admin" in 500000000001; /,
    );
    expect(entries[1]).toMatch(/"Admin" in 500000000019; and 10 more \(`--format json` lists each\)$/);
    expect(lines[lines.indexOf(entries[0]) - 1]).toBe('identity/assignments.yaml');
    // The count is of findings, as the JSON and the exit code have them.
    expect(run.stdout).toContain('✖ 31 problems (31 errors, 0 warnings, 0 notices)');
  });

  it('stay one finding each in JSON, each carrying its group', () => {
    const report = JSON.parse(cli(root, '--format', 'json').stdout);
    const devs = report.findings.filter((f: { group?: { heading: string } }) =>
      f.group?.heading.startsWith('group "devs"'),
    );
    expect(devs).toHaveLength(30);
    expect(new Set(devs.map((f: { fingerprint: string }) => f.fingerprint)).size).toBe(30);
    expect(
      devs.every(
        (f: { file: string; line: number }) => f.file === 'identity/assignments.yaml' && f.line === 6,
      ),
    ).toBe(true);
  });

  it("are one row per principal in the PR comment's findings table", () => {
    const report = JSON.parse(cli(root, '--format', 'json').stdout);
    const [file] = fileRows(report.findings, builtinCatalogue(), undefined);
    expect(file.rows.map((r) => r.findings)).toEqual([1, 30]);
    expect(file.rows[1].markdown).toContain('(30): "Admin" in 500000000000;');
    expect(file.rows[1].markdown).toMatch(/and 20 more \|$/);
  });
});
