import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { defineRule } from './types.js';

const MAX_DESCRIPTION = 700;

export const rule = defineRule({ id: 'IDC012' }, ({ model, params }, finding) => {
  const out: RawFinding[] = [];
  for (const ps of model.permissionSets) {
    // Its definition is kept where it is managed, not here.
    if (ps.managedBy) continue;
    const entity = { kind: 'permissionSet', name: ps.name };
    const add = (at: RawFinding['at'], detail: string, message: string): void => {
      out.push(finding(at, entity, `permission set ${quote(ps.name)}: ${message}`, { detail }));
    };
    if (ps.description !== undefined && ps.description.length > MAX_DESCRIPTION) {
      add(
        childLoc(ps.at, 'description'),
        'description',
        `the description is ${ps.description.length} characters; Identity Center allows ${MAX_DESCRIPTION}`,
      );
    }
    const max = params.maxManagedPoliciesPerPermissionSet;
    const managed = ps.managedPolicies.length + ps.customerManagedPolicies.length;
    if (managed > max) {
      const at = ps.managedPolicies.length > 0 ? 'managedPolicies' : 'customerManagedPolicies';
      add(
        childLoc(ps.at, at),
        'managedPolicies',
        `${managed} managed policies (AWS and customer managed together) are attached, over the limit ` +
          `of ${max}: provisioning fails in every account whose IAM quota "Managed policies attached to ` +
          `an IAM role" is lower (10 by default; Identity Center's own maximum is 20). Raise ` +
          `params.maxManagedPoliciesPerPermissionSet only if those quotas were raised`,
      );
    }
    const policy = ps.inlinePolicy;
    if (!policy) continue;
    let text: string;
    if (policy.kind === 'file') {
      if (policy.problem !== undefined || policy.text === undefined) {
        add(
          policy.at,
          'inlinePolicy',
          `the inline policy ${quote(policy.path)} cannot be used: ${policy.problem ?? 'it was not read'}`,
        );
        continue;
      }
      text = policy.text;
      const parsed = parseJson(text);
      if (parsed !== undefined) {
        add(
          policy.at,
          'inlinePolicy',
          `the inline policy ${quote(policy.path)} is not valid JSON (${parsed}); Identity Center rejects it`,
        );
        continue;
      }
    } else {
      text = JSON.stringify(policy.document);
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const dense = Buffer.byteLength(text.replace(/\s+/g, ''), 'utf8');
    if (bytes > params.maxInlinePolicyBytes) {
      add(
        policy.at,
        'inlinePolicySize',
        `the inline policy is ${bytes} bytes; Identity Center accepts at most ` +
          `${params.maxInlinePolicyBytes}. Move statements into customer managed policies`,
      );
    } else if (dense > params.maxInlinePolicyNonWhitespaceBytes) {
      add(
        policy.at,
        'inlinePolicySize',
        `the inline policy has ${dense} bytes of non-whitespace characters; Identity Center accepts at ` +
          `most ${params.maxInlinePolicyNonWhitespaceBytes}. Move statements into customer managed ` +
          `policies`,
      );
    }
  }
  return out;
});

/** undefined when `text` is JSON; otherwise the parser's complaint. */
function parseJson(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/\s+/g, ' ').slice(0, 120);
  }
}
