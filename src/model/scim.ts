/**
 * What Identity Center's SCIM implementation requires and refuses, as data.
 * Source: "Considerations for using automatic provisioning" and the SCIM implementation developer guide.
 */
import { own } from '../util/own.js';

/**
 * A SCIM attribute path split into its parts: `emails[type eq "work"].value` → emails, type eq "work", value.
 */
export interface ScimPath {
  /** Lower-cased attribute name (or the whole URN-qualified name for extension attributes). */
  root: string;
  /** The value filter, normalised: lower case, single spaces, no quotes. */
  filter?: string;
  sub?: string;
}

export function parseScimPath(target: string): ScimPath {
  const trimmed = target.trim();
  if (/^urn:/i.test(trimmed)) return { root: trimmed.toLowerCase() };
  const m = /^([A-Za-z][\w$-]*)(?:\[([^\]]*)\])?(?:\.([A-Za-z][\w$-]*))?$/.exec(trimmed);
  if (!m) return { root: trimmed.toLowerCase() };
  const filter = m[2]?.toLowerCase().replace(/["']/g, '').replace(/\s+/g, ' ').trim();
  return { root: m[1].toLowerCase(), filter: filter || undefined, sub: m[3]?.toLowerCase() };
}

export interface RequiredAttribute {
  /** The SCIM name shown in messages. */
  name: string;
  supplies(path: ScimPath): boolean;
}

const isEmailPath = (p: ScimPath): boolean =>
  p.root === 'emails' &&
  (p.sub === undefined || p.sub === 'value') &&
  (p.filter === undefined || p.filter === 'type eq work' || p.filter === 'primary eq true');

/** Without any of these a user is never provisioned, and the IdP reports it only in its provisioning logs. */
export const REQUIRED_USER_ATTRIBUTES: RequiredAttribute[] = [
  { name: 'userName', supplies: (p) => p.root === 'username' && !p.sub },
  { name: 'displayName', supplies: (p) => p.root === 'displayname' && !p.sub },
  { name: 'name.givenName', supplies: (p) => p.root === 'name' && p.sub === 'givenname' },
  { name: 'name.familyName', supplies: (p) => p.root === 'name' && p.sub === 'familyname' },
  { name: 'emails[type eq "work"].value', supplies: isEmailPath },
];

export const REQUIRED_GROUP_ATTRIBUTES: RequiredAttribute[] = [
  { name: 'displayName', supplies: (p) => p.root === 'displayname' && !p.sub },
];

/** Multi-valued in SCIM, but Identity Center keeps one value and rejects a request that carries more. */
export const SINGLE_VALUED_LISTS = new Set(['emails', 'phonenumbers', 'addresses', 'roles']);

/** SCIM user attributes Identity Center does not support. */
export const UNSUPPORTED_USER_ATTRIBUTES = new Set([
  'password',
  'ims',
  'photos',
  'entitlements',
  'x509certificates',
  'groups',
]);

/** Where each IdP's admin adds a mapping, in the IdP's own words, and the source it usually uses. */
const IDP_SOURCES: Record<string, Record<string, string>> = {
  entra: {
    userName: 'userPrincipalName',
    displayName: 'displayName',
    'name.givenName': 'givenName',
    'name.familyName': 'surname',
    'emails[type eq "work"].value': 'mail',
  },
  okta: {
    userName: 'user.login',
    displayName: 'user.displayName',
    'name.givenName': 'user.firstName',
    'name.familyName': 'user.lastName',
    'emails[type eq "work"].value': 'user.email',
  },
};

/**
 * Where an admin edits the attribute mappings, in the IdP's own current words. Entra: Microsoft Learn,
 * "Configure AWS IAM Identity Center for automatic user provisioning" (2025); Okta: AWS, "Configure SAML and
 * SCIM with Okta and IAM Identity Center". Cited in policies/builtin/IDC006.yaml.
 */
export function whereToEdit(idp: string, object: 'user' | 'group'): string | undefined {
  if (idp === 'entra') {
    return (
      `in the Microsoft Entra admin center: Entra ID → Enterprise apps → AWS IAM Identity Center → ` +
      `Provisioning → Mappings → Synchronize Microsoft Entra ${object === 'user' ? 'users' : 'groups'} to ` +
      `AWS IAM Identity Center`
    );
  }
  if (idp === 'okta')
    return (
      'in the Okta Admin Console: Applications → Applications → AWS IAM Identity Center → ' +
      'Provisioning → To App → Attribute Mappings'
    );
  return undefined;
}

/** A fallback that is never empty, per IdP and required attribute, in the IdP's own expression language. */
export const NEVER_EMPTY_FALLBACK: Record<string, Record<string, string>> = {
  entra: {
    'emails[type eq "work"].value': 'Coalesce([mail], [userPrincipalName])',
    'name.givenName': 'Coalesce([givenName], [displayName])',
    'name.familyName': 'Coalesce([surname], [displayName])',
    displayName: 'Coalesce([displayName], [userPrincipalName])',
    userName: '[userPrincipalName]',
  },
  okta: {
    displayName: 'user.displayName != null ? user.displayName : user.firstName + " " + user.lastName',
    'emails[type eq "work"].value': 'user.email',
    userName: 'user.login',
  },
};

/** How an admin puts a group in the app's provisioning scope, in the IdP's own current words (IDC010). */
export function howToScope(idp: string): string {
  if (idp === 'entra')
    return (
      'assign the group to the app in the Microsoft Entra admin center: Entra ID → Enterprise apps → ' +
      'AWS IAM Identity Center → Users and groups → Add user/group'
    );
  if (idp === 'okta')
    return (
      'push the group in the Okta Admin Console: Applications → Applications → AWS IAM Identity ' +
      'Center → Push Groups'
    );
  return "assign the group to the IdP's AWS IAM Identity Center app";
}

/** The sentence that tells an admin how to supply `attribute` in their IdP. */
export function howToMap(idp: string, object: 'user' | 'group', attribute: string): string {
  if (idp === 'okta' && object === 'group') {
    return (
      'in the Okta Admin Console: Applications → Applications → AWS IAM Identity Center → Push ' +
      'Groups: Okta sends the group name as displayName, so push the group rather than mapping attributes'
    );
  }
  const source = own(own(IDP_SOURCES, idp), attribute);
  const where = whereToEdit(idp, object);
  if (!where) return `add a mapping with target \`${attribute}\`${source ? ` (usually from ${source})` : ''}`;
  return `${where}: map ${source ? `\`${source}\`` : 'an attribute'} → \`${attribute}\``;
}

/** The sentence that tells an admin how to remove the mapping to `target`. */
export function howToRemove(idp: string, object: 'user' | 'group', target: string): string {
  const where = whereToEdit(idp, object);
  return where ? `${where}: delete the mapping to \`${target}\`` : `remove the mapping to \`${target}\``;
}
