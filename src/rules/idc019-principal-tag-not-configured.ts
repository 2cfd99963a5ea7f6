import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { principalTagKeys } from '../model/abac.js';
import { closest, quote } from '../util/text.js';
import { inlinePolicyDocument } from './iam/inline-policy.js';
import { defineRule } from './types.js';

/**
 * An inline policy that tests `aws:PrincipalTag/<key>` (a condition key, or a `${aws:PrincipalTag/<key>}`
 * variable) for a key that is neither an access control attribute nor passed in the SAML assertion: the
 * session never carries the tag, so the condition never matches. Keys are compared without case, as IAM
 * compares them. Judged only when an AccessControlAttributes document says which keys there are (in a pull
 * request, the head's, else the base's).
 */
export const rule = defineRule({ id: 'IDC019' }, ({ model }, finding) => {
  // A change that deletes the document is judged against the base's until it is merged.
  const declared = model.accessControlAttributes[0] ?? model.baseAccessControlAttributes;
  if (!declared) return [];
  const written = [...declared.attributes.map((a) => a.key), ...declared.fromSamlAssertion].map(
    (k) => k.value,
  );
  const keys = new Set(written.map((k) => k.toLowerCase()));
  const out: RawFinding[] = [];
  for (const ps of model.permissionSets) {
    const inline = inlinePolicyDocument(ps);
    if (!inline) continue;
    const reported = new Set<string>();
    for (const { key, path } of principalTagKeys(inline.document)) {
      const where = `${key.toLowerCase()}\u0000${path.join('/')}`;
      if (keys.has(key.toLowerCase()) || reported.has(where)) continue;
      reported.add(where);
      const near = closest(key, written);
      out.push(
        finding(
          childLoc(inline.root, ...path),
          { kind: 'permissionSet', name: ps.name },
          `inline policy of ${quote(ps.name)} tests aws:PrincipalTag/${key}, but ${quote(key)} is not an ` +
            `access control attribute (${declared.at.file}${declared === model.accessControlAttributes[0] ? '' : ' on the base'}) nor passed in the SAML assertion, so sessions ` +
            `never carry that tag and this condition never matches; ` +
            (near ? `fix the key (did you mean ${quote(near)}?)` : 'add the attribute, or fix the key'),
          { detail: `${key.toLowerCase()}:${path.join('/')}` },
        ),
      );
    }
  }
  return out;
});
