/**
 * The Action's job summary: escaped, complete, and under GitHub's 1 MiB limit.
 */
import { renderedProblems } from './gfm.js';
import { renderSummary, SUMMARY_LIMIT_BYTES, type SummaryContext } from '../src/action/summary.js';
import type { Severity } from '../src/findings/types.js';
import { HOSTILE, finding, reportOf, many } from './action/helpers.js';

describe('job summary', () => {
  const context: SummaryContext = {
    pathPrefix: 'examples/acme/',
    mode: 'check',
    failOn: 'error',
    exitCode: 1,
    sarif: false,
  };

  it('escapes every value from files and AWS, and keeps each table row to its four columns', () => {
    const findings = HOSTILE.map((name) =>
      finding('warning', { message: `group "${name}" is nested`, file: `${name}.yaml`, ruleId: 'IDC005' }),
    );
    const { markdown, cut } = renderSummary(
      reportOf(findings, { errors: [{ source: 'aws', message: '<b>@org</b> denied' }] }),
      { ...context, exitCode: 2 },
    );
    expect(cut).toBe(0);
    expect(renderedProblems(markdown)).toEqual([]);
    expect(markdown).toContain('&lt;img src=x onerror=1&gt;');
    expect(markdown).toContain('`@org/team`');
    expect(markdown).toContain('- &lt;b&gt;`@org`&lt;/b&gt; denied');
    const rows = markdown.split('\n').filter((l) => l.startsWith('| 🟠'));
    expect(rows).toHaveLength(HOSTILE.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(markdown).toContain('⚠️ **Incomplete**: 1 tool error');
  });

  it('shows accepted findings folded away, the AWS reads, and drift in drift mode', () => {
    const findings = [
      finding('error', { ruleId: 'IDC106' }),
      finding('notice', { suppressed: true, suppression: { kind: 'inline', reason: 'ticket #12 @ops' } }),
    ];
    const stats = {
      files: 3,
      apiCalls: 7,
      apiCallsByOperation: { ListGroups: 2, ListAccountAssignments: 5 },
      durationMs: 1,
    };
    const { markdown } = renderSummary(reportOf(findings, { stats }), { ...context, mode: 'drift' });
    expect(markdown).toContain(
      '1 error, 0 warnings, 0 notices, 1 suppressed in 3 files; mode `drift`: **drift found**.',
    );
    expect(markdown).toContain('<details><summary>1 suppressed finding</summary>');
    expect(markdown).toContain('| inline: ticket `#12` `@ops` |');
    expect(markdown).toContain(
      '7 API calls to Identity Center and the identity store:\n\n| Operation | Calls |\n|---|---:|\n| ListAccountAssignments | 5 |\n| ListGroups | 2 |\n',
    );
  });

  it('stays under its limit by cutting accepted findings, then notices, then the least severe findings', () => {
    const long = 'x'.repeat(300);
    const findings = [
      ...many(200, 'notice'),
      ...many(200, 'error'),
      ...many(200, 'warning'),
      ...Array.from({ length: 50 }, () =>
        finding('error', { suppressed: true, suppression: { kind: 'baseline' } }),
      ),
    ].map((f) => ({ ...f, message: `${f.message} ${long}` }));
    const notices = Array.from({ length: 50 }, (_, i) => ({ message: `notice ${i} ${long}` }));
    const report = reportOf(findings, { notices, errors: [{ source: 'aws', message: 'throttled' }] });
    const limit = 150_000;
    const { markdown, cut } = renderSummary(report, { ...context, sarif: true }, limit);

    expect(Buffer.byteLength(markdown)).toBeLessThan(limit);
    const shown = (severity: Severity) =>
      markdown.split('\n').filter((l) => l.includes(` ${severity} | IDC005 |`)).length;
    expect(shown('error')).toBe(200);
    expect(shown('notice')).toBe(0);
    expect(shown('warning')).toBeGreaterThan(50);
    expect(shown('warning')).toBeLessThan(200);
    const cutFindings = 600 - shown('error') - shown('warning');
    expect(cut).toBe(cutFindings + 50 + 50);
    expect(markdown).toContain(
      `_${cutFindings} findings of 600 not shown (the least severe), to keep this summary under GitHub's 1 MiB limit: all are in the JSON report (output \`report-file\`) and the SARIF file (output \`sarif-file\`)._`,
    );
    expect(markdown).toContain('<details><summary>50 suppressed findings</summary>\n\n_50 more not shown');
    expect(markdown).toContain(
      "### Notices\n\n_50 more not shown, to keep this summary under GitHub's 1 MiB limit: see the step's log._",
    );
    expect(markdown).toContain('- throttled');
    // The kept warnings are the first ones: the report's order within a severity.
    expect(markdown).toContain(`| ${findings[400].message} |`);
  });

  it('stays under 1 MiB with many findings, and when one value is pathologically long', () => {
    const huge = finding('error', { message: `@${'<'.repeat(2_000_000)}` });
    const findings = [huge, ...many(5000, 'warning').map((f) => ({ ...f, message: 'm'.repeat(400) }))];
    const { markdown, cut } = renderSummary(reportOf(findings), context);
    expect(Buffer.byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(cut).toBeGreaterThan(2000);
    expect(markdown).toContain(`| @${'&lt;'.repeat(1999)}… |`);
  });
});
