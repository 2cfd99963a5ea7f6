import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { check, makeRepo, runCli } from './helpers.js';
import { RULE_FIXTURES } from './rule-cases.js';

// The live rules' cases are folders under test/fixtures/rules/IDC1nn/ (test/rule-fixtures.test.ts); these are
// the snapshot's own checks, and init --from-live.

describe('a live snapshot', () => {
  it('refuses a snapshot that breaks its schema with one line naming file and line (exit 2)', async () => {
    const root = makeRepo({ 'snap.json': '{\n  "version": 1,\n  "readAt": "x"\n}\n' });
    cpSync(join(RULE_FIXTURES, 'IDC101', 'pass', 'identity'), join(root, 'identity'), { recursive: true });
    const { code, stdout } = await runCli(['check', '--root', root, '--live', join(root, 'snap.json')]);
    expect(code).toBe(2);
    expect(stdout).toMatch(
      /error: snapshot snap\.json:1:1: \(document\) is missing the required property "instance"/,
    );
  });
});

describe('idc-guard init --from-live', () => {
  it('writes declarations that a check against the same live state finds no drift in', async () => {
    const out = makeRepo({});
    const snapshot = join(process.cwd(), 'examples', 'acme', 'live', 'snapshot.json');
    const written = await runCli(['init', '--from-live', '--live', snapshot, '--out', out]);
    expect(written).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        /^wrote 8 files to .* from the live state read at 2026-11-22T02:00:00.000Z\n$/,
      ),
      stderr: '',
    });
    const { report } = await check(out, { live: snapshot });
    const drift = report.findings.filter((f) => ['IDC105', 'IDC106', 'IDC107', 'IDC110'].includes(f.ruleId));
    expect(drift).toEqual([]);
    // What remains are live problems that no declaration can fix: an orphaned assignment, an empty group, and so on.
    expect([...new Set(report.findings.map((f) => f.ruleId))].sort()).toEqual([
      'IDC011',
      'IDC103',
      'IDC104',
      'IDC108',
      'IDC109',
    ]);
    // The only static finding is the written Users document telling the truth about a live user who lacks
    // a required attribute (IDC104 reports the same user live).
    expect(report.findings.filter((f) => f.ruleId.startsWith('IDC0')).map((f) => [f.ruleId, f.file])).toEqual(
      [['IDC011', 'identity/users.yaml']],
    );
  });

  it('never overwrites declarations unless asked to', async () => {
    const out = makeRepo({ 'identity/groups.yaml': 'kind: Groups\ngroups: []\n' });
    const snapshot = join(process.cwd(), 'examples', 'acme', 'live', 'snapshot.json');
    const { code, stderr } = await runCli(['init', '--from-live', '--live', snapshot, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/identity\/groups\.yaml already exists in .*; use --force to overwrite/);
  });
});
