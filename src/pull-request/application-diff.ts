import type { Loc } from '../load/location.js';
import type { LiveState } from '../live/types.js';
import type { ApplicationDecl, DeclaredModel } from '../model/types.js';

/** Access to an Identity Center application, directly assigned to a group or user. */
export interface ApplicationGrant {
  principalType: 'group' | 'user';
  principal: string;
  /** The application's name, or its ARN when it is declared by ARN only. */
  application: string;
  /** Where the principal is written in the Application document. */
  at?: Loc;
}

/** What a change does to application access, between the base and the head declarations. */
export interface ApplicationDiff {
  added: ApplicationGrant[];
  removed: ApplicationGrant[];
  /** Applications the change stops requiring assignment for: every user of the identity store may use them. */
  opened: string[];
  /** The base's AccessControlAttributes file, when the head declares none: nothing checks them once merged. */
  attributesUndeclared?: string;
}

const applicationKey = (a: ApplicationDecl): string => a.arn?.value ?? `name:${a.name?.value ?? ''}`;
const applicationLabel = (a: ApplicationDecl): string => a.name?.value ?? a.arn?.value ?? '';

export const applicationGrantKey = (g: ApplicationGrant): string =>
  `${g.principalType}\u0000${g.principal.toLowerCase()}\u0000${g.application}`;

function grantsOf(model: DeclaredModel): Map<string, ApplicationGrant> {
  const grants = new Map<string, ApplicationGrant>();
  for (const app of model.applications) {
    const application = applicationLabel(app);
    const add = (principalType: 'group' | 'user', principal: string, at: Loc) => {
      const g = { principalType, principal, application, at };
      // Keyed by the application itself: renaming a declared ARN's application is no change of access.
      const key = `${applicationKey(app)}\u0000${principalType}\u0000${principal.toLowerCase()}`;
      if (!grants.has(key)) grants.set(key, g);
    };
    for (const g of app.groups) add('group', g.value, g.at);
    for (const u of app.users) add('user', u.value, u.at);
  }
  return grants;
}

export function applicationDiff(base: DeclaredModel, head: DeclaredModel): ApplicationDiff {
  const [before, after] = [grantsOf(base), grantsOf(head)];
  const only = (x: Map<string, ApplicationGrant>, y: Map<string, ApplicationGrant>) =>
    [...x]
      .filter(([k]) => !y.has(k))
      .map(([, g]) => g)
      .sort((a, b) => applicationGrantKey(a).localeCompare(applicationGrantKey(b)));
  const required = new Map(base.applications.map((a) => [applicationKey(a), a.assignmentRequired?.value]));
  const opened = head.applications
    .filter((a) => a.assignmentRequired?.value === false && required.get(applicationKey(a)) !== false)
    .map(applicationLabel);
  const attributes = base.accessControlAttributes[0];
  return {
    added: only(after, before),
    removed: only(before, after),
    opened: [...new Set(opened)].sort(),
    ...(attributes && head.accessControlAttributes.length === 0
      ? { attributesUndeclared: attributes.at.file }
      : {}),
  };
}

/** "group aws-developers gains application Grafana", for a reader of the PR. */
export function describeApplicationGrant(g: ApplicationGrant, verb: 'gains' | 'loses'): string {
  return `${g.principalType} ${g.principal} ${verb} application ${g.application}`;
}

export function describeOpened(application: string): string {
  return (
    `application ${application} no longer requires assignment (assignmentRequired: false): once applied, ` +
    `every user of the identity store may use it, assigned or not`
  );
}

export function describeAttributesUndeclared(file: string): string {
  return (
    `this change removes the declaration of attributes for access control (${file}): once merged, no ` +
    `policy's aws:PrincipalTag keys are checked against them (IDC019), nor are they compared with Identity ` +
    `Center (IDC117)`
  );
}

/** The warnings of an application diff, riskiest first. */
export function applicationWarnings(diff: ApplicationDiff | undefined): string[] {
  if (!diff) return [];
  return [
    ...diff.opened.map(describeOpened),
    ...(diff.attributesUndeclared ? [describeAttributesUndeclared(diff.attributesUndeclared)] : []),
  ];
}

/** The application grants, added or removed, that live state has already, by applicationGrantKey. */
export function liveApplicationGrants(diff: ApplicationDiff | undefined, live: LiveState): Set<string> {
  const apps = live.applications ?? [];
  const groups = new Map(live.groups.map((g) => [g.displayName.toLowerCase(), g.groupId]));
  const users = new Map(live.users.map((u) => [u.userName.toLowerCase(), u.userId]));
  const assigned = new Set(
    apps.flatMap((app) =>
      (app.assignments ?? []).flatMap((a) => [
        `${app.arn}|${a.principalType}|${a.principalId}`,
        `${app.name}|${a.principalType}|${a.principalId}`,
      ]),
    ),
  );
  const isLive = (g: ApplicationGrant): boolean => {
    const id = (g.principalType === 'group' ? groups : users).get(g.principal.toLowerCase());
    return id !== undefined && assigned.has(`${g.application}|${g.principalType.toUpperCase()}|${id}`);
  };
  const grants = [...(diff?.added ?? []), ...(diff?.removed ?? [])];
  return new Set(grants.filter(isLive).map(applicationGrantKey));
}
