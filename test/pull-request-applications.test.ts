/**
 * A pull request that changes application access, checked by the bundled Action against the local Identity
 * Center (test/aws/idc_server.py): a change is pending, not drift, and the live read is what the change touches.
 */
import { beforeAll, afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  scimIds,
  seedAccessControlAttributes,
  seedApplication,
  seedClients,
  seedOrganisation,
} from './aws/seed.js';
import { useIdcServer } from './aws/server.js';
import { runBundledAction } from './github/bundled-action.js';
import { FakeGitHub } from './github/fake-github.js';
import { pullRequestRepo, type FileSpec } from './github/pull-request-repo.js';
import { agreeing, DECLARATIONS } from './live-integration/helpers.js';
import type { Report } from '../src/findings/report.js';

const idc = useIdcServer();
const github = new FakeGitHub();
const GRAFANA = (groups: string, users = '') =>
  `kind: Application\nname: Grafana\nassignmentRequired: true\nassignments:\n  groups: [${groups}]\n` +
  (users ? `  users: [${users}]\n` : '');
const ABAC =
  "kind: AccessControlAttributes\nattributes:\n  - { key: CostCenter, source: '${path:enterprise.costCenter}' }\n";
const EMPTY_TEAM =
  'kind: Groups\ngroups:\n  - name: empty-team\n---\nkind: Assignments\nassignments:\n' +
  '  - group: empty-team\n    permissionSet: Admin\n    accounts: [prod]\n';
let base: Record<string, FileSpec> = {};

beforeAll(async () => {
  await github.start();
  const server = idc();
  await server.reset();
  // An empty group, assigned in an account on the base already (IDC103 on the base too).
  const spec = agreeing();
  spec.groups.push({ name: 'empty-team', externalIds: scimIds('g-empty'), members: [] });
  spec.assignments.push({ group: 'empty-team', permissionSet: 'Admin', accounts: ['111111111111'] });
  const seeded = await seedOrganisation(server.endpoint, spec);
  const { ssoAdmin } = seedClients(server.endpoint);
  await seedApplication(ssoAdmin, seeded.instanceArn, { name: 'Grafana', groups: [seeded.groups.admins] });
  await seedAccessControlAttributes(ssoAdmin, seeded.instanceArn, {
    CostCenter: '${path:enterprise.costCenter}',
  });
  base = {
    ...DECLARATIONS,
    'identity/empty.yaml': EMPTY_TEAM,
    'identity/apps.yaml': GRAFANA('admins'),
    'identity/abac.yaml': ABAC,
  };
}, 60_000);
afterAll(() => github.stop());
beforeEach(() => github.reset());

async function pullRequest(head: Record<string, FileSpec | null>) {
  const pr = pullRequestRepo({ base, head });
  const run = await runBundledAction({
    workspace: pr.workspace,
    inputs: { live: 'aws', 'github-token': 't0ken' },
    eventPath: pr.eventPath,
    eventName: 'pull_request',
    githubUrl: github.url,
    env: idc().env,
    timeoutMs: 60_000,
  });
  expect(run.timedOut).toBe(false);
  expect(run.stderr).toBe('');
  return { run, report: run.report as unknown as Report, comment: github.comments.at(-1)?.body ?? '' };
}

describe('a pull request that changes application access', () => {
  it('adding a correct application assignment passes: IDC113 is pending, not drift', async () => {
    const { run, report, comment } = await pullRequest({
      'identity/apps.yaml': GRAFANA('admins, devs', 'alice@example.com'),
    });
    expect(report.errors).toEqual([]);
    expect(run.status).toBe(0);
    const idc113 = report.findings.filter((f) => f.ruleId === 'IDC113');
    expect(idc113.map((f) => [f.file, f.line, f.scope])).toEqual([
      ['identity/apps.yaml', 5, 'pending'],
      ['identity/apps.yaml', 6, 'pending'],
    ]);
    expect(comment).toContain('- ➕ group `devs` gains application `Grafana`');
    expect(comment).toContain('- ➕ user `alice@example.com` gains application `Grafana` · **single user**');
    // Only the application the change touches is read in full.
    expect(report.stats.apiCallsByOperation).toMatchObject({
      ListApplications: 1,
      ListApplicationAssignments: 1,
      GetApplicationAssignmentConfiguration: 1,
    });
  }, 60_000);

  it('a change that leaves applications alone reads none of them in full', async () => {
    const { run, report } = await pullRequest({
      'identity/assignments.yaml': `${DECLARATIONS['identity/assignments.yaml']}  - group: devs\n    permissionSet: Admin\n    accounts: [prod]\n`,
    });
    expect(run.status).toBe(0);
    const calls = report.stats.apiCallsByOperation ?? {};
    expect(calls.ListApplicationAssignments).toBeUndefined();
    expect(calls.GetApplicationAssignmentConfiguration).toBeUndefined();
  }, 60_000);

  it('assigning an empty group to an application is IDC103 introduced at that line, though the base has it', async () => {
    const { report } = await pullRequest({ 'identity/apps.yaml': GRAFANA('admins, empty-team') });
    const idc103 = report.findings.filter((f) => f.ruleId === 'IDC103');
    expect(idc103.map((f) => [f.file, f.line, f.scope])).toEqual([
      ['identity/apps.yaml', 5, 'introduced'],
      ['identity/empty.yaml', 3, 'existing'],
    ]);
    // Nothing else: the principals' permission sets are read too, so no assignment of theirs looks undeclared.
    expect(report.findings.filter((f) => f.scope !== 'pending').map((f) => f.ruleId)).toEqual([
      'IDC103',
      'IDC103',
    ]);
    expect(idc103[0].message).toMatch(
      /^this change grants: group empty-team gains application Grafana, but group/,
    );
  }, 60_000);

  it('removing a group from an application shows the removal as pending, not IDC114 drift', async () => {
    const { run, report, comment } = await pullRequest({ 'identity/apps.yaml': GRAFANA('') });
    expect(run.status).toBe(0);
    expect(report.findings.filter((f) => f.ruleId === 'IDC114').map((f) => f.scope)).toEqual(['pending']);
    expect(comment).toContain('- ➖ group `admins` loses application `Grafana`');
  }, 60_000);
});
