import type { RawFinding } from '../findings/types.js';
import {
  howToMap,
  parseScimPath,
  REQUIRED_GROUP_ATTRIBUTES,
  REQUIRED_USER_ATTRIBUTES,
} from '../model/scim.js';
import type { AttributeMap } from '../model/types.js';
import { quote } from '../util/text.js';
import { own } from '../util/own.js';
import { finding, type Rule } from './types.js';

/** A constant that is empty supplies nothing; every other mapping supplies its target. */
const supplies = (m: AttributeMap): boolean => m.kind !== 'constant' || (m.constant ?? '').trim() !== '';

/** A fallback that is never empty, per IdP and attribute, in the IdP's own expression language. */
const FALLBACK: Record<string, Record<string, string>> = {
  entra: {
    'emails[type eq "work"].value': 'Coalesce([mail], [userPrincipalName])',
    'name.givenName': 'Coalesce([givenName], [displayName])',
    'name.familyName': 'Coalesce([surname], [displayName])',
    displayName: 'Coalesce([displayName], [userPrincipalName])',
    userName: '[userPrincipalName]',
  },
  okta: {
    displayName: 'user.displayName != null ? user.displayName : user.firstName + " " + user.lastName',
    'emails[type eq "work"].value': 'user.email',
    userName: 'user.login',
  },
};

export const rule: Rule = {
  id: 'IDC006',
  check({ model }) {
    const out: RawFinding[] = [];
    for (const set of model.mappingSets) {
      if (set.invalid || !set.mappings) continue;
      const required = set.object === 'user' ? REQUIRED_USER_ATTRIBUTES : REQUIRED_GROUP_ATTRIBUTES;
      const objects = set.object === 'user' ? 'users' : 'groups';
      for (const attribute of required) {
        const entity = { kind: 'mapping', name: `${set.object}:${attribute.name}` };
        const suppliers = set.mappings.filter(
          (m) => supplies(m) && attribute.supplies(parseScimPath(m.target)),
        );
        if (suppliers.length === 0) {
          // A mapping of an empty constant is there, but supplies nothing: point at it rather than at the list.
          const empty = set.mappings.find((m) => !supplies(m) && attribute.supplies(parseScimPath(m.target)));
          const what = empty
            ? `maps an empty constant onto \`${attribute.name}\`, which supplies nothing`
            : `no mapping supplies the SCIM attribute \`${attribute.name}\``;
          out.push(
            finding(
              'IDC006',
              empty?.at ?? set.mappingsAt,
              entity,
              `${empty ? 'this mapping ' : ''}${what}: Identity Center requires it, so ${objects} are silently never provisioned. Fix it ${howToMap(set.idp, set.object, attribute.name)}`,
            ),
          );
        } else if (suppliers.every((m) => m.mayBeEmpty)) {
          const m = suppliers[0];
          const fallback = own(own(FALLBACK, set.idp), attribute.name);
          out.push(
            finding(
              'IDC006',
              m.at,
              entity,
              `\`${attribute.name}\` comes only from ${quote(m.sourceText)}, which is empty for some ${objects}: those are silently not provisioned. Add a fallback${fallback ? `, e.g. ${fallback}` : ' that is never empty'}`,
              { severity: 'notice', detail: 'may-be-empty' },
            ),
          );
        } else if (suppliers.every((m) => m.onlyOnCreate)) {
          const m = suppliers[0];
          const how =
            set.idp === 'okta'
              ? 'the mapping is "Create only" (DONT_PUSH)'
              : 'the mapping applies "Only during object creation"';
          out.push(
            finding(
              'IDC006',
              m.at,
              entity,
              `\`${attribute.name}\` is set only when a ${set.object} is created (${how}), so later changes at the IdP never reach Identity Center; apply it on every update unless that is intended`,
              { severity: 'notice', detail: 'create-only' },
            ),
          );
        }
      }
    }
    return out;
  },
};
