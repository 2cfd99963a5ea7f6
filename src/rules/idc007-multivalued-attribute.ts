import type { RawFinding } from '../findings/types.js';
import {
  howToRemove,
  parseScimPath,
  SINGLE_VALUED_LISTS,
  UNSUPPORTED_USER_ATTRIBUTES,
} from '../model/scim.js';
import { quote } from '../util/text.js';
import { defineRule } from './types.js';

export const rule = defineRule({ id: 'IDC007' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  for (const set of model.mappingSets) {
    const matching = (set.mappings ?? [])
      .filter((m) => m.matchingPriority !== undefined)
      .sort((a, b) => a.matchingPriority! - b.matchingPriority!)[0];
    const matchOn = set.object === 'user' ? 'username' : 'displayname';
    if (matching && parseScimPath(matching.target).root !== matchOn) {
      const expected = set.object === 'user' ? 'userName' : 'displayName';
      out.push(
        finding(
          matching.at,
          { kind: 'mapping', name: `${set.object}:matching` },
          `${set.object}s are matched on ${quote(matching.target)}, but Identity Center can filter ` +
            `${set.object}s only by ${expected}: existing ${set.object}s are not found and their creation ` +
            `fails with 409. Make \`${expected}\` the matching attribute (matching precedence 1)`,
        ),
      );
    }
    const seenTargets = new Map<string, string>();
    const filtersByList = new Map<string, string>();
    for (const m of set.mappings ?? []) {
      const path = parseScimPath(m.target);
      const entity = { kind: 'mapping', name: `${set.object}:${m.target}` };
      const normalized = `${path.root}[${path.filter ?? ''}].${path.sub ?? ''}`;
      if (set.object === 'user' && UNSUPPORTED_USER_ATTRIBUTES.has(path.root)) {
        out.push(
          finding(
            m.at,
            entity,
            `the SCIM attribute ${quote(m.target)} is not supported by Identity Center, which rejects ` +
              `or ignores it. Fix it ${howToRemove(set.idp, set.object, m.target)}`,
          ),
        );
        continue;
      }
      const earlier = seenTargets.get(normalized);
      if (earlier !== undefined) {
        out.push(
          finding(
            m.at,
            entity,
            `${quote(m.target)} is mapped twice (from ${quote(earlier)} and ${quote(m.sourceText)}); ` +
              `keep one: ${howToRemove(set.idp, set.object, m.target)}`,
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
        const list = m.target.trim().split(/[[.]/)[0];
        out.push(
          finding(
            m.at,
            entity,
            `a second value of \`${list}\` is mapped (${quote(m.target)}): Identity Center accepts one ` +
              `value for emails, phoneNumbers, addresses and roles and rejects the user's request ("List ` +
              `attribute ${list} exceeds allowed limit of 1"), so the user is not provisioned. Fix it ` +
              `${howToRemove(set.idp, set.object, m.target)}`,
          ),
        );
      }
    }
  }
  return out;
});
