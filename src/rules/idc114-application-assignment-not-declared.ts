import type { RawFinding } from '../findings/types.js';
import { childLoc, keyLoc } from '../load/location.js';
import { nameKey } from '../live/live-lookup.js';
import { quote } from '../util/text.js';
import { applicationsWithAssignments } from './applications.js';
import { applicationAssignmentEntity, applicationName } from './shared.js';
import { defineLiveRule } from './types.js';

/**
 * A live assignment of a declared application that its declaration does not list: made in the console, or
 * left behind. Applications nobody declares are not judged (AWS managed ones have assignments of their own).
 */
export const rule = defineLiveRule(
  {
    id: 'IDC114',
    needs: ['groups', 'users', 'applications'],
    needsCompleteDeclarations: ['Application'],
  },
  ({ model, lookup }, finding) => {
    const out: RawFinding[] = [];
    for (const { decl, assignments, text } of applicationsWithAssignments(model, lookup.live.applications)) {
      const declared = new Set([
        ...decl.groups.map((g) => `GROUP ${nameKey(g.value)}`),
        ...decl.users.map((u) => `USER ${nameKey(u.value)}`),
      ]);
      const app = text;
      const list = (kind: 'groups' | 'users') =>
        decl[kind].length > 0
          ? childLoc(decl.at, 'assignments', kind)
          : decl.written.assignments
            ? keyLoc(decl.at, 'assignments')
            : decl.at;
      for (const a of assignments) {
        if (a.principalMissing) continue; // IDC115's
        const name =
          a.principalType === 'GROUP'
            ? (lookup.groupById.get(a.principalId)?.displayName ?? a.principalName)
            : (lookup.userById.get(a.principalId)?.userName ?? a.principalName);
        if (name === undefined || declared.has(`${a.principalType} ${nameKey(name)}`)) continue;
        const kind = a.principalType.toLowerCase();
        out.push(
          finding(
            list(a.principalType === 'GROUP' ? 'groups' : 'users'),
            applicationAssignmentEntity(a.principalType, name, applicationName(decl)),
            `Identity Center assigns application ${app} to ${kind} ${quote(name)}, which the declaration ` +
              `does not list (made in the console?): add it under assignments.${kind}s, or remove the ` +
              `assignment in Identity Center`,
          ),
        );
      }
    }
    return out;
  },
);
