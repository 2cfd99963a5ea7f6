/**
 * What idc-guard knows of each IdP's attributes and expression languages, as data.
 * Sources: Microsoft Entra "Reference for writing expressions for attribute mappings" and the Graph
 * synchronization resources; Okta "Expression Language" and the profile mappings API.
 */

/** Every function of Entra's attribute-mapping expression language. */
export const ENTRA_FUNCTIONS = new Set([
  'Append',
  'AppRoleAssignmentsComplex',
  'BitAnd',
  'CBool',
  'CDate',
  'Coalesce',
  'ConvertToBase64',
  'ConvertToUTF8Hex',
  'Count',
  'CStr',
  'DateAdd',
  'DateDiff',
  'DateFromNum',
  'FormatDateTime',
  'Guid',
  'IgnoreFlowIfNullOrEmpty',
  'IIF',
  'InStr',
  'IsNull',
  'IsNullOrEmpty',
  'IsPresent',
  'IsString',
  'Item',
  'Join',
  'Left',
  'Mid',
  'NormalizeDiacritics',
  'Not',
  'Now',
  'NumFromDate',
  'PCase',
  'RandomString',
  'Redact',
  'RemoveDuplicates',
  'Replace',
  'SelectUniqueValue',
  'SingleAppRoleAssignment',
  'Split',
  'StripSpaces',
  'Switch',
  'ToLower',
  'ToUpper',
  'Word',
]);

/** Functions whose result is empty only when every input is empty (the others: when any input is). */
export const ENTRA_FALLBACK_FUNCTIONS = new Set(['Coalesce', 'IIF', 'Switch', 'SelectUniqueValue']);
/** Functions that never return an empty value whatever their inputs. */
export const ENTRA_NEVER_EMPTY_FUNCTIONS = new Set(['Guid', 'Now', 'RandomString']);

/** Entra user attributes that always have a value; any other may be empty for some users. */
export const ENTRA_NEVER_EMPTY = new Set([
  'userprincipalname',
  'objectid',
  'displayname',
  'mailnickname',
  'id',
]);

/** Okta base-profile attributes Okta requires; the others may be empty. */
export const OKTA_NEVER_EMPTY = new Set(['login', 'email', 'firstname', 'lastname', 'id']);

/**
 * The Okta AWS IAM Identity Center app's profile attributes, by the SCIM attribute each is sent as.
 * Attributes not listed are passed through under their own name.
 */
export const OKTA_APP_TO_SCIM: Record<string, string> = {
  userName: 'userName',
  displayName: 'displayName',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  middleName: 'name.middleName',
  honorificPrefix: 'name.honorificPrefix',
  honorificSuffix: 'name.honorificSuffix',
  email: 'emails[type eq "work"].value',
  secondEmail: 'emails[type eq "home"].value',
  primaryPhone: 'phoneNumbers[type eq "work"].value',
  mobilePhone: 'phoneNumbers[type eq "mobile"].value',
  streetAddress: 'addresses[type eq "work"].streetAddress',
  locality: 'addresses[type eq "work"].locality',
  region: 'addresses[type eq "work"].region',
  postalCode: 'addresses[type eq "work"].postalCode',
  countryCode: 'addresses[type eq "work"].country',
  title: 'title',
  preferredLanguage: 'preferredLanguage',
  locale: 'locale',
  timezone: 'timezone',
  employeeNumber: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
  costCenter: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter',
  organization: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
  division: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division',
  department: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
};

/** Names of other well-known SCIM apps: an export naming one of them is not of the AWS app. */
export const OTHER_APPS =
  /\b(slack|salesforce|servicenow|zoom|github|atlassian|jira|confluence|dropbox|box|zendesk|workday|google|gsuite|webex|docusign|okta|tableau|snowflake|databricks)\b/i;

/** The attributes an Okta Expression Language expression reads: `user.x`, `appuser.x`, `<app>.x` are all profile reads. */
export function oktaExpressionInputs(expression: string): string[] {
  const inputs = new Set<string>();
  // Strip string literals first, so "user.name" inside quotes is not taken for a read.
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const m of code.matchAll(/\b(user|appuser|idpuser)\.([A-Za-z_][\w]*)/g)) inputs.add(m[2]);
  return [...inputs];
}

/** True when an Okta expression may evaluate to nothing for some user. */
export function oktaMayBeEmpty(expression: string): boolean {
  const inputs = oktaExpressionInputs(expression).map((i) => i.toLowerCase());
  const literal = /"[^"]+"|'[^']+'/.test(expression);
  if (inputs.length === 0) return !literal;
  // One read: empty when it is. Several (concatenations, fallbacks): empty only when all are.
  return inputs.every((i) => !OKTA_NEVER_EMPTY.has(i));
}

/** The attributes an Entra expression reads (`[attr]`), the functions it calls, and whether it may be empty. */
export function entraExpressionInfo(expression: string): {
  inputs: string[];
  functions: string[];
  mayBeEmpty: boolean;
} {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const inputs = [...new Set([...code.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]))];
  const functions = [...code.matchAll(/([A-Za-z]\w*)\s*\(/g)].map((m) => m[1]);
  const outer = functions[0] ?? '';
  const empties = inputs.map((i) => !ENTRA_NEVER_EMPTY.has(i.toLowerCase()));
  const fallback = ENTRA_FALLBACK_FUNCTIONS.has(outer) || outer === 'Join' || outer === 'Append';
  const mayBeEmpty =
    !ENTRA_NEVER_EMPTY_FUNCTIONS.has(outer) &&
    (empties.length === 0 || (fallback ? empties.every(Boolean) : empties.some(Boolean)));
  return { inputs, functions: [...new Set(functions)], mayBeEmpty };
}

/** Whether a hand-written mapping's source may be empty, from what we know of its IdP. */
export function declaredMayBeEmpty(idp: string, kind: 'attribute' | 'expression', text: string): boolean {
  if (idp === 'entra')
    return kind === 'attribute'
      ? !ENTRA_NEVER_EMPTY.has(text.toLowerCase())
      : entraExpressionInfo(text).mayBeEmpty;
  if (idp === 'okta')
    return oktaMayBeEmpty(kind === 'attribute' && !text.includes('.') ? `user.${text}` : text);
  return false;
}
