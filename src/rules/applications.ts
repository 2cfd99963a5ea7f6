// What the application rules share: each declared application matched with the live one it names.
import type { LiveApplication } from '../live/types.js';
import type { ApplicationDecl, DeclaredModel } from '../model/types.js';
import { quote } from '../util/text.js';

export interface MatchedApplication {
  decl: ApplicationDecl;
  /** The live application: by ARN when one is declared, else the one application of that name. */
  live?: LiveApplication;
  /** Live applications of the declared name, when no ARN is declared (several: ambiguous). */
  named: LiveApplication[];
}

/** Every declared application with its live match; none when the applications were not read. */
export function matchApplications(
  model: DeclaredModel,
  live: LiveApplication[] | undefined,
): MatchedApplication[] {
  if (!live) return [];
  const byArn = new Map(live.map((a) => [a.arn, a]));
  const byName = new Map<string, LiveApplication[]>();
  for (const a of live) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  return model.applications.map((decl) => {
    if (decl.arn) return { decl, live: byArn.get(decl.arn.value), named: [] };
    const named = byName.get(decl.name?.value ?? '') ?? [];
    return { decl, live: named.length === 1 ? named[0] : undefined, named };
  });
}

/** The declared applications whose live assignments were read, with them. */
export function applicationsWithAssignments(model: DeclaredModel, live: LiveApplication[] | undefined) {
  return matchApplications(model, live).flatMap((m) =>
    m.live?.assignments
      ? [
          {
            decl: m.decl,
            live: m.live,
            assignments: m.live.assignments,
            text: applicationText(m.decl, m.live),
          },
        ]
      : [],
  );
}

/** An application for messages: its declared name, else its live name, else its ARN; quoted. */
export function applicationText(decl: ApplicationDecl, live?: LiveApplication): string {
  const name = decl.name?.value ?? live?.name;
  return name !== undefined ? quote(name) : (decl.arn?.value ?? '');
}
