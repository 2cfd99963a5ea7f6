import type { RawFinding } from '../findings/types.js';
import { keyLoc } from '../load/location.js';
import { quote } from '../util/text.js';
import { defineLiveRule } from './types.js';

/**
 * The declared attributes for access control against the instance's: none configured, a configuration that
 * failed, a key missing live or with another source, or a live key nobody declares. Keys are matched without
 * case, as IAM matches session tags.
 */
export const rule = defineLiveRule(
  {
    id: 'IDC117',
    needs: ['accessControlAttributes'],
    needsCompleteDeclarations: ['AccessControlAttributes'],
  },
  ({ model, lookup }, finding) => {
    const declared = model.accessControlAttributes[0];
    const live = lookup.live.accessControlAttributes;
    if (!declared || !live) return [];
    const entity = { kind: 'accessControlAttributes', name: 'instance' };
    if (!live.configured) {
      return [
        finding(
          declared.at,
          entity,
          `Identity Center has no attributes for access control (ABAC is not enabled), so no session carries ` +
            `${declared.attributes.length === 1 ? 'the declared tag' : `the ${declared.attributes.length} declared tags`}: apply the declarations, or remove the document`,
        ),
      ];
    }
    const out: RawFinding[] = [];
    if (live.status === 'CREATION_FAILED') {
      out.push(
        finding(
          declared.at,
          entity,
          `Identity Center's attributes for access control failed to be created` +
            `${live.statusReason ? ` (${live.statusReason})` : ''}: fix the cause and apply them again`,
        ),
      );
    }
    const liveByKey = new Map(live.attributes.map((a) => [a.key.toLowerCase(), a]));
    const declaredKeys = new Set(declared.attributes.map((a) => a.key.value.toLowerCase()));
    for (const { key, source, invalid } of declared.attributes) {
      if (invalid) continue;
      const attr = liveByKey.get(key.value.toLowerCase());
      const tag = { kind: 'accessControlAttribute', name: key.value.toLowerCase() };
      if (!attr) {
        out.push(
          finding(
            key.at,
            tag,
            `access control attribute ${quote(key.value)} is not configured in Identity Center, so sessions ` +
              `carry no such tag: apply the declarations, or remove the attribute`,
          ),
        );
      } else if (attr.source !== source.value) {
        out.push(
          finding(
            source.at,
            tag,
            `access control attribute ${quote(key.value)} takes its value from ${quote(attr.source)} in ` +
              `Identity Center, not ${quote(source.value)}: apply the declarations, or declare that source`,
          ),
        );
      }
    }
    for (const attr of live.attributes) {
      if (declaredKeys.has(attr.key.toLowerCase())) continue;
      out.push(
        finding(
          keyLoc(declared.at, 'attributes'),
          { kind: 'accessControlAttribute', name: attr.key.toLowerCase() },
          `Identity Center has access control attribute ${quote(attr.key)} (from ${quote(attr.source)}), ` +
            `which the declaration does not list (made in the console?): declare it, or remove it in ` +
            `Identity Center`,
        ),
      );
    }
    return out;
  },
);
