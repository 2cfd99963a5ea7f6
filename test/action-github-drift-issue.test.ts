/**
 * The drift issue, opened, updated and closed against a loopback GitHub.
 */
import { describe, expect, it } from '@jest/globals';
import { DRIFT_LABEL, driftMarker } from '../src/action/drift-issue.js';
import { maintainDriftIssue } from '../src/action/maintain-drift-issue.js';
import type { Report } from '../src/findings/report.js';
import { useFakeGitHub } from './github/fake-github.js';
import { github, context, octokit, finding, reportOf } from './action-github/helpers.js';

useFakeGitHub(github);

describe('the drift issue against a loopback GitHub', () => {
  const key = 'arn:aws:sso:::instance/ssoins-1';
  const drifted = reportOf([
    finding('error', { ruleId: 'IDC105', message: 'group <b>@x</b> is not declared' }),
  ]);

  it('opens, updates, then closes with a comment, keeping one issue', async () => {
    const created = await maintainDriftIssue(octokit(), context(false), {
      report: drifted,
      drift: true,
      key,
    });
    expect(created).toEqual({ action: 'created', number: 100 });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0].labels).toEqual([{ name: DRIFT_LABEL }]);
    expect(github.issues[0].body.startsWith(driftMarker(key))).toBe(true);
    expect(github.issues[0].body).toContain('&lt;b&gt;`@x`');
    expect(github.issues[0].title).toBe('idc-guard: Identity Center drift in ssoins-1');

    const more = reportOf([...drifted.findings, finding('error', { ruleId: 'IDC106', message: 'extra' })]);
    expect(await maintainDriftIssue(octokit(), context(false), { report: more, drift: true, key })).toEqual({
      action: 'updated',
      number: 100,
    });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0].body).toContain('extra');

    // Incomplete (a tool error): no drift found proves nothing, so the issue stays open.
    const incomplete: Report = { ...reportOf([]), errors: [{ message: 'throttled', source: 'aws' }] };
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: incomplete, drift: false, key }),
    ).toEqual({
      action: 'kept',
      number: 100,
    });
    expect(github.issues[0].state).toBe('open');

    const now = new Date('2026-11-23T00:00:00Z');
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: reportOf([]), drift: false, key, now }),
    ).toEqual({ action: 'closed', number: 100 });
    expect(github.issues[0].state).toBe('closed');
    expect(github.issues[0].comments[0]).toMatch(/^No drift as of 2026-11-23\./);
    expect(
      github.requests.find((r) => r.method === 'GET' && r.path.startsWith('/repos/o/r/issues?'))!.path,
    ).toContain(`labels=${DRIFT_LABEL}`);

    // Clean again: nothing to do.
    expect(
      await maintainDriftIssue(octokit(), context(false), { report: reportOf([]), drift: false, key }),
    ).toEqual({
      action: 'none',
    });
  });

  it("ignores a labelled issue with another instance's marker", async () => {
    github.issues.push({
      number: 7,
      title: 'other',
      body: driftMarker('arn:aws:sso:::instance/ssoins-2'),
      state: 'open',
      labels: [{ name: DRIFT_LABEL }],
      comments: [],
    });
    const r = await maintainDriftIssue(octokit(), context(false), { report: drifted, drift: true, key });
    expect(r.action).toBe('created');
    expect(github.issues[0].body).toBe(driftMarker('arn:aws:sso:::instance/ssoins-2'));
  });

  it('keeps a hostile key from ending the marker', () => {
    expect(driftMarker('x --> <img>')).toBe('<!-- idc-guard:drift x_-___img_ -->');
  });
});
