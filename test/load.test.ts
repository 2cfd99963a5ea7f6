import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, makeRepo, where } from './helpers.js';

const GROUPS = 'kind: Groups\ngroups:\n  - name: a\n    members:\n      groups: [b]\n  - name: b\n';

describe('loading bad input', () => {
  it('reports malformed YAML at its line and still checks the other files', async () => {
    const root = makeRepo({
      'identity/bad.yaml': 'kind: Groups\ngroups:\n  - name: [unclosed\n',
      'identity/groups.yaml': GROUPS,
    });
    const { report, exitCode } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/bad.yaml', line: 4 },
      { ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 },
    ]);
    expect(report.findings[0].message).toMatch(/^invalid YAML: /);
    expect(exitCode).toBe(1);
  });

  it('reports a file cut off inside a flow collection on its last line, not past it (found by fuzzing)', async () => {
    const root = makeRepo({ 'identity/cut.yaml': 'kind: Groups\ngroups: [\n  { name: a },\n  { name: b' });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC001', file: 'identity/cut.yaml', line: 4 }]);
    expect(report.findings[0].message).toMatch(/^invalid YAML: unexpected end of the stream/);
  });

  it('keeps the findings of the next document when one document of a file is broken', async () => {
    const root = makeRepo({ 'identity/all.yaml': `kind: Groups\ngroups: [ {\n---\n${GROUPS}` });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/all.yaml', line: 3 },
      { ruleId: 'IDC005', file: 'identity/all.yaml', line: 8 },
    ]);
  });

  it('refuses duplicate keys', async () => {
    const root = makeRepo({ 'identity/g.yaml': 'kind: Groups\ngroups:\n  - name: a\n    name: b\n' });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC001', file: 'identity/g.yaml', line: 4 }]);
    expect(report.findings[0].message).toMatch(/duplicated mapping key/);
  });

  it('refuses an alias bomb quickly, without expanding it', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(',')}]`,
      );
    }
    const root = makeRepo({
      'identity/bomb.yaml': `kind: Groups\ngroups: []\n${levels.join('\n')}\n`,
      'identity/groups.yaml': GROUPS,
    });
    const started = Date.now();
    const { report } = await check(root);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/bomb.yaml', line: 1 },
      { ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 },
    ]);
    expect(report.findings[0].message).toMatch(/aliases expand this document/);
  });

  it('treats a __proto__ key as an unknown property and pollutes nothing', async () => {
    const root = makeRepo({
      'identity/g.yaml': 'kind: Groups\ngroups:\n  - name: a\n    __proto__: { polluted: yes }\n',
    });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC001', file: 'identity/g.yaml', line: 4 }]);
    expect(report.findings[0].message).toMatch(/unknown property "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a document without kind, an unknown kind and wrong types at their lines', async () => {
    const root = makeRepo({
      'identity/a.yaml':
        'groups: []\n---\nkind: Group\ngroups: []\n---\nkind: Groups\ngroups:\n  - name: 42\n',
    });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/a.yaml', line: 1 },
      { ruleId: 'IDC001', file: 'identity/a.yaml', line: 3 },
      { ruleId: 'IDC001', file: 'identity/a.yaml', line: 8 },
    ]);
    expect(report.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('has no `kind`'),
      expect.stringContaining('unknown kind "Group" (did you mean Groups?)'),
      expect.stringContaining('groups[0].name must be a string, not number "42"'),
    ]);
  });

  it('reports an 11-digit account, a 33-character permission set name and PT13H', async () => {
    const root = makeRepo({
      'identity/ps.yaml': `kind: PermissionSet\nname: ${'A'.repeat(33)}\nsessionDuration: PT13H\n`,
      'identity/as.yaml':
        'kind: Assignments\nassignments:\n  - group: g\n    permissionSet: P\n    accounts: ["12345678901"]\n',
    });
    const { report } = await check(root);
    const idc001 = report.findings.filter((f) => f.ruleId === 'IDC001');
    expect(where(idc001)).toEqual([
      { ruleId: 'IDC001', file: 'identity/as.yaml', line: 5 },
      { ruleId: 'IDC001', file: 'identity/ps.yaml', line: 2 },
      { ruleId: 'IDC001', file: 'identity/ps.yaml', line: 3 },
    ]);
    expect(idc001[0].column).toBe(16);
  });

  it("checks an entry's valid fields when one breaks its schema, and leaves the rejected one to IDC001", async () => {
    // carol's active is no boolean: her missing familyName is still IDC011's; dave's displayName is a
    // number, and IDC011 does not report it again as missing.
    const root = makeRepo({
      'identity/users.yaml':
        'kind: Users\nusers:\n  - userName: carol@example.com\n    displayName: Carol\n    givenName: Carol\n    email: carol@example.com\n    active: "yes"\n  - userName: dave@example.com\n    displayName: 42\n    givenName: Dave\n    familyName: D\n    email: dave@example.com\n',
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([
      ['IDC011', 3, 5],
      ['IDC001', 7, 13],
      ['IDC001', 9, 18],
    ]);
    expect(report.findings[0].message).toContain('missing familyName');
  });

  it('refuses binary files and files over the size cap, naming them', async () => {
    const root = makeRepo({
      'identity/blob.yaml': Buffer.from([0x6b, 0x00, 0xff, 0x01]),
      'identity/groups.yaml': GROUPS,
    });
    writeFileSync(join(root, 'identity/huge.yaml'), Buffer.alloc(50 * 1024 * 1024, 0x61));
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/blob.yaml', line: 1 },
      { ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 },
      { ruleId: 'IDC001', file: 'identity/huge.yaml', line: 1 },
    ]);
    expect(report.findings[0].message).toMatch(/binary/);
    expect(report.findings[2].message).toMatch(/52428800 bytes, over the limit/);
  });

  it('refuses nesting deeper than any declaration needs, without overflowing the stack', async () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const root = makeRepo({
      'identity/deep.yaml': `kind: Groups\ngroups: ${deep}\n`,
      'identity/groups.yaml': GROUPS,
    });
    const { report } = await check(root);
    expect(where(report.findings)).toEqual([
      { ruleId: 'IDC001', file: 'identity/deep.yaml', line: 2 },
      { ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 },
    ]);
    expect(report.findings[0].message).toMatch(/nest/);
  });

  it('reports an unreadable directory as a tool error and checks the rest', async () => {
    const root = makeRepo({ 'identity/groups.yaml': GROUPS });
    // Root can read any directory, so make one whose path is too long to open (ENAMETOOLONG) instead.
    const segment = 'd'.repeat(250);
    execFileSync('bash', [
      '-c',
      `cd "$1" && for i in $(seq 20); do mkdir ${segment} && cd ${segment}; done`,
      '_',
      join(root, 'identity'),
    ]);
    const { report, exitCode } = await check(root);
    expect(report.errors).toEqual([
      expect.objectContaining({
        source: 'filesystem',
        message: expect.stringMatching(/^cannot read directory identity\/d+.*ENAMETOOLONG$/),
      }),
    ]);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 }]);
    expect(exitCode).toBe(2);
  });

  it('keeps positions right with a byte-order mark and CRLF line endings', async () => {
    const root = makeRepo({ 'identity/groups.yaml': `\ufeff${GROUPS.replace(/\n/g, '\r\n')}` });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['IDC005', 5, 16]]);
  });

  it('refuses to pass a check of nothing: no file matches the include globs (a wrong --root) is a tool error', async () => {
    const { report, exitCode } = await check(makeRepo({ 'README.md': '# not identity' }));
    expect(report.errors).toEqual([
      {
        source: 'config',
        message: expect.stringMatching(
          /^no files match "identity\/\*\*\/\*\.\{yaml,yml,json\}" under .*; check --root/,
        ),
      },
    ]);
    expect(exitCode).toBe(2);
  });

  it('skips a JSON file that is neither a declaration nor referenced, with a notice naming it', async () => {
    const root = makeRepo({ 'identity/other.json': '{"hello": 1}', 'identity/groups.yaml': GROUPS });
    const { report } = await check(root);
    expect(report.notices).toEqual([
      { file: 'identity/other.json', message: expect.stringContaining('skipped identity/other.json') },
    ]);
    expect(where(report.findings)).toEqual([{ ruleId: 'IDC005', file: 'identity/groups.yaml', line: 5 }]);
  });

  it('reads a JSON declaration and points into it', async () => {
    const root = makeRepo({
      'identity/groups.json':
        '{\n  "kind": "Groups",\n  "groups": [\n    { "name": "a", "members": { "groups": ["b"] } },\n    { "name": "b" }\n  ]\n}\n',
    });
    const { report } = await check(root);
    expect(report.findings.map((f) => [f.ruleId, f.file, f.line, f.column])).toEqual([
      ['IDC005', 'identity/groups.json', 4, 44],
    ]);
  });
});

describe('resource bounds on one run', () => {
  it('reads at most params.maxFiles files, in path order, and says what it left out (exit 2)', async () => {
    const files: Record<string, string> = { '.idc-guard.yml': 'params: { maxFiles: 3 }\n' };
    for (let i = 0; i < 5; i++) files[`identity/g${i}.yaml`] = `kind: Groups\ngroups:\n  - name: g${i}\n`;
    const { report, exitCode } = await check(makeRepo(files));
    expect(report.stats.files).toBe(3);
    expect(report.errors.map((e) => e.message)).toEqual([
      '5 files match, more than params.maxFiles (3): the first 3 in path order were checked, the other 2 not; narrow include or raise params.maxFiles',
    ]);
    expect(exitCode).toBe(2);
  });

  it('lists at most params.maxFindings findings, the most severe, and counts them all', async () => {
    const root = makeRepo({
      '.idc-guard.yml': 'params: { maxFindings: 2 }\n',
      // Three groups nesting undeclared ones (IDC005, IDC002) and a 701-character description (IDC012): all errors.
      'identity/groups.yaml':
        'kind: Groups\ngroups:\n' +
        ['a', 'b', 'c'].map((n) => `  - name: ${n}\n    members:\n      groups: [x${n}]\n`).join(''),
      'identity/ps.yaml': 'kind: PermissionSet\nname: P\ndescription: "' + 'd'.repeat(701) + '"\n',
    });
    const { report, exitCode } = await check(root);
    expect(report.findings).toHaveLength(2);
    expect(report.findings.every((f) => f.severity === 'error')).toBe(true);
    expect(report.summary.error).toBeGreaterThan(2);
    expect(report.notices.map((n) => n.message)).toContain(
      `${report.summary.error - 2} of ${report.summary.error} findings are not listed (params.maxFindings is 2); the counts include them`,
    );
    expect(exitCode).toBe(1);
  });
});
