import { accessDiff } from './access-diff.js';
import type { ApplicationDecl, DeclaredModel, GroupDecl } from '../model/types.js';
import { wantedApplications, type LiveOptions } from '../live/load.js';

type ReadScope = NonNullable<LiveOptions['scope']>;

/**
 * What a pull request's check reads of live state: the principals and permission sets the change touches, and
 * what the prerequisite rules need (issue 14: the full read belongs to drift mode).
 * - groups and users: the principals of every grant the change adds or removes, and groups it declares anew or
 *   whose declaration it changes;
 * - permission sets: those the change declares anew or changes, and every one the base or the head assigns to
 *   the principals above, so that all their live assignments can be matched with a declaration;
 * - members: the groups whose declared members are new or changed (IDC104, IDC110); the others get only the
 *   one membership page that tells whether they are empty (IDC103).
 */
export function readScope(base: DeclaredModel, head: DeclaredModel): ReadScope {
  const diff = accessDiff(base, head);
  const groups = new Set<string>();
  const users = new Set<string>();
  const touched = [
    ...diff.added,
    ...diff.removed,
    ...(diff.unresolvedAdded ?? []),
    ...(diff.unresolvedRemoved ?? []),
  ];
  for (const g of touched) (g.principalType === 'group' ? groups : users).add(g.principal.toLowerCase());
  const members = new Set<string>();
  const baseGroups = new Map(base.groups.map((g) => [g.name.toLowerCase(), g]));
  for (const g of head.groups) {
    const was = baseGroups.get(g.name.toLowerCase());
    if (was && sameGroup(was, g)) continue;
    groups.add(g.name.toLowerCase());
    if (!was || memberText(was) !== memberText(g)) members.add(g.name.toLowerCase());
  }
  // Applications the change adds, changes or removes, and the principals they assign on either side.
  const applications = touchedApplications(base.applications, head.applications);
  for (const app of applications) {
    for (const g of app.groups) groups.add(g.value.toLowerCase());
    for (const u of app.users) users.add(u.value.toLowerCase());
  }
  const permissionSets = new Set<string>();
  const basePermissionSets = new Map(base.permissionSets.map((p) => [p.name, p]));
  for (const p of head.permissionSets) {
    const was = basePermissionSets.get(p.name);
    if (!was || JSON.stringify(was.written) !== JSON.stringify(p.written)) permissionSets.add(p.name);
  }
  for (const model of [base, head]) {
    for (const a of model.assignments) {
      const set = a.principalType === 'group' ? groups : users;
      if (set.has(a.principal.value.toLowerCase())) permissionSets.add(a.permissionSet.value);
    }
  }
  // Names as declared (the reader compares without case where Identity Center does).
  const declared = (names: Set<string>, all: string[]) => {
    const byKey = new Map(all.map((n) => [n.toLowerCase(), n]));
    return [...names].map((n) => byKey.get(n) ?? n).sort();
  };
  const principalNames = [base, head].flatMap((m) => [
    ...m.groups.map((g) => g.name),
    ...m.assignments.map((a) => a.principal.value),
    ...m.applications.flatMap((app) => [...app.groups, ...app.users].map((p) => p.value)),
  ]);
  return {
    groups: declared(groups, principalNames),
    users: declared(users, principalNames),
    permissionSets: [...permissionSets].sort(),
    members: declared(members, principalNames),
    ...(applications.length > 0 ? { applications: wantedApplications(applications) } : {}),
    ...(base.accessControlAttributes.length + head.accessControlAttributes.length > 0
      ? { accessControlAttributes: true }
      : {}),
  };
}

/** The applications whose declaration differs between the sides, from both sides. */
function touchedApplications(base: ApplicationDecl[], head: ApplicationDecl[]): ApplicationDecl[] {
  const key = (a: ApplicationDecl) => a.arn?.value ?? `name:${a.name?.value}`;
  const written = (list: ApplicationDecl[]) => new Set(list.map((a) => JSON.stringify([key(a), a.written])));
  const [inBase, inHead] = [written(base), written(head)];
  return [
    ...head.filter((a) => !inBase.has(JSON.stringify([key(a), a.written]))),
    ...base.filter((a) => !inHead.has(JSON.stringify([key(a), a.written]))),
  ];
}

function memberText(g: GroupDecl): string {
  return JSON.stringify([
    g.memberUsers.map((m) => m.value.toLowerCase()).sort(),
    g.memberGroups.map((m) => m.value.toLowerCase()).sort(),
  ]);
}

function sameGroup(a: GroupDecl, b: GroupDecl): boolean {
  return JSON.stringify(a.written) === JSON.stringify(b.written);
}
