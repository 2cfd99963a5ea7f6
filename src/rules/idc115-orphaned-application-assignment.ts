import { applicationsWithAssignments } from './applications.js';
import { applicationAssignmentEntity, applicationName } from './shared.js';
import { defineLiveRule } from './types.js';

/** A live assignment of a declared application to a principal the identity store no longer has. */
export const rule = defineLiveRule({ id: 'IDC115', needs: ['applications'] }, ({ model, lookup }, finding) =>
  applicationsWithAssignments(model, lookup.live.applications).flatMap(({ decl, assignments, text }) =>
    assignments
      .filter((a) => a.principalMissing)
      .map((a) =>
        finding(
          decl.at,
          applicationAssignmentEntity(a.principalType, a.principalId, applicationName(decl)),
          `Identity Center assigns application ${text} to ` +
            `${a.principalType.toLowerCase()} ${a.principalId}, which no longer exists (deleted, or ` +
            `re-created under a new ID): remove this assignment and re-create it for the current principal`,
        ),
      ),
  ),
);
