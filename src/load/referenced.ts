import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { DeclaredModel } from '../model/types.js';
import { readSource, type SourceFile } from './source.js';

/**
 * Reads the files that declarations point at (inline policies), with the same size cap and binary check as
 * every other file. A path outside the repository, or through a symbolic link, is refused: a pull request
 * must not be able to make the check read (and quote) a file of the runner's.
 * Returns the paths referenced (so they are not also reported as unknown or broken declaration files), with
 * the files read, whose positions findings inside them need.
 */
export function readReferencedFiles(
  model: DeclaredModel,
  root: string,
  maxBytes: number,
): Map<string, SourceFile | undefined> {
  const referenced = new Map<string, SourceFile | undefined>();
  const realRoot = realpathSync(root);
  for (const ps of model.permissionSets) {
    const policy = ps.inlinePolicy;
    if (policy?.kind !== 'file') continue;
    if (policy.resolved === '..' || policy.resolved.startsWith('../') || policy.resolved.startsWith('/')) {
      policy.problem = `the path points outside the repository (${policy.path})`;
      continue;
    }
    referenced.set(policy.resolved, undefined);
    let real: string;
    try {
      real = realpathSync(join(root, policy.resolved));
    } catch {
      policy.problem = `${policy.resolved} does not exist`;
      continue;
    }
    if (real !== join(realRoot, policy.resolved)) {
      policy.problem =
        `${policy.resolved} is or passes through a symbolic link, ` + 'which idc-guard does not follow';
      continue;
    }
    const read = readSource(root, policy.resolved, maxBytes);
    if ('source' in read) {
      policy.text = read.source.text;
      referenced.set(policy.resolved, read.source);
    } else if ('finding' in read) policy.problem = read.finding.message;
    else policy.problem = read.error.message;
  }
  return referenced;
}
