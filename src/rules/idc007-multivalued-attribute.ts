import type { RawFinding } from '../findings/types.js';
import { parseScimPath, SINGLE_VALUED_LISTS, UNSUPPORTED_USER_ATTRIBUTES } from '../model/scim.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC007',
  check({ model }) {
    const out: RawFinding[] = [];
    for (const set of model.mappingSets) {
      const seenTargets = new Map<string, string>();
      const filtersByList = new Map<string, string>();
      for (const m of set.mappings ?? []) {
        const path = parseScimPath(m.target);
        const entity = { kind: 'mapping', name: `${set.object}:${m.target}` };
        const normalized = `${path.root}[${path.filter ?? ''}].${path.sub ?? ''}`;
        if (set.object === 'user' && UNSUPPORTED_USER_ATTRIBUTES.has(path.root)) {
          out.push(
            finding(
              'IDC007',
              m.at,
              entity,
              `the SCIM attribute ${quote(m.target)} is not supported by Identity Center, which rejects or ignores it; remove this mapping`,
            ),
          );
          continue;
        }
        const earlier = seenTargets.get(normalized);
        if (earlier !== undefined) {
          out.push(
            finding(
              'IDC007',
              m.at,
              entity,
              `${quote(m.target)} is mapped twice (from ${quote(earlier)} and ${quote(m.sourceText)}); keep one mapping`,
              { detail: m.sourceText },
            ),
          );
          continue;
        }
        seenTargets.set(normalized, m.sourceText);
        if (!SINGLE_VALUED_LISTS.has(path.root)) continue;
        const filter = path.filter ?? '';
        const firstFilter = filtersByList.get(path.root);
        if (firstFilter === undefined) filtersByList.set(path.root, filter);
        else if (firstFilter !== filter) {
          out.push(
            finding(
              'IDC007',
              m.at,
              entity,
              `a second value of \`${path.root}\` is mapped (${quote(m.target)}): Identity Center accepts one value for emails, phoneNumbers, addresses and roles and rejects the user with "List attribute ${path.root} exceeds allowed limit of 1"; keep one ${path.root} mapping`,
            ),
          );
        }
      }
    }
    return out;
  },
};
