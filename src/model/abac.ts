/**
 * Identity Center's attributes for access control (ABAC), as data. Sources: AWS, "Attribute mappings between
 * IAM Identity Center and external identity provider directories", section "Supported external identity
 * provider attributes" (the 23 `${path:…}` sources), and the API reference of AccessControlAttribute (keys and
 * sources). docs/research/abac-and-applications.md holds the citations.
 */
import { parseScimPath, type ScimPath } from './scim.js';

/** The identity store attributes an access control attribute may take its value from, as AWS lists them. */
export const ABAC_PATHS: readonly string[] = [
  'userName',
  'name.familyName',
  'name.givenName',
  'displayName',
  'nickName',
  'emails[primary eq true].value',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].region',
  'addresses[type eq "work"].postalCode',
  'addresses[type eq "work"].country',
  'addresses[type eq "work"].formatted',
  'phoneNumbers[type eq "work"].value',
  'userType',
  'title',
  'locale',
  'timezone',
  'enterprise.employeeNumber',
  'enterprise.costCenter',
  'enterprise.organization',
  'enterprise.division',
  'enterprise.department',
  'enterprise.manager.value',
];

const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:';

/** A source as written: `${path:…}` of the identity store, `${dir:…}` of AWS Managed Microsoft AD, or else. */
export type AbacSource =
  | { kind: 'path'; path: string; supported: boolean }
  | { kind: 'directory'; attribute: string }
  | { kind: 'other' };

const byKey = new Map(ABAC_PATHS.map((p) => [pathKey(p), p]));

/** A path compared the way AWS's list is meant: the quotes, spacing and case of a filter do not matter. */
function pathKey(path: string): string {
  return path.toLowerCase().replace(/["']/g, '').replace(/\s+/g, ' ').trim();
}

export function parseAbacSource(source: string): AbacSource {
  const path = /^\$\{path:([^}]*)\}$/.exec(source.trim());
  if (path) return { kind: 'path', path: path[1], supported: byKey.has(pathKey(path[1])) };
  const dir = /^\$\{dir:([^}]+)\}$/.exec(source.trim());
  if (dir) return { kind: 'directory', attribute: dir[1] };
  return { kind: 'other' };
}

/** AWS's spelling of a supported path, for a "did you mean". */
export function abacPathAsListed(path: string): string | undefined {
  return byKey.get(pathKey(path));
}

/**
 * The SCIM attribute a supported `${path:…}` reads, as an IdP mapping's target names it: `enterprise.X` is the
 * enterprise extension's `urn:…:enterprise:2.0:User:X`, and the manager's value is its `manager` reference.
 */
function scimTargetOf(path: string): ScimPath {
  const key = pathKey(path);
  if (key === 'enterprise.manager.value') return { root: `${ENTERPRISE_URN}manager` };
  if (key.startsWith('enterprise.')) return { root: ENTERPRISE_URN + key.slice('enterprise.'.length) };
  return parseScimPath(path);
}

/** A mapping target normalised for comparison with {@link scimTargetOf}. */
function targetOf(target: string): ScimPath {
  const p = parseScimPath(target);
  // Hand-written mappings may name the extension the short way, as the ABAC path does.
  if (p.root === 'enterprise' && p.sub) return { root: ENTERPRISE_URN + p.sub };
  if (p.root.startsWith(ENTERPRISE_URN)) return { root: p.root.replace(/\.value$/, '') };
  return p;
}

const isEmail = (p: ScimPath): boolean =>
  p.root === 'emails' &&
  (p.sub === undefined || p.sub === 'value') &&
  (p.filter === undefined || p.filter === 'type eq work' || p.filter === 'primary eq true');

/**
 * Whether a mapping onto `target` supplies the `${path:…}` attribute. Identity Center keeps one email, which is
 * the primary one whatever the IdP calls it (work), as IDC006 reads it.
 */
export function suppliesAbacPath(target: string, path: string): boolean {
  const want = scimTargetOf(path);
  const have = targetOf(target);
  if (isEmail(want)) return isEmail(have);
  return want.root === have.root && want.filter === have.filter && want.sub === have.sub;
}

/**
 * The session tag keys a policy tests: condition keys `aws:PrincipalTag/<key>` and policy variables
 * `${aws:PrincipalTag/<key>}` anywhere in its strings, each with its path in the document. Keys are compared
 * without case by IAM, so callers do too.
 */
export function principalTagKeys(document: unknown): { key: string; path: (string | number)[] }[] {
  const found: { key: string; path: (string | number)[] }[] = [];
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\$\{aws:PrincipalTag\/([^},]+)/gi))
        found.push({ key: m[1].trim(), path });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      const key = /^aws:PrincipalTag\/(.+)$/i.exec(k);
      if (key && path.length >= 2 && path[path.length - 2] === 'Condition')
        found.push({ key: key[1], path: [...path, k] });
      visit(v, [...path, k]);
    }
  };
  visit(document, []);
  return found;
}
