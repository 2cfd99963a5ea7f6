import { join } from 'node:path';
import { check, REPO_ROOT } from './helpers.js';

describe('examples/acme', () => {
  it('reports the problems the example is built to show, at their lines, from YAML and the Entra exports', async () => {
    const { report, exitCode } = await check(join(REPO_ROOT, 'examples', 'acme'));
    expect(
      report.findings.map((f) => [f.ruleId, f.severity, f.file, f.line, f.column, f.suppressed]),
    ).toEqual([
      ['IDC010', 'error', 'identity/assignments.yaml', 15, 12, false],
      ['IDC006', 'error', 'identity/entra/provisioning-schema.json', 34, 11, false],
      ['IDC006', 'notice', 'identity/entra/provisioning-schema.json', 119, 13, false],
      ['IDC006', 'notice', 'identity/entra/provisioning-schema.json', 147, 13, false],
      ['IDC007', 'error', 'identity/entra/provisioning-schema.json', 226, 13, false],
      ['IDC005', 'error', 'identity/groups.yaml', 8, 16, false],
      ['IDC009', 'warning', 'identity/instance.yaml', 9, 17, false],
      // The example's team policy (examples/acme/policies/session-length.yaml), at the value it objects to.
      ['ACME-001', 'warning', 'identity/permission-sets/developer.yaml', 4, 18, false],
      ['IDC011', 'error', 'identity/users.yaml', 15, 5, true],
    ]);
    expect(report.summary).toEqual({ error: 4, warning: 2, notice: 2, suppressed: 1 });
    expect(report.errors).toEqual([]);
    // The example's OU target needs the organization, which only live state has.
    expect(report.notices.map((n) => n.message)).toEqual([
      'assignments to OUs, account tags, the root or account names are unresolved (no live state): the root is taken as every declared account, and an OU, tag or name target is checked as if it granted each declared account ("may grant")',
    ]);
    expect(exitCode).toBe(1);
  });
});
