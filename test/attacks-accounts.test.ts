/**
 * The attacker's end-to-end suite (see test/attacks/helpers.ts): grants the check must still see: to an
 * organization target it cannot resolve, and to a production account the head renames.
 */
import { describe, expect, it } from '@jest/globals';
import { useFakeGitHub } from './github/fake-github.js';
import {
  TEST_TIMEOUT_MS,
  instanceYaml,
  ASSIGNMENTS,
  WITH_GRANT,
  GRANT_LINE,
  github,
  attack,
  counted,
  findingsOf,
  ALL_CLEAR,
  expectGrantShown,
} from './attacks/helpers.js';

useFakeGitHub(github);

describe('2. an organization target that cannot be resolved (no organization data)', () => {
  it(
    'root: true grants every declared account: ORG-002 fires for prod, and the comment shows the unresolved grant',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    root: true\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = counted(o.run.report, 'ORG-002');
      // One finding, for prod (dev is no production account); at the entry, lines 9-11.
      expect(org002).toHaveLength(1);
      expect(org002[0].slice(0, 3)).toEqual(['ORG-002', 'error', 'identity/assignments.yaml']);
      expect(org002[0][3]).toBeGreaterThanOrEqual(9);
      expect(org002[0][3]).toBeLessThanOrEqual(11);
      expect(findingsOf(o.run.report, 'ORG-002')[0].message).toMatch(/contractors/);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).toMatch(/every account/i);
        expect(text).toMatch(/not resolved/i);
        expect(text).toMatch(/ORG-002/);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an unresolved OU may grant any declared account: ORG-002 fires and says "may grant"',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    organizationalUnits: [ou-abcd-11111111]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = findingsOf(o.run.report, 'ORG-002').filter((f) => !f.suppressed);
      expect(org002.map((f) => [f.severity, f.file])).toEqual([['error', 'identity/assignments.yaml']]);
      expect(org002[0].line).toBeGreaterThanOrEqual(9);
      expect(org002[0].line).toBeLessThanOrEqual(11);
      expect(`${org002[0].message}\n${o.comment}`).toMatch(/may grant/i);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).toMatch(/not resolved/i);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('2b. account names and exclusions that cannot be resolved (no organization data)', () => {
  it(
    'an account name may be any declared account: ORG-002 fires and says "may grant"',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    accounts: [Production Workloads]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = findingsOf(o.run.report, 'ORG-002').filter((f) => !f.suppressed);
      expect(org002.map((f) => [f.severity, f.file])).toEqual([['error', 'identity/assignments.yaml']]);
      expect(org002[0].message).toMatch(/may grant/i);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).toMatch(/Production Workloads[^\n]*not resolved/i);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an exclusion by a name nothing resolves subtracts nothing: root: true still grants prod',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors\n    permissionSet: AdministratorAccess\n    root: true\n    excludedAccounts: [Production]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      const org002 = counted(o.run.report, 'ORG-002');
      expect(org002).toHaveLength(1);
      expect(org002[0].slice(0, 3)).toEqual(['ORG-002', 'error', 'identity/assignments.yaml']);
      for (const text of [o.comment, o.run.summary]) {
        expect(text).toMatch(/contractors\b[^\n]*AdministratorAccess/);
        expect(text).not.toMatch(ALL_CLEAR);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('beyond the stated contract: the head renames the production account', () => {
  it(
    "an alias the head gives account 111111111111 (prod on the base) does not take it out of the base's production policy",
    async () => {
      // The head calls prod "live", moves the base's grants along, and grants contractors admin in "live".
      const renamed = (text: string) => text.replace(/\bprod\b/g, 'live');
      const o = await attack({
        head: {
          'identity/instance.yaml': renamed(instanceYaml()),
          'identity/assignments.yaml': renamed(WITH_GRANT),
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a grant by the 12-digit ID instead of the alias is still a grant in prod',
    async () => {
      const o = await attack({
        head: {
          'identity/assignments.yaml': WITH_GRANT.replace(
            'accounts: [prod]\n',
            'accounts: ["111111111111"]\n',
          ),
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
      expectGrantShown(o);
    },
    TEST_TIMEOUT_MS,
  );
});
