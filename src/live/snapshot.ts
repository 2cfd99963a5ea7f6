import { relative } from 'node:path';
import { childLoc, keyLoc } from '../load/location.js';
import { parseSource } from '../load/parse.js';
import { Locator } from '../load/positions.js';
import { readSource } from '../load/source.js';
import { validatorFor } from '../validate/schemas.js';
import { describeErrors } from '../validate/validate.js';
import type { LiveState } from './types.js';

const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** Reads a snapshot written by `idc-guard snapshot`. Throws one clear message, with file and line, if it is unusable. */
export function readSnapshot(root: string, absPath: string): LiveState {
  const rel = relative(root, absPath).split('\\').join('/');
  const read = readSource(root, rel, MAX_SNAPSHOT_BYTES);
  if ('error' in read)
    throw new Error(
      `cannot read snapshot ${rel.startsWith('..') ? absPath : rel}: ${read.error.message.replace(/^.*: /, '')}`,
    );
  if ('finding' in read) throw new Error(`snapshot: ${read.finding.message}`);
  const { docs, findings } = parseSource(read.source);
  const locator = new Locator(new Map([[rel, read.source]]));
  if (findings.length > 0) {
    const p = locator.locate(findings[0].at);
    throw new Error(`snapshot ${rel}:${p.line}:${p.column}: ${findings[0].message}`);
  }
  const value = docs[0]?.value;
  const validate = validatorFor('snapshot.schema.json');
  if (!validate(value)) {
    const problem = describeErrors(validate.errors ?? [])[0];
    const p = locator.locate(
      problem.key ? keyLoc(docs[0].loc, ...problem.path) : childLoc(docs[0].loc, ...problem.path),
    );
    throw new Error(
      `snapshot ${rel}:${p.line}:${p.column}: ${problem.message} (write it again with \`idc-guard snapshot\`)`,
    );
  }
  const state = value as LiveState;
  return { ...state, failures: state.failures ?? [], apiCalls: {} };
}
