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
export const ENTRA_FALLBACK_FUNCTIONS = new Set(['Coalesce', 'SelectUniqueValue']);
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
const OTHER_APP_NAMES = (
  'slack salesforce servicenow zoom github atlassian jira confluence dropbox box ' +
  'zendesk workday google gsuite webex docusign okta tableau snowflake databricks'
).split(' ');
export const OTHER_APPS = new RegExp(`\\b(${OTHER_APP_NAMES.join('|')})\\b`, 'i');

/**
 * The attributes an Okta Expression Language expression reads: `user.x`, `appuser.x`, `<app>.x` are all
 * profile reads.
 */
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
  // A literal fallback (`a != null ? a : "Unknown"`) or a literal concatenated in makes the value non-empty.
  if (literal && /\?|\+/.test(expression)) return false;
  // One read: empty when it is. Several (concatenations, fallbacks): empty only when all are.
  return inputs.every((i) => !OKTA_NEVER_EMPTY.has(i));
}

/**
 * An Entra attribute-mapping expression, parsed: `Coalesce([mail], "x")` → a call with an attribute and a
 * constant.
 */
export type EntraExpression =
  | { type: 'Attribute'; name: string }
  | { type: 'Constant'; value: string }
  | { type: 'Function'; name: string; args: EntraExpression[] };

/**
 * Parses Entra's expression syntax (function calls, [attributes], "constants", empty arguments) in one linear
 * pass. Anything it cannot read ends the parse where it is; what was read so far still counts. The calls
 * still open are an explicit stack, not recursion: a file can nest calls thousands deep, and must not
 * overflow ours.
 */
export function parseEntraExpression(text: string): EntraExpression {
  let i = 0;
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  /** A value that is not a call, or the name of a call whose `(` was just read. */
  const operand = (): EntraExpression | { open: string } => {
    space();
    if (text[i] === '[') {
      const end = text.indexOf(']', i + 1);
      const name = text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end + 1;
      return { type: 'Attribute', name };
    }
    if (text[i] === '"') {
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++)
        value += text[i] === '\\' ? (text[++i] ?? '') : text[i];
      i++;
      return { type: 'Constant', value };
    }
    const name = /^[A-Za-z]\w*/.exec(text.slice(i, i + 64))?.[0] ?? '';
    i += name.length;
    space();
    if (name && text[i] === '(') {
      i++;
      return { open: name };
    }
    // A bare word or something unreadable: skip a character so the parse always moves on.
    if (!name) i++;
    return { type: 'Constant', value: name };
  };
  const open: { type: 'Function'; name: string; args: EntraExpression[] }[] = [];
  for (;;) {
    const read = operand();
    let done: EntraExpression | undefined;
    if ('open' in read) open.push({ type: 'Function', name: read.open, args: [] });
    else done = read;
    // Hand each finished value to the call it is an argument of, closing calls, until one needs another
    // argument.
    for (;;) {
      const call = open[open.length - 1];
      if (done) {
        if (!call) return done;
        call.args.push(done);
        done = undefined;
        space();
        // After an argument: `,` asks for another; `)`, the end or anything else closes the call.
        if (text[i] !== ',') {
          i++;
          done = open.pop();
          continue;
        }
        i++;
      }
      space();
      if (i >= text.length || text[i] === ')') {
        i++;
        done = open.pop();
        continue;
      }
      if (text[i] !== ',') break; // the next argument is a value
      call.args.push({ type: 'Constant', value: '' }); // an empty argument: `f(a, , b)`
      i++;
    }
  }
}

/** What an expression reads and calls, and whether it may be empty for some users. */
export function entraExpressionFacts(expression: EntraExpression): {
  inputs: string[];
  functions: string[];
  mayBeEmpty: boolean;
} {
  const inputs = new Set<string>();
  const functions = new Set<string>();
  // An explicit stack instead of recursion: the expression comes from a file and may nest deeply.
  const mayBeEmpty = (root: EntraExpression): boolean => {
    type Frame = { node: EntraExpression; results: boolean[] };
    const stack: Frame[] = [{ node: root, results: [] }];
    let last = false;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const n = frame.node;
      if (n.type === 'Attribute') {
        inputs.add(n.name);
        last = !ENTRA_NEVER_EMPTY.has(n.name.toLowerCase());
      } else if (n.type === 'Constant') {
        last = n.value.trim() === '';
      } else if (frame.results.length < n.args.length) {
        functions.add(n.name);
        stack.push({ node: n.args[frame.results.length], results: [] });
        continue;
      } else {
        const results = frame.results;
        if (ENTRA_NEVER_EMPTY_FUNCTIONS.has(n.name)) last = false;
        // Join's first argument is the separator: the result is empty when every joined value is.
        else if (n.name === 'Join') last = results.slice(1).every(Boolean);
        else if (ENTRA_FALLBACK_FUNCTIONS.has(n.name) || n.name === 'Append') last = results.every(Boolean);
        // Switch(source, default, key, value, …) and IIF(condition, then, else) return one of their values.
        else if (n.name === 'Switch')
          last = results.some((r, k) => (k === 1 || (k >= 3 && k % 2 === 1)) && r);
        else if (n.name === 'IIF') last = results.some((r, k) => k >= 1 && r);
        else {
          // A transformation (ToLower, Replace, …) is empty when the value it transforms is; constant
          // arguments after the first are its options.
          const valued = n.args.flatMap((a, k) => (a.type !== 'Constant' || k === 0 ? [results[k]] : []));
          last = valued.length === 0 || valued.some(Boolean);
        }
      }
      stack.pop();
      if (stack.length > 0) stack[stack.length - 1].results.push(last);
    }
    return last;
  };
  const empty = mayBeEmpty(expression);
  return { inputs: [...inputs], functions: [...functions], mayBeEmpty: empty };
}

/** The attributes an Entra expression reads, the functions it calls, and whether it may be empty. */
export function entraExpressionInfo(expression: string): {
  inputs: string[];
  functions: string[];
  mayBeEmpty: boolean;
} {
  return entraExpressionFacts(parseEntraExpression(expression));
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
