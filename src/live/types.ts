/**
 * The live Identity Center state, as read from AWS or from a snapshot file (`idc-guard snapshot`).
 * Live rules read only this: they never call AWS themselves. Its JSON form is schemas/snapshot.schema.json.
 */
export interface LiveState {
  version: 1;
  /** When it was read (ISO-8601). */
  readAt: string;
  instance: {
    instanceArn: string;
    identityStoreId: string;
    region?: string;
    /** True when no instance was given and the only one ListInstances returned was used. */
    discovered?: boolean;
  };
  groups: LiveGroup[];
  users: LiveUser[];
  permissionSets: LivePermissionSet[];
  assignments: LiveAssignment[];
  /** PR checks only: names of the permission sets that the declared principals hold but nobody declared. */
  permissionSetNames?: Record<string, string>;
  /**
   * A scoped read (a PR check): how far it looked. Only these groups (display names), users (userNames) and
   * permission sets (names) were read, with the principals' assignments; `members`: the groups whose live
   * members' attributes were read. Absent when the read covered every declared principal, or everything.
   */
  scope?: { groups: string[]; users: string[]; permissionSets: string[]; members: string[] };
  /**
   * What was left out because no rule uses it (snapshot and init read it): `tags`, the permission sets'
   * tags (each `tags` is then {}); `upToDateAccounts`, the accounts that have a permission set's latest
   * version (each `provisionedAccounts` then lists only the accounts lacking it, which IDC108 reports).
   */
  notRead?: ('tags' | 'upToDateAccounts')[];
  /** AWS Organizations, read when the declarations need it (OU, tag or root targets) or for its management account. */
  organization?: LiveOrganization;
  /**
   * What was read in full. A rule whose input was not read in full says it could not decide instead of
   * reporting drift: a missing page must never become a false finding.
   */
  complete: {
    groups: boolean;
    users: boolean;
    /** Members of every group in `groups` that has `memberUserIds`. */
    memberships: boolean;
    permissionSets: boolean;
    /** 'all': every assignment of the instance; 'principals': those of the declared principals only. */
    assignments: 'all' | 'principals' | false;
    /** The organization's OUs and accounts (and their tags, when read); absent when it was not asked for. */
    organization?: boolean;
  };
  /** What could not be read, by operation, for the report's tool errors. */
  failures: { operation: string; message: string }[];
  /** API calls made, by operation (0 for a snapshot). */
  apiCalls: Record<string, number>;
}

export interface ExternalId {
  issuer: string;
  id: string;
}

export interface LiveGroup {
  groupId: string;
  displayName: string;
  description?: string;
  /** Empty for a group created by hand; SCIM-provisioned groups carry the IdP's id (Entra; Okta does not). */
  externalIds: ExternalId[];
  /** The member user IDs, when memberships were read for this group. */
  memberUserIds?: string[];
}

export interface LiveUser {
  userId: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  /** The primary email, or the only one. */
  email?: string;
  /** False for a disabled user (the Identity Store API does not always say; undefined then). */
  active?: boolean;
  externalIds: ExternalId[];
}

export interface LivePermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration?: string;
  relayState?: string;
  managedPolicies: string[];
  customerManagedPolicies: { name: string; path: string }[];
  /** The inline policy document as AWS returns it (a JSON string), when there is one. */
  inlinePolicy?: string;
  permissionsBoundary?: {
    managedPolicyArn?: string;
    customerManagedPolicyReference?: { name: string; path: string };
  };
  tags: Record<string, string>;
  /** Accounts it is provisioned to, with whether they have its latest version. */
  provisionedAccounts: { accountId: string; current: boolean }[];
}

export interface LiveAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'GROUP' | 'USER';
  principalId: string;
}

/** An AWS Organizations account, with where it sits. */
export interface LiveAccount {
  id: string;
  name?: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE. */
  status: string;
  /** The root or OU it is directly in. */
  parentId: string;
  /** Its tags, when they were read (only when a declaration targets accounts by tag). */
  tags?: Record<string, string>;
}

export interface LiveOrganization {
  id: string;
  managementAccountId: string;
  /** The structure, when it was read: the root, every OU (any depth) and every account. */
  rootId?: string;
  organizationalUnits?: { id: string; name: string; parentId: string }[];
  accounts?: LiveAccount[];
}
