import { renderSummary } from '../src/action/summary.js';
import type { Report } from '../src/findings/report.js';
import { fakeFinding, fakeReport } from './helpers.js';

const report = (): Report => fakeReport([fakeFinding('error')]);
const context = {
  pathPrefix: '',
  mode: 'check' as const,
  failOn: 'error' as const,
  exitCode: 1 as const,
  sarif: false,
};
const grant = {
  principalType: 'group' as const,
  principal: '@org/data-eng',
  permissionSet: 'AdministratorAccess',
  accountId: '111111111111',
  accountAlias: 'prod',
};

describe('the job summary on a pull request', () => {
  it('starts with the same access changes as the PR comment, escaped, before the findings', () => {
    const { markdown } = renderSummary(report(), {
      ...context,
      access: { diff: { added: [grant], removed: [{ ...grant, permissionSet: 'ReadOnly' }] } },
    });
    const access = markdown.indexOf('### Access changes');
    expect(access).toBeGreaterThan(0);
    expect(access).toBeLessThan(markdown.indexOf('### Findings'));
    // Names are code spans (a mention in code pings no one); a removal is listed before a plain grant.
    const added = '- ➕ group `@org/data-eng` gains `AdministratorAccess` in prod (111111111111)';
    const removed = '- ➖ group `@org/data-eng` loses `ReadOnly` in prod (111111111111)';
    expect(markdown).toContain(added);
    expect(markdown.indexOf(removed)).toBeGreaterThan(0);
    expect(markdown.indexOf(removed)).toBeLessThan(markdown.indexOf(added));
  });

  it('says nothing about access outside a pull request', () => {
    expect(renderSummary(report(), context).markdown).not.toContain('Access changes');
  });
});
