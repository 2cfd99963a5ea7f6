/**
 * The attacker's end-to-end suite for applications and attributes for access control (see
 * test/attacks/helpers.ts), through the bundled Action as the runner runs it: access the check must still show,
 * and checks the change must not switch off.
 */
import { describe, expect, it } from '@jest/globals';
import { useFakeGitHub } from './github/fake-github.js';
import { ALL_CLEAR, TEST_TIMEOUT_MS, attack, counted, github } from './attacks/helpers.js';

useFakeGitHub(github);

const GRAFANA = `kind: Application
name: Grafana
assignmentRequired: true
assignments:
  groups: [developers]
`;
const ABAC = `kind: AccessControlAttributes
attributes:
  - { key: CostCenter, source: '\${path:enterprise.costCenter}' }
`;
const ABAC_PS = (key: string) => `kind: PermissionSet
name: AbacEc2
sessionDuration: PT1H
inlinePolicy:
  Version: '2012-10-17'
  Statement:
    - Effect: Allow
      Action: [ec2:StartInstances]
      Resource: '*'
      Condition:
        StringEquals:
          ec2:ResourceTag/CostCenter: '\${aws:PrincipalTag/${key}}'
`;

describe('applications: access a change grants is shown, not hidden', () => {
  it(
    'a user slipped into an application, and assignment no longer required: both shown, riskiest first',
    async () => {
      const o = await attack({
        base: { 'identity/apps.yaml': GRAFANA },
        head: {
          'identity/apps.yaml': GRAFANA.replace('true', 'false') + '  users: [mallory@example.com]\n',
        },
      });
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/application `?Grafana`? no longer requires assignment/);
        expect(text).toMatch(/user `mallory@example\.com` gains application `Grafana` · \*\*single user\*\*/);
        expect(text).not.toMatch(ALL_CLEAR);
      }
      // The warning comes before the grants.
      expect(o.comment.indexOf('no longer requires')).toBeLessThan(o.comment.indexOf('mallory'));
      expect(o.comment).toMatch(/\+1 \/ −0 grants · 1 to a single user/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an undeclared group assigned to an application fails IDC002 at its line',
    async () => {
      const o = await attack({
        base: { 'identity/apps.yaml': GRAFANA },
        head: { 'identity/apps.yaml': GRAFANA.replace('[developers]', '[developers, shadow-admins]') },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'IDC002')).toEqual([['IDC002', 'error', 'identity/apps.yaml', 5]]);
      expect(o.comment).toMatch(/group `shadow-admins` gains application `Grafana`/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('attributes for access control: the check cannot be switched off by the change', () => {
  it(
    'a policy testing a tag no attribute configures fails IDC019',
    async () => {
      const o = await attack({
        base: { 'identity/abac.yaml': ABAC, 'identity/permission-sets/AbacEc2.yaml': ABAC_PS('CostCenter') },
        head: { 'identity/permission-sets/AbacEc2.yaml': ABAC_PS('Team') },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'IDC019')).toEqual([
        ['IDC019', 'error', 'identity/permission-sets/AbacEc2.yaml', 12],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deleting the attributes document does not switch IDC019 off, and is shown as a warning',
    async () => {
      const o = await attack({
        base: { 'identity/abac.yaml': ABAC, 'identity/permission-sets/AbacEc2.yaml': ABAC_PS('CostCenter') },
        head: { 'identity/abac.yaml': null, 'identity/permission-sets/AbacEc2.yaml': ABAC_PS('Team') },
      });
      // Judged against the base's attributes: Team is still not one of them.
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'IDC019')).toEqual([
        ['IDC019', 'error', 'identity/permission-sets/AbacEc2.yaml', 12],
      ]);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(
          /removes the declaration of attributes for access control \(identity\/abac\.yaml\)/,
        );
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
