import type { RawFinding } from '../findings/types.js';
import { nameKey } from '../live/live-lookup.js';
import { quote } from '../util/text.js';
import { applicationsWithAssignments } from './applications.js';
import { applicationAssignmentEntity, applicationName } from './shared.js';
import { defineLiveRule } from './types.js';

/**
 * A declared application assignment that Identity Center does not have. A principal that does not exist live
 * is IDC101's (groups) and not reported again here.
 */
export const rule = defineLiveRule(
  { id: 'IDC113', needs: ['groups', 'users', 'applications'] },
  ({ model, lookup }, finding) => {
    const out: RawFinding[] = [];
    for (const { decl, assignments, text } of applicationsWithAssignments(model, lookup.live.applications)) {
      const assigned = new Set(assignments.map((a) => `${a.principalType} ${a.principalId}`));
      const app = text;
      const principals = [
        ...decl.groups.map((p) => ({
          p,
          type: 'GROUP',
          id: lookup.groupByName.get(nameKey(p.value))?.groupId,
        })),
        ...decl.users.map((p) => ({ p, type: 'USER', id: lookup.userByName.get(nameKey(p.value))?.userId })),
      ];
      for (const { p, type, id } of principals) {
        if (id === undefined || assigned.has(`${type} ${id}`)) continue;
        const kind = type.toLowerCase();
        out.push(
          finding(
            p.at,
            applicationAssignmentEntity(type, p.value, applicationName(decl)),
            `${kind} ${quote(p.value)} should be assigned to application ${app}, but Identity Center has no ` +
              `such assignment: apply the declarations, or remove the ${kind} from the application`,
          ),
        );
      }
    }
    return out;
  },
);
