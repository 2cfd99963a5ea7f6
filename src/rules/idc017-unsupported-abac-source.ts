import type { RawFinding } from '../findings/types.js';
import { ABAC_PATHS, abacPathAsListed, parseAbacSource } from '../model/abac.js';
import { closest, quote } from '../util/text.js';
import { defineRule } from './types.js';

/**
 * An access control attribute whose source is not one that Identity Center can read: not `${path:…}` of one
 * of the identity store attributes AWS lists (nor `${dir:…}` of an AWS Managed Microsoft AD directory).
 */
export const rule = defineRule({ id: 'IDC017' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  for (const attribute of model.accessControlAttributes[0]?.attributes ?? []) {
    if (attribute.invalid) continue; // IDC001 reports it
    const { key, source } = attribute;
    const parsed = parseAbacSource(source.value);
    if (parsed.kind === 'directory' || (parsed.kind === 'path' && parsed.supported)) continue;
    let why: string;
    if (parsed.kind === 'path') {
      const near = closest(parsed.path, ABAC_PATHS) ?? abacPathAsListed(parsed.path);
      why =
        `${quote(parsed.path)} is not an identity store attribute that AWS supports for access control` +
        (near ? ` (did you mean \${path:${near}}?)` : '');
    } else {
      why = 'a source is `${path:<attribute>}`, e.g. `${path:enterprise.department}`';
    }
    out.push(
      finding(
        source.at,
        { kind: 'accessControlAttribute', name: key.value.toLowerCase() },
        `access control attribute ${quote(key.value)} has source ${quote(source.value)}: ${why}, so the ` +
          `session tag is never set; use one of the ${ABAC_PATHS.length} supported \${path:…} attributes, or ` +
          `pass the value in the SAML assertion and list the key under fromSamlAssertion`,
      ),
    );
  }
  return out;
});
