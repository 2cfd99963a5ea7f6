/**
 * Installing the CLI as a user would (#18): `npm pack`, then a global install into a temporary prefix. The
 * bundle is self-contained, so the package has no dependencies: nothing to fetch, no engine warnings, a
 * small install; and `idc-guard check` works from any folder.
 */
import { jest } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers.js';

jest.setTimeout(120_000);

function size(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((n, entry) => n + size(join(path, entry)), 0);
}

describe('npm pack and a global install', () => {
  it('installs one package under 5 MB, without warnings, that checks a repository from another folder', () => {
    const work = mkdtempSync(join(tmpdir(), 'idc-guard-install-'));
    const npm = (...args: string[]) =>
      spawnSync('npm', args, {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, npm_config_fund: 'false' },
      });
    const packed = npm('pack', REPO_ROOT, '--silent');
    expect(packed.status).toBe(0);
    const tarball = packed.stdout.trim().split('\n').at(-1)!;
    expect(tarball).toMatch(/^idc-guard-\d+\.\d+\.\d+\.tgz$/);
    const prefix = join(work, 'prefix');
    const installed = npm('install', '-g', '--prefix', prefix, '--no-audit', join(work, tarball));
    expect(installed.status).toBe(0);
    expect(installed.stderr).not.toMatch(/EBADENGINE|warn/i);
    expect(installed.stdout).toMatch(/added 1 package/);
    expect(size(join(prefix, 'lib', 'node_modules', 'idc-guard'))).toBeLessThan(5 * 1024 * 1024);

    const elsewhere = mkdtempSync(join(tmpdir(), 'idc-guard-user-'));
    cpSync(join(REPO_ROOT, 'examples', 'acme'), join(elsewhere, 'acme'), { recursive: true });
    const run = spawnSync(join(prefix, 'bin', 'idc-guard'), ['check', '--root', 'acme', '--live', 'off'], {
      cwd: elsewhere,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: elsewhere, IDC_GUARD_NOW: '2026-11-23' },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('8:16     error   IDC005');
    expect(
      execFileSync(join(prefix, 'bin', 'idc-guard'), ['--version'], { encoding: 'utf8' }).trim(),
    ).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
