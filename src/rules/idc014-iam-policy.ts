import type { RawFinding, Severity } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { own } from '../util/own.js';
import { SuggestionBudget } from '../util/suggest.js';
import { quote } from '../util/text.js';
import { IamNames } from './iam/iam-names.js';
import { inlinePolicyDocument } from './iam/inline-policy.js';
import { validatePolicyDocument } from './iam/validate-policy.js';
import { defineRule } from './types.js';

/** Access Analyzer's finding types as severities. */
const ANALYZER_SEVERITY: Record<string, Severity> = {
  ERROR: 'error',
  SECURITY_WARNING: 'warning',
  WARNING: 'warning',
  SUGGESTION: 'notice',
};

/**
 * IAM policy problems in inline policies, offline, at the line inside the policy file or the YAML document.
 * A policy that is not JSON at all, or cannot be read, is IDC012's.
 */
export const rule = defineRule({ id: 'IDC014' }, ({ model, analyzerFindings = [] }, finding) => {
  const out: RawFinding[] = [];
  // One budget for the run's "did you mean" (prefixes, actions, operators), however many policies there are.
  const names = new IamNames(new SuggestionBudget());
  for (const ps of model.permissionSets) {
    const inline = inlinePolicyDocument(ps);
    if (!inline) continue;
    const { document, root } = inline;
    const administrator = ps.written.administrator === true;
    const analyzed = analyzerFindings.filter((f) => f.permissionSet === ps.name);
    // Access Analyzer knows today's services and actions: where it spoke of one, our list stays quiet.
    const analyzedPaths = new Set(analyzed.map((f) => f.path.join('/')));
    for (const f of analyzed) {
      out.push(
        finding(
          childLoc(root, ...f.path),
          { kind: 'permissionSet', name: ps.name },
          `inline policy of ${quote(ps.name)}: IAM Access Analyzer ${f.issueCode}: ${f.details}`,
          {
            detail: `access-analyzer:${f.issueCode}:${f.path.join('/')}`,
            severity: own(ANALYZER_SEVERITY, f.type) ?? 'warning',
          },
        ),
      );
    }
    for (const problem of validatePolicyDocument(document, { administrator, names })) {
      if (/^\d+:(prefix|action):/.test(problem.detail) && analyzedPaths.has(problem.path.join('/'))) continue;
      out.push(
        finding(
          childLoc(root, ...problem.path),
          { kind: 'permissionSet', name: ps.name },
          `inline policy of ${quote(ps.name)}: ${problem.message}`,
          { detail: problem.detail, ...(problem.severity ? { severity: problem.severity } : {}) },
        ),
      );
    }
  }
  return out;
});
