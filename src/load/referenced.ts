import { readSource } from './source.js';
import type { DeclaredModel } from '../model/types.js';

/**
 * Reads the files that declarations point at (inline policies), with the same size cap and binary check as
 * every other file. Returns the paths read, so discovery does not also report them as unknown JSON.
 */
export function readReferencedFiles(model: DeclaredModel, root: string, maxBytes: number): Set<string> {
  const referenced = new Set<string>();
  for (const ps of model.permissionSets) {
    const policy = ps.inlinePolicy;
    if (policy?.kind !== 'file') continue;
    if (policy.resolved === '..' || policy.resolved.startsWith('../') || policy.resolved.startsWith('/')) {
      policy.problem = `points outside the repository (${policy.path})`;
      continue;
    }
    referenced.add(policy.resolved);
    const read = readSource(root, policy.resolved, maxBytes);
    if ('source' in read) policy.text = read.source.text;
    else if ('finding' in read) policy.problem = read.finding.message;
    else
      policy.problem = /ENOENT/.test(read.error.message)
        ? `${policy.resolved} does not exist`
        : read.error.message;
  }
  return referenced;
}
