import type { EntityRef } from '../findings/types.js';
import { childLoc, type Loc } from '../load/location.js';
import type { ApplicationDecl, DeclaredModel, GroupDecl, Located } from '../model/types.js';

/** Reports every name after the first that equals an earlier one without regard to case. */
export function duplicatesIgnoringCase<T>(
  items: T[],
  nameOf: (item: T) => string | undefined,
): { item: T; first: T }[] {
  const firstByName = new Map<string, T>();
  const duplicates: { item: T; first: T }[] = [];
  for (const item of items) {
    const name = nameOf(item);
    if (name === undefined || name === '') continue;
    const key = name.toLowerCase();
    const first = firstByName.get(key);
    if (first === undefined) firstByName.set(key, item);
    else duplicates.push({ item, first });
  }
  return duplicates;
}

/** Declared groups by lower-cased name (the first declaration wins; IDC003 reports the rest). */
export function declaredGroups(model: DeclaredModel): Map<string, GroupDecl> {
  const byName = new Map<string, GroupDecl>();
  for (const g of model.groups) if (!byName.has(g.name.toLowerCase())) byName.set(g.name.toLowerCase(), g);
  return byName;
}

/** Every group an account assignment or an application assigns, where it is written. */
export function assignedGroups(model: DeclaredModel): Located[] {
  return [
    ...model.assignments.filter((a) => a.principalType === 'group').map((a) => a.principal),
    ...model.applications.flatMap((app) => app.groups),
  ];
}

/**
 * An application assignment as a finding's entity: `group:aws-developers|Grafana`, the application by its
 * name, else its ARN (applicationName). Part of a finding's fingerprint, so its format never changes.
 */
export const applicationAssignmentEntity = (
  principalType: string,
  principal: string,
  application: string,
): EntityRef => ({
  kind: 'applicationAssignment',
  name: `${principalType.toLowerCase()}:${principal}|${application}`,
});

/** An application for messages and entities: its name, else its ARN. */
export const applicationName = (app: ApplicationDecl): string => app.name?.value ?? app.arn?.value ?? '';

/**
 * The name of an assignment entity: `group:admins|Admin|111111111111`. Part of a finding's fingerprint, so
 * its format never changes. The principal is a name or an ID; the account an ID, `*` or a target.
 */
export const assignmentName = (
  principalType: string,
  principal: string,
  permissionSet: string,
  account: string,
): string => `${principalType.toLowerCase()}:${principal}|${permissionSet}|${account}`;

/** An assignment as a finding's entity (see assignmentName). */
export const assignmentEntity = (
  principalType: string,
  principal: string,
  permissionSet: string,
  account: string,
): EntityRef => ({
  kind: 'assignment',
  name: assignmentName(principalType, principal, permissionSet, account),
});

/** An account for messages: `prod (111111111111)` when it has an alias, else its ID. */
export const accountLabel = (accountId: string, alias: string | undefined): string =>
  alias ? `${alias} (${accountId})` : accountId;

/**
 * Where a live finding about something nobody declared points: the IdentityCenter document, or else the first
 * Assignments document, so the finding still has a file and line that a reviewer can open.
 */
export function fallbackLoc(model: DeclaredModel): Loc {
  return (
    model.instance?.at ??
    model.assignments[0]?.at ??
    model.groups[0]?.at ??
    model.permissionSets[0]?.at ?? { file: '.idc-guard.yml', line: 1, column: 1 }
  );
}

/** The `name:` line of the declared permission set of that name, if it is declared. */
export function permissionSetNameLoc(model: DeclaredModel, name: string): Loc | undefined {
  const decl = model.permissionSets.find((p) => p.name === name);
  return decl && childLoc(decl.at, 'name');
}
