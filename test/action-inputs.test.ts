/**
 * The Action's inputs (action.yml defaults, clear errors) and its outcome: drift, and why the step fails.
 */
import { join } from 'node:path';
import { InputError, parseInputs, repoPathPrefix } from '../src/action/inputs.js';
import { driftDetected, failureReason } from '../src/action/outcome.js';
import { renderSummary, type SummaryContext } from '../src/action/summary.js';
import { makeRepo } from './helpers.js';
import { finding, reportOf } from './action/helpers.js';

describe('inputs and outcome', () => {
  const workspace = makeRepo({ 'sub/identity/groups.yaml': 'kind: Groups\ngroups: []\n' });
  const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('reads the inputs with action.yml defaults, paths from the workspace and the config from `path`', () => {
    const inputs = parseInputs(reader({ path: 'sub', config: 'cfg.yml', live: 'snap.json' }), workspace, {});
    expect(inputs).toMatchObject({
      root: join(workspace, 'sub'),
      pathPrefix: 'sub/',
      configPath: join(workspace, 'sub', 'cfg.yml'),
      live: join(workspace, 'snap.json'),
      mode: 'check',
      failOn: 'error',
      comment: true,
      driftIssue: true,
    });
    expect(
      parseInputs(reader({ live: 'aws', mode: 'drift', comment: 'False' }), workspace, {
        IDC_GUARD_NOW: '2026-11-23',
      }),
    ).toMatchObject({
      root: workspace,
      pathPrefix: '',
      live: 'aws',
      mode: 'drift',
      comment: false,
      now: new Date('2026-11-23T00:00:00Z'),
    });
    expect(repoPathPrefix(workspace, join(workspace, '..'))).toBe('');
  });

  it.each([
    [{ mode: 'nightly' }, 'input mode is "nightly"; expected one of check, drift'],
    [{ 'fail-on': 'fatal' }, 'input fail-on is "fatal"; expected one of error, warning, notice, never'],
    [{ comment: 'yes' }, 'input comment is "yes"; expected true or false'],
    [{ path: 'missing' }, 'input path "missing" is not a folder in the workspace'],
    [
      { mode: 'drift', live: 'off' },
      'input mode is "drift" but live is "off": drift needs live state (auto, aws or a snapshot file)',
    ],
  ])('rejects %j with one clear line', (values, message) => {
    expect(() => parseInputs(reader(values), workspace, {})).toThrow(new InputError(message));
  });

  it('reports drift only in drift mode, and not for accepted findings', () => {
    const drift = reportOf([finding('warning', { ruleId: 'IDC110' })]);
    expect(driftDetected(drift, 'drift')).toBe(true);
    expect(driftDetected(drift, 'check')).toBe(false);
    expect(driftDetected(reportOf([finding('error', { ruleId: 'IDC110', suppressed: true })]), 'drift')).toBe(
      false,
    );
    expect(driftDetected(reportOf([finding('error', { ruleId: 'IDC005' })]), 'drift')).toBe(false);
  });

  it('does not call a drift run clean when part of the live state could not be read', () => {
    const broken = reportOf([], {
      errors: [{ source: 'aws', message: 'ListAccountAssignments: AccessDenied' }],
    });
    const context: SummaryContext = {
      pathPrefix: '',
      mode: 'drift',
      failOn: 'error',
      exitCode: 2,
      sarif: false,
    };
    expect(renderSummary(broken, context).markdown).toContain(
      'mode `drift`: no drift found, but not everything could be read.',
    );
  });

  it('says why the step fails', () => {
    const report = reportOf([finding('error'), finding('warning'), finding('notice')]);
    expect(failureReason(report, 'warning', 1)).toBe(
      'idc-guard: 2 findings at or above fail-on "warning"; see the annotations and the job summary',
    );
    const broken = reportOf([], {
      errors: [
        { source: 'aws', message: 'AccessDenied' },
        { source: 'aws', message: 'x' },
      ],
    });
    expect(failureReason(broken, 'error', 2)).toBe(
      'idc-guard could not complete the check: AccessDenied (and 1 more tool error)',
    );
    expect(failureReason(report, 'never', 0)).toBeUndefined();
  });
});
