import type { RawFinding } from '../findings/types.js';
import { childLoc, type Loc } from '../load/location.js';
import { quote } from '../util/text.js';
import { validatePolicyDocument } from './iam/validate-policy.js';
import { finding, type Rule } from './types.js';

/**
 * IAM policy problems in inline policies, offline, at the line inside the policy file or the YAML document.
 * A policy that is not JSON at all, or cannot be read, is IDC012's.
 */
export const rule: Rule = {
  id: 'IDC014',
  check({ model }) {
    const out: RawFinding[] = [];
    for (const ps of model.permissionSets) {
      const policy = ps.inlinePolicy;
      if (!policy || ps.invalid) continue;
      let document: unknown;
      let root: Loc;
      if (policy.kind === 'file') {
        if (policy.text === undefined) continue;
        try {
          document = JSON.parse(policy.text);
        } catch {
          continue;
        }
        root = { file: policy.resolved, doc: 0, path: [] };
      } else {
        document = policy.document;
        root = policy.at;
      }
      const administrator = ps.written.administrator === true;
      for (const problem of validatePolicyDocument(document, { administrator })) {
        out.push(
          finding(
            'IDC014',
            childLoc(root, ...problem.path),
            { kind: 'permissionSet', name: ps.name },
            `inline policy of ${quote(ps.name)}: ${problem.message}`,
            { detail: problem.detail, ...(problem.severity ? { severity: problem.severity } : {}) },
          ),
        );
      }
    }
    return out;
  },
};
