import type { RawFinding } from '../findings/types.js';
import {
  howToMap,
  NEVER_EMPTY_FALLBACK,
  parseScimPath,
  REQUIRED_GROUP_ATTRIBUTES,
  REQUIRED_USER_ATTRIBUTES,
  whereToEdit,
} from '../model/scim.js';
import type { AttributeMap, MappingSet } from '../model/types.js';
import { quote } from '../util/text.js';
import { own } from '../util/own.js';
import { defineRule, type FindingOf } from './types.js';

/** A constant that is empty supplies nothing; every other mapping supplies its target. */
const supplies = (m: AttributeMap): boolean => m.kind !== 'constant' || (m.constant ?? '').trim() !== '';

/** The targetObjectName values of a user and a group object mapping. */
const TARGET_OBJECT_NAMES = {
  user: 'User or urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'Group or urn:ietf:params:scim:schemas:core:2.0:Group',
} as const;

/** An export that provisions no users (or groups) at all: one finding, not one per required attribute. */
function absentObject(set: MappingSet, finding: FindingOf): RawFinding {
  const objects = `${set.object}s`;
  const where = whereToEdit(set.idp, set.object);
  const what =
    set.absent === 'disabled'
      ? `the ${set.object} object mapping of this export is disabled (enabled: false)`
      : `this export has no ${set.object} object mapping (targetObjectName ` +
        `${TARGET_OBJECT_NAMES[set.object]})`;
  const fix =
    set.absent === 'disabled'
      ? `Enable it${where ? ` ${where}` : ''}`
      : `Check that it is there and enabled${where ? ` ${where}` : ''}, then download the whole schema ` +
        `again (Review your schema → Download)`;
  return finding(
    set.mappingsAt,
    { kind: 'mapping', name: `${set.object}:*` },
    `${what}, so no ${objects} are provisioned to Identity Center. ${fix}`,
  );
}

export const rule = defineRule({ id: 'IDC006' }, ({ model, params }, finding) => {
  const out: RawFinding[] = [];
  for (const set of model.mappingSets) {
    if (set.invalid) continue;
    if (set.absent) {
      out.push(absentObject(set, finding));
      continue;
    }
    if (!set.mappings) continue;
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
            empty?.at ?? set.mappingsAt,
            entity,
            `${empty ? 'this mapping ' : ''}${what}: Identity Center requires it, so ${objects} are ` +
              `silently never provisioned. Fix it ${howToMap(set.idp, set.object, attribute.name)}`,
          ),
        );
      } else if (suppliers.every((m) => m.mayBeEmpty)) {
        // The vendors' own default mappings read such attributes: a hint only when asked for
        // (IDC104 has the evidence).
        if (!params.reportMayBeEmptySources) continue;
        const m = suppliers[0];
        const fallback = own(own(NEVER_EMPTY_FALLBACK, set.idp), attribute.name);
        out.push(
          finding(
            m.at,
            entity,
            `\`${attribute.name}\` comes only from ${quote(m.sourceText)}, which is empty for some ` +
              `${objects}: those are silently not provisioned. Add a ` +
              `fallback${fallback ? `, e.g. ${fallback}` : ' that is never empty'}`,
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
            m.at,
            entity,
            `\`${attribute.name}\` is set only when a ${set.object} is created (${how}), so later ` +
              `changes at the IdP never reach Identity Center; apply it on every update unless that is ` +
              `intended`,
            { severity: 'notice', detail: 'create-only' },
          ),
        );
      }
    }
  }
  return out;
});
