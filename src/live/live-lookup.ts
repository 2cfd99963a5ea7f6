import { accountAliases } from '../model/targets.js';
import type { DeclaredModel } from '../model/types.js';
import { own } from '../util/own.js';
import type { LiveGroup, LivePermissionSet, LiveState, LiveUser } from './types.js';

/** Lookups between the declarations and the live state, built once and shared by every live rule. */
export interface LiveLookup {
  live: LiveState;
  groupByName: Map<string, LiveGroup>;
  groupById: Map<string, LiveGroup>;
  userByName: Map<string, LiveUser>;
  userById: Map<string, LiveUser>;
  permissionSetByName: Map<string, LivePermissionSet>;
  /** The name of any permission set seen, declared or not. */
  permissionSetName(arn: string): string | undefined;
  /** A declared account reference (alias or ID) as a 12-digit ID, or undefined for an unknown alias. */
  accountId(ref: string): string | undefined;
  /** An account ID with its alias, for messages: `prod (111111111111)`. */
  accountLabel(id: string): string;
}

/** Identity Center compares group display names and userNames without regard to case. */
export const nameKey = (name: string): string => name.toLowerCase();

export function lookUpLive(model: DeclaredModel, live: LiveState): LiveLookup {
  const aliases = model.instance?.accounts ?? new Map();
  const aliasOf = accountAliases(model);
  const permissionSetByArn = new Map(live.permissionSets.map((p) => [p.arn, p]));
  return {
    live,
    groupByName: new Map(live.groups.map((g) => [nameKey(g.displayName), g])),
    groupById: new Map(live.groups.map((g) => [g.groupId, g])),
    userByName: new Map(live.users.map((u) => [nameKey(u.userName), u])),
    userById: new Map(live.users.map((u) => [u.userId, u])),
    permissionSetByName: new Map(live.permissionSets.map((p) => [p.name, p])),
    permissionSetName: (arn) => permissionSetByArn.get(arn)?.name ?? own(live.permissionSetNames, arn),
    accountId: (ref) => (/^\d{12}$/.test(ref) ? ref : aliases.get(ref)?.value),
    accountLabel: (id) => (aliasOf.has(id) ? `${aliasOf.get(id)} (${id})` : id),
  };
}
