import { createHash } from 'node:crypto';
import { Document, visit } from 'yaml';
import type { LiveState } from '../live/types.js';
import { isControlTowerName } from '../model/managed.js';

const HEADER =
  '# Written by `idc-guard init --from-live`: the live state as declarations. Review, then commit.\n';

/** The part of a permission set name that is safe in a file name (names are [\w+=,.@-]{1,32}). */
const safeName = (name: string): string => name.replace(/[^\w.-]/g, '_');

/**
 * A file name for each permission set, distinct from every other even where file systems ignore case (macOS,
 * Windows): `Ops+Admin` and `Ops@Admin` are both `Ops_Admin` once made safe, and one silently overwrote the
 * other. Names that need no change come first and keep their own; the others get a short hash of the name.
 */
export function permissionSetFileNames(names: readonly string[]): Map<string, string> {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const name of [
    ...sorted.filter((n) => safeName(n) === n),
    ...sorted.filter((n) => safeName(n) !== n),
  ]) {
    const hash = createHash('sha256').update(name).digest('hex');
    let file = safeName(name);
    for (let length = 8; taken.has(file.toLowerCase()); length++)
      file = `${safeName(name)}-${hash.slice(0, length)}`;
    taken.add(file.toLowerCase());
    out.set(name, file);
  }
  return out;
}

// What other YAML readers misread or hide when written raw: YAML 1.1 breaks lines at U+0085, U+2028 and U+2029;
// spaces other than U+0020 (NBSP, ...) are trimmed or kept depending on the reader; format characters and
// blank fillers hide what a name really is.
const UNSAFE =
  // eslint-disable-next-line no-misleading-character-class -- each combining filler is matched on its own, on purpose
  /(?! )[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\u{e0000}-\u{e007f}]/u;
// The same in the written text, where only newlines (between lines) and spaces are expected raw.
// eslint-disable-next-line no-misleading-character-class -- as above
const UNSAFE_IN_OUTPUT = new RegExp(`(?!\\n)${UNSAFE.source}`, 'gu');

const escape = (ch: string): string => {
  const code = ch.codePointAt(0)!;
  return code > 0xffff
    ? `\\U${code.toString(16).padStart(8, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * One YAML document. A string holding any of those characters is written double-quoted with every one of them
 * as a \u (or \U) escape, so that every reader gets the exact name back.
 */
function yamlDoc(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && UNSAFE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Only those double-quoted strings can hold such a character; the yaml package leaves some of them raw there.
  return doc
    .toString({ lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' })
    .replace(UNSAFE_IN_OUTPUT, escape);
}

/**
 * Accounts written as their OUs where that is exact: an OU all of whose active accounts (directly in it; two
 * at least) hold the assignment is written once, and the rest as accounts. Without the organization, accounts.
 */
function compact(
  accountIds: Set<string>,
  organization: LiveState['organization'],
): { organizationalUnits: string[]; accounts: string[] } {
  const remaining = new Set(accountIds);
  const organizationalUnits: string[] = [];
  for (const ou of organization?.organizationalUnits ?? []) {
    const members = (organization?.accounts ?? []).filter(
      (a) => a.parentId === ou.id && a.status === 'ACTIVE',
    );
    if (members.length < 2 || !members.every((a) => remaining.has(a.id))) continue;
    organizationalUnits.push(ou.id);
    for (const a of members) remaining.delete(a.id);
  }
  return { organizationalUnits: organizationalUnits.sort(), accounts: [...remaining].sort() };
}

/**
 * The declarations that describe `live` exactly, by path: how a team adopts idc-guard. A check of the result
 * against the same state reports no drift. Assignments to principals that no longer exist are left out
 * (IDC109 reports them); groups without an ExternalId are declared `source: manual`; with the organization
 * known, the accounts of a whole OU are written as the OU. Control Tower's own permission sets, and its groups
 * where no IdP pushed them (no ExternalId), are declared `managedBy: controltower`, by name alone: Control
 * Tower defines them, so their definitions are not copied here to be compared. Applications and the attributes
 * for access control are written when live has them.
 */
export function renderDeclarations(live: LiveState): Map<string, string> {
  const files = new Map<string, string>();
  const userName = new Map(live.users.map((u) => [u.userId, u.userName]));
  const groupName = new Map(live.groups.map((g) => [g.groupId, g.displayName]));
  files.set(
    'identity/instance.yaml',
    HEADER +
      yamlDoc({
        kind: 'IdentityCenter',
        instanceArn: live.instance.instanceArn,
        identityStoreId: live.instance.identityStoreId,
        ...(live.instance.region ? { region: live.instance.region } : {}),
      }),
  );
  // Every user, so that the Users document is complete from the start: once one exists, IDC002 holds every
  // group member and assigned user to it, and a partial one added later would flag the rest.
  const users = [...live.users].sort((a, b) => a.userName.localeCompare(b.userName));
  files.set(
    'identity/users.yaml',
    HEADER +
      yamlDoc({
        kind: 'Users',
        users: users.map((u) => ({
          userName: u.userName,
          ...(u.displayName !== undefined ? { displayName: u.displayName } : {}),
          ...(u.givenName !== undefined ? { givenName: u.givenName } : {}),
          ...(u.familyName !== undefined ? { familyName: u.familyName } : {}),
          ...(u.email !== undefined ? { email: u.email } : {}),
          ...(u.active === false ? { active: false } : {}),
        })),
      }),
  );
  const groups = [...live.groups].sort((a, b) => a.displayName.localeCompare(b.displayName));
  files.set(
    'identity/groups.yaml',
    HEADER +
      yamlDoc({
        kind: 'Groups',
        groups: groups.map((g) => {
          const members = (g.memberUserIds ?? []).flatMap((id) => userName.get(id) ?? []).sort();
          if (g.externalIds.length === 0 && isControlTowerName('group', g.displayName))
            return { name: g.displayName, managedBy: 'controltower' };
          return {
            name: g.displayName,
            ...(g.description ? { description: g.description } : {}),
            ...(g.externalIds.length === 0 ? { source: 'manual' } : {}),
            ...(members.length > 0 ? { members: { users: members } } : {}),
          };
        }),
      }),
  );
  const fileNames = permissionSetFileNames(live.permissionSets.map((p) => p.name));
  for (const ps of [...live.permissionSets].sort((a, b) => a.name.localeCompare(b.name))) {
    const fileName = fileNames.get(ps.name)!;
    const base = `identity/permission-sets/${fileName}`;
    if (isControlTowerName('permissionSet', ps.name)) {
      files.set(
        `${base}.yaml`,
        HEADER + yamlDoc({ kind: 'PermissionSet', name: ps.name, managedBy: 'controltower' }),
      );
      continue;
    }
    if (ps.inlinePolicy !== undefined) files.set(`${base}.inline.json`, `${ps.inlinePolicy}\n`);
    files.set(
      `${base}.yaml`,
      HEADER +
        yamlDoc({
          kind: 'PermissionSet',
          name: ps.name,
          ...(ps.description !== undefined ? { description: ps.description } : {}),
          ...(ps.sessionDuration !== undefined ? { sessionDuration: ps.sessionDuration } : {}),
          ...(ps.relayState !== undefined ? { relayState: ps.relayState } : {}),
          ...(ps.managedPolicies.length ? { managedPolicies: [...ps.managedPolicies].sort() } : {}),
          ...(ps.customerManagedPolicies.length
            ? { customerManagedPolicies: ps.customerManagedPolicies }
            : {}),
          ...(ps.inlinePolicy !== undefined ? { inlinePolicy: `./${fileName}.inline.json` } : {}),
          ...(ps.permissionsBoundary ? { permissionsBoundary: ps.permissionsBoundary } : {}),
          ...(Object.keys(ps.tags).length ? { tags: ps.tags } : {}),
        }),
    );
  }
  // One entry per principal and permission set, with all its accounts.
  const psName = new Map(live.permissionSets.map((p) => [p.arn, p.name]));
  const entries = new Map<
    string,
    { principal: Record<string, string>; permissionSet: string; accounts: Set<string> }
  >();
  for (const a of live.assignments) {
    const name = a.principalType === 'GROUP' ? groupName.get(a.principalId) : userName.get(a.principalId);
    const permissionSet = psName.get(a.permissionSetArn);
    if (!name || !permissionSet) continue;
    const key = `${a.principalType}|${name}|${permissionSet}`;
    const entry = entries.get(key) ?? {
      principal: { [a.principalType === 'GROUP' ? 'group' : 'user']: name },
      permissionSet,
      accounts: new Set(),
    };
    entry.accounts.add(a.accountId);
    entries.set(key, entry);
  }
  files.set(
    'identity/assignments.yaml',
    HEADER +
      yamlDoc({
        kind: 'Assignments',
        assignments: [...entries.keys()].sort().map((k) => {
          const e = entries.get(k)!;
          const { organizationalUnits, accounts } = compact(e.accounts, live.organization);
          return {
            ...e.principal,
            permissionSet: e.permissionSet,
            ...(organizationalUnits.length > 0 ? { organizationalUnits } : {}),
            ...(accounts.length > 0 ? { accounts } : {}),
          };
        }),
      }),
  );
  const applications = applicationDocuments(live, userName, groupName);
  if (applications.length > 0) files.set('identity/applications.yaml', HEADER + applications.join('---\n'));
  const abac = live.accessControlAttributes;
  if (abac?.configured) {
    files.set(
      'identity/access-control-attributes.yaml',
      HEADER +
        yamlDoc({
          kind: 'AccessControlAttributes',
          attributes: abac.attributes.map((a) => ({ key: a.key, source: a.source })),
        }),
    );
  }
  return files;
}

/**
 * One Application document per application read in full, by name, and by ARN too where several share the
 * name. Assignments to principals that no longer exist are left out (IDC115 reports them).
 */
function applicationDocuments(
  live: LiveState,
  userName: ReadonlyMap<string, string>,
  groupName: ReadonlyMap<string, string>,
): string[] {
  const apps = (live.applications ?? []).filter((a) => a.assignments);
  const shared = new Set(
    apps.filter((a, i) => apps.findIndex((b) => b.name === a.name) !== i).map((a) => a.name),
  );
  return apps.map((app) => {
    const names = (type: 'GROUP' | 'USER') =>
      app
        .assignments!.filter((a) => a.principalType === type && !a.principalMissing)
        .flatMap((a) => (type === 'GROUP' ? groupName : userName).get(a.principalId) ?? a.principalName ?? [])
        .sort();
    const [groups, users] = [names('GROUP'), names('USER')];
    return yamlDoc({
      kind: 'Application',
      name: app.name,
      ...(shared.has(app.name) ? { arn: app.arn } : {}),
      ...(app.assignmentRequired !== undefined ? { assignmentRequired: app.assignmentRequired } : {}),
      ...(groups.length + users.length > 0
        ? { assignments: { ...(groups.length ? { groups } : {}), ...(users.length ? { users } : {}) } }
        : {}),
    });
  });
}
