/**
 * The attacker's end-to-end suite (see test/attacks/helpers.ts): symbolic links: a declaration or a folder
 * under include behind one, and report files written through one.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useFakeGitHub } from './github/fake-github.js';
import {
  TEST_TIMEOUT_MS,
  CONTRACTORS_ADMIN_PROD,
  github,
  type Outcome,
  attack,
  counted,
  findingsOf,
  errorLines,
  ALL_CLEAR,
  expectGrantShown,
  outside,
  CANARY,
  CANARY_YAML,
} from './attacks/helpers.js';

useFakeGitHub(github);

describe('1. a declaration hidden behind a symbolic link', () => {
  it(
    'a link under include to a file elsewhere in the repository is IDC001 at the link, and its grant is still shown and judged',
    async () => {
      const o = await attack({
        head: {
          'docs/template.yaml': `kind: Assignments\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
          'identity/extra-assignments.yaml': { symlink: '../docs/template.yaml' },
        },
      });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.line, f.suppressed])).toEqual([
        ['error', 'identity/extra-assignments.yaml', 1, false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link/i);
      // The deployer follows the link, so the check judges what it would apply. The grant's line is the linked
      // content's (`accounts: [prod]` is line 5), reported at the path under include.
      expect(counted(o.run.report, 'ORG-002')).toEqual([
        ['ORG-002', 'error', 'identity/extra-assignments.yaml', 5],
      ]);
      expectGrantShown(o, [/ORG-002/, /IDC001/]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a link under include to a file outside the repository is IDC001 at the link, and nothing of the target is read',
    async () => {
      const secret = join(outside({ 'secret.yaml': CANARY_YAML }), 'secret.yaml');
      const o = await attack({ head: { 'identity/extra-assignments.yaml': { symlink: secret } } });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.line, f.suppressed])).toEqual([
        ['error', 'identity/extra-assignments.yaml', 1, false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link|outside the repository/i);
      expect(o.comment).toMatch(/IDC001/);
      expect(o.comment).not.toMatch(ALL_CLEAR);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('1, the class: a linked folder under include', () => {
  it(
    'a folder under include linked to a folder elsewhere in the repository is IDC001 at the link: exit 1',
    async () => {
      const o = await attack({
        head: {
          'docs/more/assignments.yaml': `kind: Assignments\nassignments:\n${CONTRACTORS_ADMIN_PROD}`,
          'identity/more': { symlink: '../docs/more' },
        },
      });
      expect(o.run.status).toBe(1);
      const idc001 = findingsOf(o.run.report, 'IDC001');
      expect(idc001.map((f) => [f.severity, f.file, f.suppressed])).toEqual([
        ['error', 'identity/more', false],
      ]);
      expect(idc001[0].message).toMatch(/symbolic link/i);
      expect(o.comment).toMatch(/IDC001/);
      expect(o.comment).not.toMatch(ALL_CLEAR);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('7. report files written through a link', () => {
  it(
    'sarif-file names a link the head commits: the target is untouched and the step fails with one clear error',
    async () => {
      const target = join(outside({ 'victim.txt': 'ORIGINAL\n' }), 'victim.txt');
      const o = await attack({
        head: { 'idc-guard.sarif': { symlink: target } },
        inputs: { 'sarif-file': 'idc-guard.sarif' },
      });
      expect(readFileSync(target, 'utf8')).toBe('ORIGINAL\n');
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l) && /idc-guard\.sarif/.test(l))).toBe(
        true,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file names a dangling link the head commits: nothing is created at its target',
    async () => {
      const target = join(outside({}), 'created-by-idc-guard.sarif');
      const o = await attack({
        head: { 'idc-guard.sarif': { symlink: target } },
        inputs: { 'sarif-file': 'idc-guard.sarif' },
      });
      expect(existsSync(target)).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file in a folder the head commits as a link: nothing is written through it',
    async () => {
      const folder = outside({});
      const o = await attack({
        head: { reports: { symlink: folder } },
        inputs: { 'sarif-file': 'reports/idc-guard.sarif' },
      });
      expect(existsSync(join(folder, 'idc-guard.sarif'))).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /symbolic link/i.test(l))).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sarif-file outside the workspace (../outside.sarif) is refused',
    async () => {
      const parent = outside({});
      const o = await attack({ within: parent, inputs: { 'sarif-file': '../outside.sarif' } });
      expect(existsSync(join(parent, 'outside.sarif'))).toBe(false);
      expect(o.run.status).not.toBe(0);
      expect(errorLines(o.run).some((l) => /sarif-file/.test(l) && /outside the workspace/i.test(l))).toBe(
        true,
      );
    },
    TEST_TIMEOUT_MS,
  );
});

describe('8. the include folder replaced by a link', () => {
  /** IDC001 at `identity`, or one clear error line, saying it is a link or outside the repository. */
  function expectRefused(o: Outcome): void {
    expect(o.run.durationMs).toBeLessThan(10_000);
    expect([1, 2]).toContain(o.run.status);
    const atLink = (o.run.report?.findings ?? []).filter(
      (f) =>
        f.ruleId === 'IDC001' &&
        f.file === 'identity' &&
        /symbolic link|outside the repository/i.test(f.message),
    );
    const refusal = errorLines(o.run).filter(
      (l) => /identity/.test(l) && /symbolic link|outside the repository/i.test(l),
    );
    expect(atLink.length + refusal.length).toBeGreaterThan(0);
    if (atLink.length > 0) expect(atLink.map((f) => [f.severity, f.suppressed])).toEqual([['error', false]]);
    expect(o.comment).not.toMatch(ALL_CLEAR);
  }

  it(
    '`identity` linked to a folder outside the repository: refused, and nothing there is read',
    async () => {
      const folder = outside({ 'assignments.yaml': CANARY_YAML, 'nested/more.yaml': CANARY_YAML });
      const o = await attack({ head: { identity: { symlink: folder } } });
      expectRefused(o);
      expect(o.everything).not.toContain(CANARY);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '`identity` linked to / : refused within 10 s, / is never walked',
    async () => {
      const o = await attack({ head: { identity: { symlink: '/' } } });
      expectRefused(o);
    },
    TEST_TIMEOUT_MS,
  );
});
