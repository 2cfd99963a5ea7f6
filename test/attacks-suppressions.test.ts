/**
 * The attacker's end-to-end suite (see test/attacks/helpers.ts): suppressions the head adds, and a stale
 * acceptance label.
 */
import { describe, expect, it } from '@jest/globals';
import { useFakeGitHub } from './github/fake-github.js';
import {
  TEST_TIMEOUT_MS,
  GROUPS,
  ASSIGNMENTS,
  CONTRACTORS_ADMIN_PROD,
  CONFIG,
  github,
  attack,
  counted,
  findingsOf,
  CONTRACTORS_GAIN_ADMIN_PROD,
  expectGrantShown,
} from './attacks/helpers.js';

useFakeGitHub(github);

describe('4. suppressions the head adds', () => {
  /** The grant with a suppression on the line above its `accounts: [prod]` (line 12; the directive is line 11). */
  const SUPPRESSED_GRANT = `${ASSIGNMENTS}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- temporary
    accounts: [prod]
`;
  const DIRECTIVE_LINE = 11;
  const FINDING_LINE = 12;
  const ACCEPT = 'idc-guard:accept-suppressions';
  const suppressedHead = { 'identity/assignments.yaml': SUPPRESSED_GRANT };
  /** "identity/assignments.yaml:10" or ":11" (the directive's line or the finding's), or "#L10"/"#L11" in a link. */
  const AT_THE_LINE = new RegExp(`identity/assignments\\.yaml(:|#L)(${DIRECTIVE_LINE}|${FINDING_LINE})\\b`);

  /** The section listing the suppressions the PR adds: the rule, the reason, where. */
  function expectListed(text: string, state: RegExp): void {
    expect(text).toMatch(/ORG-002/);
    expect(text).toMatch(/temporary/);
    expect(text).toMatch(AT_THE_LINE);
    expect(text).toMatch(state);
  }

  it(
    'a suppression added by the PR does not silence its finding: exit 1, listed as "suppression requested"',
    async () => {
      const o = await attack({ head: suppressedHead });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expectListed(o.comment, /suppression requested|requested/i);
      expectListed(o.run.summary, /suppression requested|requested/i);
      expectGrantShown(o);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a maintainer accepts it with the label (a labeled run): exit 0, still listed, as accepted',
    async () => {
      const o = await attack({ head: suppressedHead, labels: [ACCEPT], action: 'labeled', label: ACCEPT });
      expect(o.run.status).toBe(0);
      expect(counted(o.run.report, 'ORG-002')).toEqual([]);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [FINDING_LINE, true],
      ]);
      expectListed(o.comment, /accepted/i);
      expectListed(o.run.summary, /accepted/i);
      expect(o.comment).toMatch(CONTRACTORS_GAIN_ADMIN_PROD);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the label does not count on a run triggered by new commits (synchronize): the author pushed after acceptance',
    async () => {
      const o = await attack({ head: suppressedHead, labels: [ACCEPT], action: 'synchronize' });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expectListed(o.comment, /requested/i);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'base configuration "suppressions: base-only": even with the label, the head\'s suppression never applies',
    async () => {
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}suppressions: base-only\n` },
        head: suppressedHead,
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', FINDING_LINE],
      ]);
      expect(o.comment).toMatch(/ORG-002/);
      expect(o.comment).toMatch(/temporary/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'base configuration "suppressions: allow": the head\'s suppression applies without a label, and is listed',
    async () => {
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}suppressions: allow\n` },
        head: suppressedHead,
      });
      expect(o.run.status).toBe(0);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [FINDING_LINE, true],
      ]);
      expect(o.comment).toMatch(/ORG-002/);
      expect(o.comment).toMatch(/temporary/);
      expect(o.comment).toMatch(AT_THE_LINE);
      expect(o.comment).toMatch(CONTRACTORS_GAIN_ADMIN_PROD);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a directive inside a quoted string value is text, not a comment: it never suppresses',
    async () => {
      // Assignments have no free-text field, so the string is the group's name (declared, so no IDC002).
      const name = 'contractors # idc-guard-ignore ORG-002 -- y';
      // Accepted by a maintainer, so that only "a value is not a comment" stands between it and its finding.
      const o = await attack({
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
        head: {
          'identity/groups.yaml': `${GROUPS}  - name: "${name}"\n`,
          // `group:` on line 10 carries the "directive"; ORG-002 points at `accounts: [prod]`, line 11.
          'identity/assignments.yaml': `${ASSIGNMENTS}  - permissionSet: AdministratorAccess\n    group: "${name}"\n    accounts: [prod]\n`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 11],
      ]);
      expect(o.run.report!.summary.suppressed ?? 0).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a duplicate key cannot be suppressed, and the check models the document as the deployer applies it (last key wins)',
    async () => {
      const o = await attack({
        labels: [ACCEPT],
        action: 'labeled',
        label: ACCEPT,
        head: {
          // The second `assignments:` (line 10) replaces the first for a YAML reader where the last key wins.
          'identity/assignments.yaml': `${ASSIGNMENTS}# idc-guard-ignore IDC001 -- dup\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'IDC001')).toEqual([['IDC001', 'error', 'identity/assignments.yaml', 10]]);
      expect(findingsOf(o.run.report, 'IDC001').every((f) => !f.suppressed)).toBe(true);
      // The document the deployer applies grants contractors admin in prod (and drops the base's grants).
      expectGrantShown(o);
      expect(o.comment).toMatch(/aws-admins-platform\b[^\n]*loses\b[^\n]*AdministratorAccess/);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 13],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a suppression the base already has keeps working where the head moves it: nothing requested, exit 0',
    async () => {
      // The base accepted the grant; the head inserts an unrelated grant above it, so its lines move by 3.
      const accepted = `  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`;
      const o = await attack({
        base: { 'identity/assignments.yaml': ASSIGNMENTS + accepted },
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS}  - group: aws-admins-platform\n    permissionSet: ReadOnly\n    accounts: [dev]\n${accepted}`,
        },
      });
      expect(o.run.status).toBe(0);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([[15, true]]);
      expect(o.comment).not.toMatch(/requested/i);
      expect(o.run.summary).not.toMatch(/requested/i);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a copy of the base's suppression onto a new grant is a suppression the head adds: exit 1, requested",
    async () => {
      // The base has an accepted break-glass exception; the head copies its exact line above a new grant.
      const breakglass = `  - group: developers
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`;
      const o = await attack({
        base: { 'identity/assignments.yaml': ASSIGNMENTS + breakglass },
        head: {
          'identity/assignments.yaml': `${ASSIGNMENTS + breakglass}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- approved in SEC-42
    accounts: [prod]
`,
        },
      });
      expect(o.run.status).toBe(1);
      expect(findingsOf(o.run.report, 'ORG-002').map((f) => [f.line, f.suppressed])).toEqual([
        [12, true],
        [16, false],
      ]);
      expect(o.comment).toMatch(/requested/i);
      expect(o.comment).toMatch(/identity\/assignments\.yaml(:|#L)(15|16)\b/);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('4, beyond the stated contract: a stale acceptance label', () => {
  const ACCEPT = 'idc-guard:accept-suppressions';
  const head = {
    'identity/assignments.yaml': `${ASSIGNMENTS}  - group: contractors
    permissionSet: AdministratorAccess
    # idc-guard-ignore ORG-002 -- temporary
    accounts: [prod]
`,
  };

  it(
    'the PR author closes and reopens the PR (no new commits) after pushing a new suppression: the old label does not count',
    async () => {
      const o = await attack({ head, labels: [ACCEPT], action: 'reopened' });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 12],
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'someone adds an unrelated label (a labeled run for another label): the old acceptance label does not count',
    async () => {
      const o = await attack({
        head,
        labels: [ACCEPT, 'needs-review'],
        action: 'labeled',
        label: 'needs-review',
      });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', 12],
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});
