import {
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { checkoutBase } from '../src/pull-request/base-checkout.js';
import { git, makeRepo } from './helpers.js';

/**
 * The base is written from git, except files whose content git finds the same in the working tree, which are
 * linked. The head is the attacker's: whatever it does to its files, the base folder holds the base commit.
 */
describe('checkoutBase from git', () => {
  function repo() {
    const workspace = makeRepo({
      'iam/identity/a.yaml': 'kind: Groups\ngroups: [{ name: base-a }]\n',
      'iam/identity/sub/b.yaml': 'kind: Groups\ngroups: [{ name: base-b }]\n',
      'iam/identity/gone.yaml': 'kind: Groups\ngroups: [{ name: gone }]\n',
      'iam/.idc-guard.yml': 'failOn: error\n',
      'other/outside.yaml': 'not checked\n',
    });
    symlinkSync('a.yaml', join(workspace, 'iam/identity/link.yaml'));
    git(workspace, 'init', '-q');
    git(workspace, 'add', '.');
    git(workspace, 'commit', '-qm', 'base');
    return { workspace, baseSha: git(workspace, 'rev-parse', 'HEAD') };
  }
  const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8');

  it('holds the base commit: changed, deleted, added and linked files, unchanged ones linked', () => {
    const { workspace, baseSha } = repo();
    const head = join(workspace, 'iam');
    writeFileSync(join(head, '.idc-guard.yml'), 'failOn: never\n'); // uncommitted
    unlinkSync(join(head, 'identity/gone.yaml'));
    writeFileSync(join(head, 'identity/new.yaml'), 'kind: Groups\ngroups: [{ name: new }]\n');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-qm', 'head');
    unlinkSync(join(head, 'identity/link.yaml'));
    writeFileSync(join(head, 'identity/link.yaml'), 'kind: Groups\ngroups: [{ name: was-a-link }]\n');
    const base = checkoutBase(workspace, 'iam/', baseSha);
    try {
      expect(read(base.root, '.idc-guard.yml')).toBe('failOn: error\n');
      expect(read(base.root, 'identity/gone.yaml')).toContain('gone');
      expect(() => statSync(join(base.root, 'identity/new.yaml'))).toThrow();
      expect(lstatSync(join(base.root, 'identity/link.yaml')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(base.root, 'identity/link.yaml'))).toBe('a.yaml');
      expect(read(base.root, 'identity/sub/b.yaml')).toContain('base-b');
      // Unchanged: the working tree's own file, linked (one inode, two names).
      expect(statSync(join(base.root, 'identity/sub/b.yaml')).ino).toBe(
        statSync(join(head, 'identity/sub/b.yaml')).ino,
      );
      expect(() => statSync(join(base.root, '../other/outside.yaml'))).toThrow();
    } finally {
      base.dispose();
    }
    expect(read(head, 'identity/sub/b.yaml')).toContain('base-b');
  });

  it("sees a change that keeps the file's size and time, and the repository's index unchanged", () => {
    const { workspace, baseSha } = repo();
    const file = join(workspace, 'iam/identity/a.yaml');
    const before = statSync(file);
    // The same length and modification time: only the content tells it apart.
    writeFileSync(file, 'kind: Groups\ngroups: [{ name: head-a }]\n');
    utimesSync(file, before.atime, before.mtime);
    const index = readFileSync(join(workspace, '.git/index'));
    const base = checkoutBase(workspace, 'iam/', baseSha);
    try {
      expect(read(base.root, 'identity/a.yaml')).toContain('base-a');
    } finally {
      base.dispose();
    }
    expect(readFileSync(join(workspace, '.git/index')).equals(index)).toBe(true);
    expect(git(workspace, 'status', '--porcelain')).toBe('M iam/identity/a.yaml');
  });

  it('holds a base folder whose whole tree is the checked folder', () => {
    const { workspace, baseSha } = repo();
    writeFileSync(join(workspace, 'iam/identity/a.yaml'), 'changed\n');
    const base = checkoutBase(workspace, '', baseSha);
    try {
      expect(read(base.root, 'iam/identity/a.yaml')).toContain('base-a');
      expect(read(base.root, 'other/outside.yaml')).toBe('not checked\n');
    } finally {
      base.dispose();
    }
  });
});
