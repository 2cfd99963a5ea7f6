import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, makeRepo } from './helpers.js';

const PS = (inline: string): string => `kind: PermissionSet\nname: Admin\ninlinePolicy: ${inline}\n`;

describe('files a declaration points at', () => {
  it('refuses an inline policy reached through a symbolic link, and never quotes the target', async () => {
    const outside = join(tmpdir(), `idc-guard-secret-${process.pid}.json`);
    writeFileSync(outside, 'SECRET_TOKEN_123');
    const root = makeRepo({ 'identity/ps.yaml': PS('./policy.json') });
    symlinkSync(outside, join(root, 'identity/policy.json'));
    mkdirSync(join(root, 'identity/sub'));
    symlinkSync('/', join(root, 'identity/sub/root'));
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.line])).toEqual([['IDC012', 3]]);
    expect(report.findings[0].message).toMatch(/symbolic link, which idc-guard does not follow/);
    expect(JSON.stringify(report)).not.toContain('SECRET_TOKEN');
  });

  it('refuses an absolute inline policy path as outside the repository', async () => {
    const { report } = await check(makeRepo({ 'identity/ps.yaml': PS('/etc/hostname') }));
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('the path points outside the repository (/etc/hostname)'),
    ]);
  });

  it('reports a broken referenced policy once, as IDC012, not also as a broken declaration', async () => {
    const root = makeRepo({ 'identity/ps.yaml': PS('./p.json'), 'identity/p.json': '{ "Statement": [ }' });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IDC012', 'identity/ps.yaml', 3],
    ]);
  });

  it('enforces the 10,240 non-whitespace bytes of an inline policy', async () => {
    const statements = Array.from({ length: 120 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::bucket-${i}/*`],
    }));
    const root = makeRepo({
      'identity/ps.yaml': PS('./p.json'),
      'identity/p.json': JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/bytes of non-whitespace characters; Identity Center accepts at most 10240/),
    ]);
  });
});

describe('strictness', () => {
  it('reads .json files as JSON, not as YAML that looks like it', async () => {
    const root = makeRepo({ 'identity/g.json': '{"kind": "Groups", "groups": [],}' });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column, f.message])).toEqual([
      ['IDC001', 1, 33, 'invalid JSON: Expected double-quoted property name'],
    ]);
  });

  it('reports a second IdentityCenter document', async () => {
    const ic = 'kind: IdentityCenter\nregion: us-east-1\n';
    const { report } = await check(makeRepo({ 'identity/a.yaml': ic, 'identity/b.yaml': `${ic}---\n${ic}` }));
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IDC001', 'identity/b.yaml', 1],
      ['IDC001', 'identity/b.yaml', 4],
    ]);
  });

  it('suggests names by what tells them apart, not by a shared email domain', async () => {
    const root = makeRepo({
      'identity/u.yaml':
        'kind: Users\nusers:\n  - { userName: alice@example.com, displayName: A, givenName: A, familyName: L, email: alice@example.com }\n',
      'identity/a.yaml':
        'kind: Assignments\nassignments:\n  - { user: bob@example.com, permissionSet: P, accounts: ["111111111111"] }\n  - { user: alise@example.com, permissionSet: P, accounts: ["111111111111"] }\n',
      'identity/p.yaml': 'kind: PermissionSet\nname: P\n',
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.not.stringContaining('did you mean'),
      expect.stringContaining('(did you mean "alice@example.com"?)'),
    ]);
  });
});

describe('IdP expressions and exports', () => {
  const mapping = (idp: string, rows: string): Record<string, string> => ({
    'identity/m.yaml': `kind: AttributeMapping\nidp: ${idp}\nmappings:\n  - { target: userName, source: ${idp === 'okta' ? 'user.login' : 'userPrincipalName'} }\n  - { target: name.givenName, source: ${idp === 'okta' ? 'user.firstName' : 'displayName'} }\n  - { target: name.familyName, source: ${idp === 'okta' ? 'user.lastName' : 'displayName'} }\n${rows}`,
  });

  it('knows a literal fallback in Okta makes a value non-empty', async () => {
    const rows = `  - { target: displayName, expression: 'user.displayName != null ? user.displayName : "Unknown"' }\n  - { target: 'emails[type eq "work"].value', source: user.email }\n`;
    expect((await check(makeRepo(mapping('okta', rows)))).report.findings).toEqual([]);
  });

  it('reads nested Entra expressions and constants without parameters', async () => {
    const rows = `  - { target: displayName, expression: 'ToLower(Coalesce([mail], [userPrincipalName]), )' }\n  - { target: 'emails[type eq "work"].value', expression: 'Coalesce([mail], "noreply@example.com")' }\n`;
    expect((await check(makeRepo(mapping('entra', rows)))).report.findings).toEqual([]);
  });

  it('reads pathological Entra expressions in linear time', async () => {
    const rows = `  - { target: displayName, expression: '${'['.repeat(200_000)}' }\n  - { target: 'emails[type eq "work"].value', expression: '${'a'.repeat(200_000)}(' }\n`;
    const started = performance.now();
    await check(makeRepo(mapping('entra', rows)));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  const assignments = (resource: string, rows: [string, string][]): string =>
    JSON.stringify({
      '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('x')/appRoleAssignedTo",
      value: rows.map(([id, role]) => ({
        principalDisplayName: 'aws-admins',
        principalId: id,
        principalType: 'Group',
        appRoleId: role,
        resourceDisplayName: resource,
      })),
    });

  it('treats one group under two app roles as one group, not a duplicate', async () => {
    const root = makeRepo({
      'identity/app.json': assignments('AWS IAM Identity Center', [
        ['g1', 'r1'],
        ['g1', 'r2'],
      ]),
    });
    expect((await check(root)).report.findings).toEqual([]);
  });

  it("refuses another app's assignments instead of taking its groups as in scope", async () => {
    const root = makeRepo({ 'identity/app.json': assignments('Slack', [['g1', 'r1']]) });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['IDC001', expect.stringContaining('another app ("Slack", named in resourceDisplayName)')],
    ]);
  });
});
