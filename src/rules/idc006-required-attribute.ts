import type { RawFinding } from '../findings/types.js';
import {
  howToMap,
  parseScimPath,
  REQUIRED_GROUP_ATTRIBUTES,
  REQUIRED_USER_ATTRIBUTES,
} from '../model/scim.js';
import { finding, type Rule } from './types.js';

/** A constant that is empty supplies nothing; every other mapping supplies its target. */
const supplies = (m: { kind: string; constant?: string }): boolean =>
  m.kind !== 'constant' || (m.constant ?? '').trim() !== '';

export const rule: Rule = {
  id: 'IDC006',
  check({ model }) {
    const out: RawFinding[] = [];
    for (const set of model.mappingSets) {
      if (set.invalid || !set.mappings) continue;
      const required = set.object === 'user' ? REQUIRED_USER_ATTRIBUTES : REQUIRED_GROUP_ATTRIBUTES;
      const paths = set.mappings.filter(supplies).map((m) => parseScimPath(m.target));
      for (const attribute of required) {
        if (paths.some((p) => attribute.supplies(p))) continue;
        const consequence =
          set.object === 'user'
            ? 'Identity Center requires it, so users are silently never provisioned'
            : 'Identity Center requires it, so groups are never provisioned';
        out.push(
          finding(
            'IDC006',
            set.mappingsAt,
            { kind: 'mapping', name: `${set.object}:${attribute.name}` },
            `no mapping supplies the SCIM attribute \`${attribute.name}\`: ${consequence}. Fix it ${howToMap(set.idp, set.object, attribute.name)}`,
          ),
        );
      }
    }
    return out;
  },
};
