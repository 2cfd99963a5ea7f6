/**
 * Issue 13: inputs whose cost grew faster than their size, and single files that crashed the whole check,
 * run through the bundled CLI as a user would (`node dist/cli.js check ... --format json`). Each must end
 * within 10 s with its exit code, the finding it deserves (rule, file, line) and no stack trace.
 * The slow inputs are sized to show the bug on the code before the fix (minutes, or a crash).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aliasedDocuments, badEntries, deepEntraExpression, undeclaredReferences } from '../bench/hostile.js';
import type { Report } from '../src/findings/report.js';
import { makeRepo, REPO_ROOT } from './helpers.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const LIMIT_MS = 10_000;

interface Run {
  code: number | null;
  report: Report;
  stderr: string;
  ms: number;
}

/** `node dist/cli.js check --root <root> --format json [...]`, killed at the limit. */
function checkCli(root: string, args: string[] = ['--live', 'off']): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'check', '--root', root, '--format', 'json', ...args], {
      env: { PATH: process.env.PATH, IDC_GUARD_NOW: '2026-11-23' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS + 5_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      try {
        resolve({ code, report: JSON.parse(stdout) as Report, stderr, ms });
      } catch {
        reject(new Error(`no JSON report (exit ${code}, ${Math.round(ms)} ms): ${stderr.slice(0, 500)}`));
      }
    });
  });
}

/** What every run must satisfy: in time, no stack trace, no tool error. */
function expectClean(run: Run): void {
  expect(run.ms).toBeLessThan(LIMIT_MS);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(run.report.errors).toEqual([]);
}

const at = (run: Run, ruleId?: string) =>
  run.report.findings
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => [f.ruleId, f.file, f.line]);

describe('work bounded per run', () => {
  it('16,000 undeclared references: one IDC002 each, suggestions within a budget', async () => {
    const { files, expect: want } = undeclaredReferences(16_000);
    const run = await checkCli(makeRepo(files));
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.report.summary.error).toBe(want.count);
    // Listed up to maxFindings (10,000), in file order, one per line from the first reference on.
    const listed = at(run);
    expect(listed).toHaveLength(10_000);
    expect(listed.slice(0, 2)).toEqual([
      [want.ruleId, want.file, want.firstLine],
      [want.ruleId, want.file, want.firstLine + 1],
    ]);
    // The first references still get their suggestion; those after the budget get none.
    expect(run.report.findings[0].message).toMatch(/\(did you mean "aws-team-\w{7}-admins"\?\)/);
  });

  it('400 aliased documents: 11 admitted, then one IDC001 per document at its line', async () => {
    const { files, expect: want } = aliasedDocuments(400);
    const run = await checkCli(makeRepo(files));
    expectClean(run);
    expect(run.code).toBe(1);
    expect(at(run)).toEqual(want.refusedLines.map((line) => [want.ruleId, want.file, line]));
    expect(run.report.findings[0].message).toMatch(
      /^aliases expand this document by 9000 nodes, and the documents read before it have used up what aliases may add to one check \(100000 nodes in all\)/,
    );
  });

  it('400 aliased documents of bad members: the findings of 11 documents, not of 400', async () => {
    const { files, expect: want } = aliasedDocuments(400, { bad: true });
    const run = await checkCli(makeRepo(files));
    expectClean(run);
    expect(run.code).toBe(1);
    // 11 documents × 46 groups × 100 members, plus one IDC001 for each refused document.
    expect(run.report.summary.error).toBe(11 * 46 * 100 + want.refusedLines.length);
    expect(at(run).slice(0, 1)).toEqual([['IDC001', want.file, 3]]);
  });

  it('20,000 assignments without a target: one IDC001 each, past maxFindings', async () => {
    const { files, expect: want } = badEntries(20_000);
    const run = await checkCli(makeRepo(files));
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.report.summary.error).toBe(want.count);
    expect(at(run).slice(0, 2)).toEqual([
      [want.ruleId, want.file, want.firstLine],
      [want.ruleId, want.file, want.firstLine + 1],
    ]);
    expect(run.report.notices.map((n) => n.message)).toContain(
      '10000 of 20000 findings are not listed (params.maxFindings is 10000); the counts include them',
    );
  });

  it('60,000 groups with an unknown property: one IDC001 each', async () => {
    const { files, expect: want } = badEntries(60_000, 'groups');
    const run = await checkCli(makeRepo(files));
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.report.summary.error).toBe(want.count);
    expect(at(run).slice(0, 1)).toEqual([[want.ruleId, want.file, want.firstLine]]);
  });
});

/** The "may be empty" hints are off by default; these tests judge a mapping by them, so they turn them on. */
const MAY_BE_EMPTY_ON = 'params:\n  reportMayBeEmptySources: true\n';

describe('one file never crashes the check', () => {
  it('an Entra expression nested 8,000 calls deep is read, and judged at its line', async () => {
    const { files, expect: want } = deepEntraExpression(8_000);
    const run = await checkCli(makeRepo({ ...files, '.idc-guard.yml': MAY_BE_EMPTY_ON }));
    expectClean(run);
    expect(run.code).toBe(0); // a notice
    expect(at(run)).toEqual([[want.ruleId, want.file, want.line]]);
  });

  it('an Entra provisioning schema whose expression nests 8,000 calls is read', async () => {
    const deep = `${'ToLower('.repeat(8_000)}[mail]${')'.repeat(8_000)}`;
    const mapping = (target: string, source: Record<string, unknown>) => ({
      targetAttributeName: target,
      source: { parameters: [], ...source },
      flowType: 'Always',
      matchingPriority: 0,
    });
    const schema = {
      synchronizationRules: [
        {
          targetDirectoryName: 'AWS IAM Identity Center',
          objectMappings: [
            {
              enabled: true,
              targetObjectName: 'User',
              attributeMappings: [
                mapping('userName', { type: 'Attribute', name: 'userPrincipalName' }),
                mapping('displayName', { type: 'Function', name: 'ToLower', expression: deep }),
                mapping('name.givenName', { type: 'Attribute', name: 'displayName' }),
                mapping('name.familyName', { type: 'Attribute', name: 'displayName' }),
                mapping('emails[type eq "work"].value', { type: 'Attribute', name: 'userPrincipalName' }),
              ],
            },
          ],
        },
      ],
    };
    const run = await checkCli(
      makeRepo({ 'identity/entra.json': JSON.stringify(schema, null, 2), '.idc-guard.yml': MAY_BE_EMPTY_ON }),
    );
    expectClean(run);
    expect(run.code).toBe(0);
    // [mail] may be empty: IDC006 at the displayName mapping (its line in the pretty-printed JSON).
    expect(at(run)).toEqual([['IDC006', 'identity/entra.json', 20]]);
  });

  it('an Okta mapping with properties named constructor, toString and __proto__ is read', async () => {
    const property = (expression: string) => ({ expression, pushStatus: 'PUSH' });
    const export_ = {
      id: 'prm1',
      source: { id: 'o1', name: 'user', type: 'user' },
      target: { id: 'o2', name: 'amazon_aws_sso', type: 'appuser' },
      properties: {
        userName: property('user.login'),
        displayName: property('user.displayName'),
        givenName: property('user.firstName'),
        familyName: property('user.lastName'),
        email: property('user.email'),
        constructor: property('user.email'),
        toString: property('user.email'),
      },
    };
    const text = JSON.stringify(export_, null, 2).replace(
      '"toString"',
      '"__proto__": { "expression": "user.email" },\n    "toString"',
    );
    const run = await checkCli(makeRepo({ 'identity/okta.json': text, '.idc-guard.yml': MAY_BE_EMPTY_ON }));
    expectClean(run);
    expect(run.code).toBe(0);
    // The only finding is the usual one: displayName has no fallback (line 18).
    expect(at(run)).toEqual([['IDC006', 'identity/okta.json', 18]]);
  });
});

describe('no name from a file or a snapshot reaches Object.prototype', () => {
  const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111222233334444';
  const ADMIN = 'arn:aws:sso:::permissionSet/ssoins-1111222233334444/ps-aaaabbbbccccdddd';
  const declarations = (assignment: string) => ({
    'identity/ic.yaml': `kind: IdentityCenter\ninstanceArn: ${INSTANCE}\nidentityStoreId: d-1234567890\nregion: us-east-1\n`,
    'identity/groups.yaml': 'kind: Groups\ngroups:\n  - name: admins\n',
    'identity/ps.yaml': 'kind: PermissionSet\nname: Admin\n',
    'identity/assignments.yaml': `kind: Assignments\nassignments:\n  - group: admins\n    permissionSet: Admin\n${assignment}`,
  });
  const snapshot = (extra: object) => ({
    version: 1,
    readAt: '2026-11-22T00:00:00.000Z',
    instance: { instanceArn: INSTANCE, identityStoreId: 'd-1234567890', region: 'us-east-1' },
    groups: [
      {
        groupId: 'g-admins',
        displayName: 'admins',
        externalIds: [{ issuer: 'https://scim.us-east-1.amazonaws.com/t/scim/v2', id: 'e1' }],
        memberUserIds: [],
      },
    ],
    users: [],
    permissionSets: [
      {
        arn: ADMIN,
        name: 'Admin',
        managedPolicies: [],
        customerManagedPolicies: [],
        tags: {},
        provisionedAccounts: [{ accountId: '111111111111', current: true }],
      },
    ],
    assignments: [
      { accountId: '111111111111', permissionSetArn: ADMIN, principalType: 'GROUP', principalId: 'g-admins' },
    ],
    complete: { groups: true, users: true, memberships: true, permissionSets: true, assignments: 'all' },
    failures: [],
    apiCalls: {},
    ...extra,
  });
  const withSnapshot = (files: Record<string, string>, state: object) => {
    const root = makeRepo(files);
    writeFileSync(join(root, 'snapshot.json'), JSON.stringify(state));
    return checkCli(root, ['--live', join(root, 'snapshot.json')]);
  };

  it('a live assignment of a permission set whose ARN is "constructor" is named by its ARN', async () => {
    const state = snapshot({}) as ReturnType<typeof snapshot> & { assignments: object[] };
    state.assignments.push({
      accountId: '111111111111',
      permissionSetArn: 'constructor',
      principalType: 'GROUP',
      principalId: 'g-admins',
    });
    const run = await withSnapshot(declarations('    accounts: ["111111111111"]\n'), {
      ...state,
      permissionSetNames: { [`${ADMIN}x`]: 'Other' },
    });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(at(run, 'IDC106')).toEqual([['IDC106', 'identity/assignments.yaml', 3]]);
    const message = run.report.findings.find((f) => f.ruleId === 'IDC106')!.message;
    expect(message).toContain('has "constructor" in 111111111111');
    expect(JSON.stringify(run.report)).not.toContain('native code');
  });

  it('accountTags {__proto__: x} matches the accounts tagged so (none), not every account', async () => {
    const organization = {
      id: 'o-abcd123456',
      managementAccountId: '999999999999',
      rootId: 'r-ab12',
      organizationalUnits: [],
      accounts: [
        { id: '111111111111', name: 'prod', status: 'ACTIVE', parentId: 'r-ab12', tags: { env: 'prod' } },
        { id: '222222222222', name: 'dev', status: 'ACTIVE', parentId: 'r-ab12', tags: { env: 'dev' } },
      ],
    };
    const state = snapshot({ organization });
    (state.complete as Record<string, unknown>).organization = true;
    const run = await withSnapshot(declarations('    accountTags: { __proto__: x }\n'), state);
    expectClean(run);
    expect(run.code).toBe(1);
    // It names nothing in the organization (IDC111 at accountTags), so it grants nothing: the live
    // assignment in 111111111111 is undeclared (IDC106), and nothing is "missing live" (IDC105) in
    // 222222222222. (The group's having no members, IDC103, is beside the point.)
    const targets = at(run).filter(([rule]) => rule !== 'IDC103');
    expect(targets.sort()).toEqual([
      ['IDC106', 'identity/assignments.yaml', 3],
      ['IDC111', 'identity/assignments.yaml', 5],
    ]);
    expect(run.report.findings.find((f) => f.ruleId === 'IDC111')!.message).toContain(
      'an account tagged __proto__=x, which the organization does not have',
    );
  });
});
