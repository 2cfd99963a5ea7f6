/**
 * The attacker's end-to-end suite (see test/attacks/helpers.ts): what the base decides: a base that cannot be
 * read, and fail-on.
 */
import { describe, expect, it } from '@jest/globals';
import { useFakeGitHub } from './github/fake-github.js';
import { exportTree, pullRequestRepo } from './github/pull-request-repo.js';
import {
  TEST_TIMEOUT_MS,
  GROUPS,
  WITH_GRANT,
  GRANT_LINE,
  CONFIG,
  BASE,
  github,
  attack,
  runAttack,
  counted,
  errorLines,
  ALL_CLEAR,
  expectGrantShown,
  outside,
  CANARY,
  CANARY_YAML,
} from './attacks/helpers.js';

useFakeGitHub(github);

describe('5. a base that cannot be read', () => {
  /** The head's own configuration, which would let everything through. */
  const LAX =
    "failOn: never\nrules:\n  IDC001: { enabled: false }\n  ORG-002: { enabled: false }\ninclude: ['../**/*.yaml']\n";

  it(
    "fails closed when the base commit is not in the repository: one error naming base-path, never the head's configuration",
    async () => {
      const parent = outside({ 'neighbour/canary.yaml': CANARY_YAML });
      const o = await attack({
        within: parent,
        baseSha: 'deadbeef'.repeat(5),
        head: { '.idc-guard.yml': LAX, 'identity/assignments.yaml': WITH_GRANT },
      });
      expect(o.run.status).not.toBe(0);
      const errors = errorLines(o.run);
      expect(
        errors.some(
          (l) =>
            /base/i.test(l) && /could not be read|cannot be read|unreadable/i.test(l) && /base-path/.test(l),
        ),
      ).toBe(true);
      expect(o.comment).not.toMatch(ALL_CLEAR);
      expect(o.run.summary).not.toMatch(ALL_CLEAR);
      expect(o.everything).not.toContain(CANARY);
      // The report, if any, is not a pass under the head's configuration.
      if (o.run.report) expect(o.run.report.errors.length).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "with base-path (the workflow's own checkout of the base), the base's configuration applies: exit 1 on the grant",
    async () => {
      const parent = outside({ 'neighbour/canary.yaml': CANARY_YAML });
      const pr = pullRequestRepo({
        base: BASE,
        within: parent,
        baseSha: 'deadbeef'.repeat(5),
        head: { '.idc-guard.yml': LAX, 'identity/assignments.yaml': WITH_GRANT },
      });
      const baseCheckout = exportTree(pr.workspace, pr.baseSha);
      const o = await runAttack(pr, { inputs: { 'base-path': baseCheckout } });
      expect(o.run.status).toBe(1);
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/assignments.yaml', GRANT_LINE],
      ]);
      expectGrantShown(o, [/ORG-002/]);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('6. fail-on', () => {
  it(
    "the stricter of the fail-on input and the base's failOn applies: a warning fails under the base's failOn: warning",
    async () => {
      const warn =
        'kind: Policy\nid: ORG-010\ntitle: Every group has an owner in its description\nseverity: warning\ntarget: group\nrequire: { required: [description] }\nmessage: "group {name} has no description"\n';
      const o = await attack({
        base: { '.idc-guard.yml': `${CONFIG}failOn: warning\n`, 'policies/descriptions.yaml': warn },
        // `- name: temp` is line 9.
        head: { 'identity/groups.yaml': `${GROUPS}  - name: temp\n` },
        inputs: { 'fail-on': 'never' },
      });
      expect(counted(o.run.report)).toEqual([['ORG-010', 'warning', 'identity/groups.yaml', 9]]);
      expect(o.run.status).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );
});
