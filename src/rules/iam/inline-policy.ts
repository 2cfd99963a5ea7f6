import type { Loc } from '../../load/location.js';
import { isPartInvalid } from '../../model/values.js';
import type { PermissionSetDecl } from '../../model/types.js';

/**
 * A permission set's inline policy as a JSON value, with the node its paths start from: inside the policy
 * file, or inside the YAML document. Undefined when there is none to judge: no policy, managed elsewhere,
 * rejected by the schema, unreadable or not JSON (IDC012 reports those).
 */
export function inlinePolicyDocument(ps: PermissionSetDecl): { document: unknown; root: Loc } | undefined {
  const policy = ps.inlinePolicy;
  if (!policy || ps.managedBy || isPartInvalid(ps, 'inlinePolicy')) return undefined;
  if (policy.kind === 'document') return { document: policy.document, root: policy.at };
  if (policy.text === undefined) return undefined;
  try {
    return { document: JSON.parse(policy.text), root: { file: policy.resolved, doc: 0, path: [] } };
  } catch {
    return undefined;
  }
}
