import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { isInside } from '../load/discover.js';

/** A path the Action was told to write that it will not write: outside the workspace, or through a link. */
export class UnsafePathError extends Error {}

/**
 * Writes `content` to `path` (relative to the workspace): only inside the workspace, and never through a
 * symbolic link, neither the file itself nor a folder on the way (a PR can commit either).
 */
export function writeInsideWorkspace(workspace: string, path: string, content: string): void {
  const top = realpathSync(workspace);
  const target = resolve(top, path);
  if (!isInside(top, target) || target === top)
    throw new UnsafePathError('it is outside the workspace; give a path inside it');
  const folders = relative(top, dirname(target)).split(sep).filter(Boolean);
  let dir = top;
  for (const name of folders) {
    dir = resolve(dir, name);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink())
      throw new UnsafePathError(`${relative(top, dir)} is a symbolic link, which is never written through`);
    if (!stat) mkdirSync(dir);
  }
  if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink())
    throw new UnsafePathError('it is a symbolic link, which is never written through');
  // O_NOFOLLOW: a link put there between the check and the write is refused too.
  const fd = openSync(
    target,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
  );
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
