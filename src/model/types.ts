import type { Loc } from '../load/location.js';

/** Everything the repository declares: the input of every static rule. */
export interface DeclaredModel {
  instance?: InstanceDecl;
  /** Every IdentityCenter document, so that a second one can be reported. */
  instances: InstanceDecl[];
  groups: GroupDecl[];
  users: UserDecl[];
  /** True when any `kind: Users` document exists: only then are user references checked. */
  usersDeclared: boolean;
  permissionSets: PermissionSetDecl[];
  assignments: AssignmentDecl[];
  mappingSets: MappingSet[];
  applications: ApplicationDecl[];
  /** Every AccessControlAttributes document, so that a second one can be reported; the first counts. */
  accessControlAttributes: AccessControlAttributesDecl[];
  /**
   * On a pull request, the base's account aliases (account ID → alias). They name an account wherever the
   * base knows it, so that renaming `prod` in the PR cannot steer a grant past a policy on `accountAlias`.
   */
  baseAccountAliases?: ReadonlyMap<string, string>;
  /**
   * On a pull request, the permission sets whose definition the base keeps in Git (no `managedBy`). Marking
   * one managed elsewhere in the PR does not stop its comparison with live state: it is compared with the
   * base's definition until the change is merged.
   */
  baseDefinedInGit?: ReadonlyMap<string, PermissionSetDecl>;
  /**
   * On a pull request, the base's attributes for access control: a change that deletes their document is still
   * judged against them (IDC019), so deleting it cannot switch the check off.
   */
  baseAccessControlAttributes?: AccessControlAttributesDecl;
}

/** Whether a declared entity breaks its schema, and where: the rules still check its other parts. */
export interface Validity {
  /** Somewhere in the entity; references to it still resolve. */
  invalid: boolean;
  /**
   * The parts at fault, relative to the entity: a field (`sessionDuration`), a list item (`accounts/0`), or
   * `` for the entity as a whole. IDC001 reports them; other rules skip them, so nothing is reported twice.
   */
  invalidParts: ReadonlySet<string>;
}

interface Declared extends Validity {
  at: Loc;
}

/** A name or value as written, with where it was written. */
export interface Located<T = string> {
  value: T;
  at: Loc;
  /** The schema rejects this value (IDC001 reports it): rules that would judge it again skip it. */
  invalid?: boolean;
}

export type Idp = 'entra' | 'okta' | 'google' | 'other';

export interface InstanceDecl extends Declared {
  instanceArn?: string;
  identityStoreId?: string;
  region?: string;
  scim?: { idp?: Idp; endpoint?: Located; tokenCreated?: Located };
  accounts: Map<string, Located>;
}

/** The entity's object exactly as written (what `kind: Policy` documents are checked against). */
interface Written {
  written: Readonly<Record<string, unknown>>;
}

/**
 * Who manages an object that exists in Identity Center but is defined outside this repository: AWS Control
 * Tower, or another tool or team. It may be referenced and assigned; its definition is not compared.
 */
export type ManagedBy = 'controltower' | 'external';

/** An object declared only so that it can be referenced: its definition is managed elsewhere. */
interface MaybeManagedElsewhere {
  managedBy?: ManagedBy;
}

export interface GroupDecl extends Declared, Written, MaybeManagedElsewhere {
  name: string;
  description?: string;
  source: 'idp' | 'manual';
  memberUsers: Located[];
  memberGroups: Located[];
}

export interface UserDecl extends Declared, Written {
  userName?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  active?: boolean;
}

export interface PolicyReference {
  name: string;
  path: string;
}

export type InlinePolicy =
  | {
      kind: 'file';
      path: string;
      /** Relative to the root. */
      resolved: string;
      at: Loc;
      /** The file's text, once read; or why it could not be read. */
      text?: string;
      problem?: string;
    }
  | { kind: 'document'; document: unknown; at: Loc };

export interface PermissionSetDecl extends Declared, Written, MaybeManagedElsewhere {
  name: string;
  description?: string;
  sessionDuration?: string;
  relayState?: string;
  managedPolicies: Located[];
  customerManagedPolicies: Located<PolicyReference>[];
  inlinePolicy?: InlinePolicy;
  permissionsBoundary?: { managedPolicyArn?: string; customerManagedPolicyReference?: PolicyReference };
  tags: Record<string, string>;
}

export interface AssignmentDecl extends Declared {
  principalType: 'group' | 'user';
  principal: Located;
  permissionSet: Located;
  accounts: Located[];
  /** Accounts (IDs, aliases or names) subtracted from everything the assignment targets. */
  excludedAccounts: Located[];
  /** Accounts named through AWS Organizations: resolved only with the live organization. */
  targets: OrganizationTargets;
}

export interface OrganizationTargets {
  organizationalUnits: Located[];
  /** The OUs' child OUs too, at any depth. */
  recursive: boolean;
  /** Accounts with all these tags. */
  accountTags?: Located<Record<string, string>>;
  /** Every account of the organization. */
  root?: Located<true>;
}

/** How an attribute mapping gets its value. */
export type MappingSourceKind = 'attribute' | 'constant' | 'expression';

/** One mapping onto a SCIM attribute, normalised from a hand-written AttributeMapping or an IdP export. */
export interface AttributeMap {
  /** The SCIM attribute as written, e.g. `emails[type eq "work"].value`. */
  target: string;
  kind: MappingSourceKind;
  /** The IdP attributes the value is drawn from. */
  inputs: string[];
  /** The constant's value, for `constant` mappings. */
  constant?: string;
  /** The source as written, for messages. */
  sourceText: string;
  at: Loc;
  /**
   * The value may be empty for some users (e.g. Entra's `mail`): the attribute is then not supplied for them.
   */
  mayBeEmpty?: boolean;
  /** Set only when the object is created (Entra ObjectAddOnly, Okta DONT_PUSH): later changes never flow. */
  onlyOnCreate?: boolean;
  /** Entra's matchingPriority: the lowest positive one is the attribute users or groups are matched on. */
  matchingPriority?: number;
}

/**
 * One IdP's provisioning configuration: a hand-written `kind: AttributeMapping`, or an IdP export
 * (added as further importers). Each set is checked on its own.
 */
export interface MappingSet extends Declared {
  idp: Idp;
  origin: 'declaration' | 'entra-schema' | 'okta-mapping' | 'entra-app-assignments';
  file: string;
  object: 'user' | 'group';
  /** Where to point when an attribute is missing altogether. */
  mappingsAt: Loc;
  /** Undefined when the file holds no mappings at all (e.g. only app assignments). */
  mappings?: AttributeMap[];
  /** Groups assigned to the IdP app (in provisioning scope); undefined when the file does not say. */
  appGroups?: Located[];
  /** The export provisions none of these objects: it has no such object mapping, or only a disabled one. */
  absent?: 'missing' | 'disabled';
}

/** An Identity Center application: who is assigned to it, and whether assignment is required. */
export interface ApplicationDecl extends Declared, Written {
  /** The name Identity Center shows; names need not be unique in an instance. */
  name?: Located;
  arn?: Located;
  assignmentRequired?: Located<boolean>;
  groups: Located[];
  users: Located[];
}

/** One attribute for access control: the session tag `key` and where its value comes from. */
export interface AccessControlAttributeDecl extends Validity {
  key: Located;
  source: Located;
  at: Loc;
}

/** The instance's attributes for access control (ABAC). */
export interface AccessControlAttributesDecl extends Declared {
  attributes: AccessControlAttributeDecl[];
  /** Keys the IdP passes in the SAML assertion itself: not configured in Identity Center. */
  fromSamlAssertion: Located[];
}
