/**
 * examples/landing-zone: a Landing Zone Accelerator organization translated (OU paths, account names,
 * excludedAccounts), checked as a pull request against its base through the bundled CLI. The README shows the
 * access changes; this keeps them true, and checks that the exclusions hold.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers.js';

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', IDC_GUARD_NOW: '2026-12-02' },
  });
}

const PR = [
  'check',
  '--root',
  'examples/landing-zone',
  '--base-root',
  'examples/landing-zone/base',
  '--live',
  'examples/landing-zone/live/snapshot.json',
];

describe('examples/landing-zone', () => {
  it('prints the access changes the README shows, and the change passes: it introduces no finding', () => {
    const run = cli(...PR);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const access = /^access changes[^\n]*\n(?: {2}[^\n]*\n)+/m.exec(run.stdout)?.[0];
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const shown = /<!-- landing-zone-access:[^>]*-->\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(access).toBeDefined();
    expect(shown).toBe(access);
    // What the exclusions keep out: no grant to Management, Audit or LogArchive is added.
    expect(access).not.toMatch(/gains [^\n]*(Management|Audit|LogArchive) \(/);
    expect(access).toContain('group auditors loses ReadOnly in Management (100000000001)');
  });

  it('main, as deployed, has one finding: IDC112 for the auditors in the management account', () => {
    const main = cli(
      'check',
      '--root',
      'examples/landing-zone/base',
      '--live',
      'examples/landing-zone/live/snapshot.json',
      '--format',
      'json',
      '--mode',
      'drift',
    );
    const found = (JSON.parse(main.stdout) as { findings: { ruleId: string; line: number; file: string }[] })
      .findings;
    expect(found.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ['IDC112', 'identity/assignments.yaml', 10],
    ]);
  });
});
