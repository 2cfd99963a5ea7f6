import type { RawFinding } from '../findings/types.js';
import { parseAbacSource, suppliesAbacPath } from '../model/abac.js';
import { howToMap } from '../model/scim.js';
import { quote } from '../util/text.js';
import { defineRule } from './types.js';

/**
 * An access control attribute whose `${path:…}` source no user mapping of the IdP supplies: SCIM never sets
 * that attribute, so every user's session tag is empty and every policy that tests it fails. Judged only when
 * the repository holds the IdP's user mappings (an export or an AttributeMapping document); any of them
 * supplying it is enough.
 */
export const rule = defineRule({ id: 'IDC018' }, ({ model }, finding) => {
  const sets = model.mappingSets.filter((s) => s.object === 'user' && s.mappings && !s.absent);
  const declared = model.accessControlAttributes[0];
  if (sets.length === 0 || !declared) return [];
  const targets = sets.flatMap((s) => s.mappings!.map((m) => m.target));
  const files = [...new Set(sets.map((s) => s.file))].join(', ');
  const out: RawFinding[] = [];
  for (const { key, source, invalid } of declared.attributes) {
    const parsed = parseAbacSource(source.value);
    if (invalid || parsed.kind !== 'path' || !parsed.supported) continue; // IDC001's or IDC017's
    if (targets.some((t) => suppliesAbacPath(t, parsed.path))) continue;
    const target = scimTarget(parsed.path);
    out.push(
      finding(
        source.at,
        { kind: 'accessControlAttribute', name: key.value.toLowerCase() },
        `access control attribute ${quote(key.value)} reads ${quote(parsed.path)}, but no user mapping ` +
          `in ${files} supplies ${quote(target)}: SCIM never sets it, so the session tag ` +
          `\`aws:PrincipalTag/${key.value}\` is empty for every user; ${howToMap(sets[0].idp, 'user', target)}`,
      ),
    );
  }
  return out;
});

/** The SCIM attribute an IdP maps onto for a `${path:…}`: the enterprise extension by its URN. */
function scimTarget(path: string): string {
  const m = /^enterprise\.(\w+)/i.exec(path);
  return m ? `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:${m[1]}` : path;
}
