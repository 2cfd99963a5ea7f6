import type { RawFinding } from '../../findings/types.js';
import { childLoc, keyLoc, type Loc } from '../../load/location.js';
import { loadFiles, type LoadedRepository } from '../../load/repository.js';
import { describeErrors } from '../../validate/validate.js';
import { validatorFor } from '../../validate/schemas.js';
import { compilePolicy, type PolicyDocument } from './compile.js';
import type { Policy } from './types.js';

export interface LoadedPolicies extends Pick<LoadedRepository, 'sources' | 'suppressions' | 'errors'> {
  policies: Policy[];
  /** IDC001: a policy file that is unreadable, breaks policy.schema.json, or has a schema ajv refuses. */
  problems: RawFinding[];
}

/**
 * Reads the team's policies: the files that `policies:` globs match under `root` (the repository, or in the
 * Action the base branch's checkout), each `kind: Policy` document validated and compiled once. A broken
 * policy is an IDC001 finding at its line, and the other policies still run.
 */
export function loadPolicies(
  root: string,
  globs: string[],
  maxBytes: number,
  builtinIds: Set<string>,
): LoadedPolicies {
  const files = loadFiles(root, globs, [], maxBytes);
  const out: LoadedPolicies = {
    policies: [],
    sources: files.sources,
    suppressions: files.suppressions,
    errors: files.errors,
    problems: files.problems,
  };
  if (
    globs.length > 0 &&
    files.sources.size === 0 &&
    files.problems.length === 0 &&
    files.errors.length === 0
  ) {
    out.errors.push({
      source: 'config',
      message:
        `no policy files match ${globs.map((g) => JSON.stringify(g)).join(', ')} (policies: in ` +
        `.idc-guard.yml)`,
    });
  }
  const validate = validatorFor('policy.schema.json');
  /** Policy ID → the file that defined it first. */
  const seen = new Map<string, string>();
  for (const doc of files.docs) {
    const problem = (message: string, at: Loc = doc.loc): void => {
      out.problems.push({
        ruleId: 'IDC001',
        message,
        at,
        entity: { kind: 'document', name: `${doc.file}#${doc.doc}` },
        detail: message,
      });
    };
    const value = doc.value as Record<string, unknown> | null;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value.kind !== 'Policy') {
      problem('a policy file holds `kind: Policy` documents only (policies: in .idc-guard.yml names it)');
      continue;
    }
    if (!validate(value)) {
      for (const p of describeErrors(validate.errors ?? [])) {
        problem(p.message, p.key ? keyLoc(doc.loc, ...p.path) : childLoc(doc.loc, ...p.path));
      }
      continue;
    }
    const policy = value as unknown as PolicyDocument;
    const idAt = childLoc(doc.loc, 'id');
    const clash = builtinIds.has(policy.id)
      ? 'a built-in rule'
      : seen.has(policy.id) && `another policy (${seen.get(policy.id)})`;
    if (clash) {
      problem(`policy ID ${policy.id} is already used by ${clash}; IDs must be unique`, idAt);
      continue;
    }
    seen.set(policy.id, doc.file);
    const compiled = compilePolicy(policy, doc.loc, doc.file);
    if ('problem' in compiled) {
      problem(
        `policy ${policy.id}: its \`${compiled.problem.field}\` schema is invalid: ` +
          `${compiled.problem.message}`,
        keyLoc(doc.loc, compiled.problem.field),
      );
      continue;
    }
    out.policies.push(compiled.policy);
  }
  return out;
}
