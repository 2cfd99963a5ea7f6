import { join } from 'node:path';
import { check, REPO_ROOT, where } from './helpers.js';

describe('examples/acme', () => {
  it('reports the problems the example is built to show, at their lines', async () => {
    const { report, exitCode } = await check(join(REPO_ROOT, 'examples', 'acme'));
    expect(where(report.findings.filter((f) => !f.suppressed))).toEqual([
      { ruleId: 'IDC010', file: 'identity/assignments.yaml', line: 13 },
      { ruleId: 'IDC006', file: 'identity/entra-mapping.yaml', line: 6 },
      { ruleId: 'IDC007', file: 'identity/entra-mapping.yaml', line: 11 },
      { ruleId: 'IDC005', file: 'identity/groups.yaml', line: 8 },
      { ruleId: 'IDC009', file: 'identity/instance.yaml', line: 9 },
    ]);
    expect(report.summary).toEqual({ error: 4, warning: 1, notice: 0, suppressed: 1 });
    expect(exitCode).toBe(1);
  });
});
