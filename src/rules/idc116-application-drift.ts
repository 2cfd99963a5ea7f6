import type { RawFinding } from '../findings/types.js';
import { quote } from '../util/text.js';
import { closest } from '../util/text.js';
import { applicationText, matchApplications } from './applications.js';
import { applicationName } from './shared.js';
import { defineLiveRule } from './types.js';

/**
 * A declared application that Identity Center does not have (or has several of, by that name), one whose live
 * name differs from its declared ARN's, or whose AssignmentRequired differs from the declaration.
 */
export const rule = defineLiveRule(
  { id: 'IDC116', needs: ['applications'] },
  ({ model, lookup }, finding) => {
    const out: RawFinding[] = [];
    const names = (lookup.live.applications ?? []).map((a) => a.name);
    for (const { decl, live, named } of matchApplications(model, lookup.live.applications)) {
      const entity = { kind: 'application', name: applicationName(decl) };
      const app = quote(applicationName(decl));
      if (decl.arn?.invalid || decl.name?.invalid) continue;
      if (!live && decl.arn) {
        out.push(
          finding(
            decl.arn.at,
            entity,
            `Identity Center has no application ${decl.arn.value} in this instance (deleted, or of another ` +
              `instance): fix the ARN, or remove the declaration`,
          ),
        );
        continue;
      }
      if (!live && decl.name) {
        const near = named.length === 0 ? closest(decl.name.value, names) : undefined;
        out.push(
          finding(
            decl.name.at,
            entity,
            named.length === 0
              ? `Identity Center has no application named ${app}${near ? ` (did you mean ${quote(near)}?)` : ''}: ` +
                  `create it, or fix the name`
              : `Identity Center has ${named.length} applications named ${app} (${named.map((a) => a.arn).join(', ')}), ` +
                  `so which one is meant cannot be told: add its arn to the declaration`,
          ),
        );
        continue;
      }
      if (!live) continue;
      const text = applicationText(decl, live);
      if (decl.name && decl.arn && live.name !== decl.name.value) {
        out.push(
          finding(
            decl.name.at,
            entity,
            `application ${decl.arn.value} is named ${quote(live.name)} in Identity Center, not ${app}: ` +
              `fix the name, or rename the application`,
          ),
        );
      }
      const required = decl.assignmentRequired;
      if (required && live.assignmentRequired !== undefined && live.assignmentRequired !== required.value) {
        out.push(
          finding(
            required.at,
            entity,
            live.assignmentRequired
              ? `application ${text} requires assignment in Identity Center, but the declaration says ` +
                  `assignmentRequired: false: apply the declarations, or declare it true`
              : `application ${text} does not require assignment in Identity Center, so every user of the ` +
                  `identity store may use it, not only those assigned: apply assignmentRequired: true, or ` +
                  `declare it false`,
          ),
        );
      }
    }
    return out;
  },
);
