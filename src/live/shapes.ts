/** The reader's shapes: SDK answers as the LiveState's types, and small helpers shared by the reader's files. */
import type { Account } from '@aws-sdk/client-organizations';
import type { Group, User } from '@aws-sdk/client-identitystore';
import type { ExternalId, LiveAccount, LiveAssignment, LiveGroup, LiveUser } from './types.js';

export function toAccount(a: Account, parentId: string): LiveAccount[] {
  if (!a.Id) return [];
  return [{ id: a.Id, ...(a.Name ? { name: a.Name } : {}), status: a.Status ?? 'ACTIVE', parentId }];
}

export function externalIds(list: { Issuer?: string; Id?: string }[] | undefined): ExternalId[] {
  return (list ?? []).flatMap((e) => (e.Issuer && e.Id ? [{ issuer: e.Issuer, id: e.Id }] : []));
}

export function toGroup(g: Group): LiveGroup {
  return {
    groupId: g.GroupId!,
    displayName: g.DisplayName ?? '',
    ...(g.Description ? { description: g.Description } : {}),
    externalIds: externalIds(g.ExternalIds),
  };
}

export function toUser(u: User): LiveUser {
  const emails = u.Emails ?? [];
  const email = (emails.find((e) => e.Primary) ?? (emails.length === 1 ? emails[0] : undefined))?.Value;
  const active = u.UserStatus === 'DISABLED' ? false : u.UserStatus === 'ENABLED' ? true : undefined;
  return {
    userId: u.UserId!,
    userName: u.UserName ?? '',
    ...(u.DisplayName ? { displayName: u.DisplayName } : {}),
    ...(u.Name?.GivenName ? { givenName: u.Name.GivenName } : {}),
    ...(u.Name?.FamilyName ? { familyName: u.Name.FamilyName } : {}),
    ...(email ? { email } : {}),
    ...(active !== undefined ? { active } : {}),
    externalIds: externalIds(u.ExternalIds),
  };
}

export function toAssignment(a: {
  AccountId?: string;
  PermissionSetArn?: string;
  PrincipalType?: string;
  PrincipalId?: string;
}): LiveAssignment[] {
  if (!a.AccountId || !a.PermissionSetArn || !a.PrincipalId) return [];
  if (a.PrincipalType !== 'GROUP' && a.PrincipalType !== 'USER') return [];
  return [
    {
      accountId: a.AccountId,
      permissionSetArn: a.PermissionSetArn,
      principalType: a.PrincipalType,
      principalId: a.PrincipalId,
    },
  ];
}

export function sortAssignments(list: LiveAssignment[]): LiveAssignment[] {
  const key = (a: LiveAssignment) =>
    `${a.accountId}\u0000${a.permissionSetArn}\u0000${a.principalType}\u0000${a.principalId}`;
  const seen = new Map<string, LiveAssignment>();
  for (const a of list) seen.set(key(a), a);
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, a]) => a);
}

export function sortByKey<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => compare(a, b)));
}

export function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
