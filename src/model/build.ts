import { posix } from 'node:path';
import { childLoc, keyLoc, type Loc } from '../load/location.js';
import { accessControlAttributes, application } from './build-applications.js';
import { isPartInvalid, located, mark, strings, validityOf } from './values.js';
import type { Declaration } from '../validate/validate.js';
import { append } from '../util/list.js';
import { asFields, asList, asString, type Fields } from './untrusted.js';
import { record } from '../util/own.js';
import { declaredMayBeEmpty, entraExpressionInfo, oktaExpressionInputs } from './idp.js';
import type {
  AccessControlAttributesDecl,
  ApplicationDecl,
  AssignmentDecl,
  AttributeMap,
  DeclaredModel,
  GroupDecl,
  Idp,
  InlinePolicy,
  InstanceDecl,
  Located,
  ManagedBy,
  MappingSet,
  OrganizationTargets,
  PermissionSetDecl,
  PolicyReference,
  UserDecl,
  Validity,
} from './types.js';

export function emptyModel(): DeclaredModel {
  return {
    instances: [],
    groups: [],
    users: [],
    usersDeclared: false,
    permissionSets: [],
    assignments: [],
    mappingSets: [],
    applications: [],
    accessControlAttributes: [],
  };
}

/** Builds the declared state from the declaration documents, in file order. */
export function buildModel(declarations: Declaration[]): DeclaredModel {
  const model = emptyModel();
  for (const d of declarations) {
    const part = partOf(d);
    if (part.instance) model.instances.push(part.instance);
    if (part.kind === 'Users') model.usersDeclared = true;
    append(model.groups, part.groups);
    append(model.users, part.users);
    append(model.permissionSets, part.permissionSets);
    append(model.assignments, part.assignments);
    append(model.mappingSets, part.mappingSets);
    append(model.applications, part.applications);
    if (part.accessControlAttributes) model.accessControlAttributes.push(part.accessControlAttributes);
  }
  model.instance = model.instances[0];
  return model;
}

/** What one declaration document adds to the model. */
interface ModelPart {
  kind: Declaration['kind'];
  instance?: InstanceDecl;
  groups: GroupDecl[];
  users: UserDecl[];
  permissionSets: PermissionSetDecl[];
  assignments: AssignmentDecl[];
  mappingSets: MappingSet[];
  applications: ApplicationDecl[];
  accessControlAttributes?: AccessControlAttributesDecl;
}

/**
 * Each document's part, built once per parse: a pull request's base and head share the documents of the files
 * they both hold (LoadCache), and so the very same entity objects, which lets later stages tell an unchanged
 * entity by identity. Nothing downstream mutates an entity.
 */
const parts = new WeakMap<Declaration, ModelPart>();

function partOf(d: Declaration): ModelPart {
  const known = parts.get(d);
  if (known) return known;
  const part: ModelPart = {
    kind: d.kind,
    groups: [],
    users: [],
    permissionSets: [],
    assignments: [],
    mappingSets: [],
    applications: [],
  };
  const isInvalid = (...path: (string | number)[]): Validity => validityOf(d.invalid.get(path.join('/')));
  const v = d.value;
  switch (d.kind) {
    case 'IdentityCenter':
      part.instance = instance(v, d.loc, isInvalid());
      break;
    case 'Groups':
      asList(v.groups).forEach((g, i) => {
        const group = groupDecl(asFields(g), childLoc(d.loc, 'groups', i), isInvalid('groups', i));
        if (group) part.groups.push(group);
      });
      break;
    case 'Users':
      asList(v.users).forEach((u, i) => {
        const user = asFields(u);
        if (user) part.users.push(userDecl(user, childLoc(d.loc, 'users', i), isInvalid('users', i)));
      });
      break;
    case 'PermissionSet': {
      const ps = permissionSet(v, d.loc, isInvalid());
      if (ps) part.permissionSets.push(ps);
      break;
    }
    case 'Assignments':
      asList(v.assignments).forEach((a, i) => {
        const assignment = assignmentDecl(
          asFields(a),
          childLoc(d.loc, 'assignments', i),
          isInvalid('assignments', i),
        );
        if (assignment) part.assignments.push(assignment);
      });
      break;
    case 'AttributeMapping':
      part.mappingSets.push(mappingSet(v, d.loc, isInvalid()));
      break;
    case 'Application':
      part.applications.push(application(v, d.loc, isInvalid()));
      break;
    case 'AccessControlAttributes':
      part.accessControlAttributes = accessControlAttributes(v, d.loc, isInvalid(), (i) =>
        isInvalid('attributes', i),
      );
      break;
  }
  parts.set(d, part);
  return part;
}

function instance(v: Fields, at: Loc, validity: Validity): InstanceDecl {
  const scim = asFields(v.scim);
  const accounts = new Map<string, Located>();
  for (const [alias, id] of Object.entries(asFields(v.accounts) ?? {})) {
    if (typeof id === 'string') accounts.set(alias, { value: id, at: childLoc(at, 'accounts', alias) });
  }
  return {
    at,
    ...validity,
    instanceArn: asString(v.instanceArn),
    identityStoreId: asString(v.identityStoreId),
    region: asString(v.region),
    scim: scim && {
      idp: asString(scim.idp) as Idp | undefined,
      endpoint: located(scim.endpoint, childLoc(at, 'scim', 'endpoint')),
      tokenCreated: located(scim.tokenCreated, childLoc(at, 'scim', 'tokenCreated')),
    },
    accounts,
  };
}

const MANAGED_BY: readonly ManagedBy[] = ['controltower', 'external'];

/** `managedBy` as declared, when the schema accepts it. */
function managedByOf(v: Fields, validity: Validity): { managedBy?: ManagedBy } {
  const managedBy = MANAGED_BY.find((m) => m === v.managedBy);
  return managedBy && !isPartInvalid(validity, 'managedBy') ? { managedBy } : {};
}

function groupDecl(g: Fields | undefined, at: Loc, validity: Validity): GroupDecl | undefined {
  const name = asString(g?.name);
  if (!g || name === undefined) return undefined;
  const members = asFields(g.members);
  return {
    at,
    ...validity,
    written: g,
    ...managedByOf(g, validity),
    name,
    description: asString(g.description),
    source: g.source === 'manual' ? 'manual' : 'idp',
    memberUsers: strings(members?.users, childLoc(at, 'members', 'users')),
    memberGroups: strings(members?.groups, childLoc(at, 'members', 'groups')),
  };
}

function userDecl(u: Fields, at: Loc, validity: Validity): UserDecl {
  return {
    at,
    ...validity,
    written: u,
    userName: asString(u.userName),
    displayName: asString(u.displayName),
    givenName: asString(u.givenName),
    familyName: asString(u.familyName),
    email: asString(u.email),
    active: typeof u.active === 'boolean' ? u.active : undefined,
  };
}

function policyReference(v: unknown): PolicyReference | undefined {
  const o = asFields(v);
  const name = asString(o?.name);
  return name === undefined ? undefined : { name, path: asString(o?.path) ?? '/' };
}

function permissionSet(v: Fields, at: Loc, validity: Validity): PermissionSetDecl | undefined {
  const name = asString(v.name);
  if (name === undefined) return undefined;
  const customerManagedPolicies: Located<PolicyReference>[] = [];
  asList(v.customerManagedPolicies).forEach((p, i) => {
    const ref = policyReference(p);
    if (ref) customerManagedPolicies.push({ value: ref, at: childLoc(at, 'customerManagedPolicies', i) });
  });
  const boundary = asFields(v.permissionsBoundary);
  const tags = record<string>();
  for (const [k, t] of Object.entries(asFields(v.tags) ?? {})) if (typeof t === 'string') tags[k] = t;
  return {
    at,
    ...validity,
    written: v,
    ...managedByOf(v, validity),
    name,
    description: asString(v.description),
    sessionDuration: asString(v.sessionDuration),
    relayState: asString(v.relayState),
    managedPolicies: strings(v.managedPolicies, childLoc(at, 'managedPolicies')),
    customerManagedPolicies,
    inlinePolicy: inlinePolicy(v.inlinePolicy, childLoc(at, 'inlinePolicy')),
    permissionsBoundary: boundary && {
      managedPolicyArn: asString(boundary.managedPolicyArn),
      customerManagedPolicyReference: policyReference(boundary.customerManagedPolicyReference),
    },
    tags,
  };
}

function inlinePolicy(v: unknown, at: Loc): InlinePolicy | undefined {
  if (typeof v === 'string') {
    const file = (at as { file: string }).file;
    // An absolute path stays absolute, so that it is refused as outside the repository.
    const resolved = v.startsWith('/') ? v : posix.normalize(posix.join(posix.dirname(file), v));
    return { kind: 'file', path: v, resolved, at };
  }
  if (asFields(v)) return { kind: 'document', document: v, at };
  return undefined;
}

function assignmentDecl(a: Fields | undefined, at: Loc, validity: Validity): AssignmentDecl | undefined {
  if (!a) return undefined;
  const principalType =
    typeof a.group === 'string' ? 'group' : typeof a.user === 'string' ? 'user' : undefined;
  const permissionSet = located(a.permissionSet, childLoc(at, 'permissionSet'));
  if (!principalType || !permissionSet) return undefined;
  const marked = (field: string): Located[] =>
    strings(a[field], childLoc(at, field), (i) => validity.invalidParts.has(`${field}/${i}`));
  return {
    at,
    ...validity,
    principalType,
    principal: mark(
      { value: a[principalType] as string, at: childLoc(at, principalType) },
      validity,
      principalType,
    ),
    permissionSet: mark(permissionSet, validity, 'permissionSet'),
    accounts: marked('accounts'),
    excludedAccounts: marked('excludedAccounts'),
    targets: organizationTargets(a, at, marked('organizationalUnits')),
  };
}

function organizationTargets(a: Fields, at: Loc, organizationalUnits: Located[]): OrganizationTargets {
  const tags = asFields(a.accountTags);
  const accountTags = record<string>();
  for (const [k, v] of Object.entries(tags ?? {})) if (typeof v === 'string') accountTags[k] = v;
  return {
    organizationalUnits,
    recursive: a.recursive === true,
    ...(tags ? { accountTags: { value: accountTags, at: childLoc(at, 'accountTags') } } : {}),
    ...(a.root === true ? { root: { value: true as const, at: childLoc(at, 'root') } } : {}),
  };
}

function mappingSet(v: Fields, at: Loc, validity: Validity): MappingSet {
  const idp = (asString(v.idp) as Idp) ?? 'other';
  const mappings: AttributeMap[] = [];
  asList(v.mappings).forEach((m, i) => {
    const o = asFields(m);
    const target = asString(o?.target);
    if (!o || target === undefined) return;
    const mapAt = childLoc(at, 'mappings', i);
    if (typeof o.source === 'string') {
      const mayBeEmpty = declaredMayBeEmpty(idp, 'attribute', o.source);
      mappings.push({
        target,
        kind: 'attribute',
        inputs: [o.source],
        sourceText: o.source,
        at: mapAt,
        mayBeEmpty,
      });
    } else if (typeof o.constant === 'string') {
      mappings.push({
        target,
        kind: 'constant',
        inputs: [],
        constant: o.constant,
        sourceText: `"${o.constant}"`,
        at: mapAt,
      });
    } else if (typeof o.expression === 'string') {
      const inputs =
        idp === 'okta' ? oktaExpressionInputs(o.expression) : entraExpressionInfo(o.expression).inputs;
      const mayBeEmpty = declaredMayBeEmpty(idp, 'expression', o.expression);
      mappings.push({ target, kind: 'expression', inputs, sourceText: o.expression, at: mapAt, mayBeEmpty });
    }
  });
  const app = asFields(v.appAssignments);
  return {
    at,
    ...validity,
    idp,
    origin: 'declaration',
    file: (at as { file: string }).file,
    object: v.object === 'group' ? 'group' : 'user',
    mappingsAt: keyLoc(at, 'mappings'),
    mappings: Array.isArray(v.mappings) ? mappings : undefined,
    appGroups: app ? strings(app.groups, childLoc(at, 'appAssignments', 'groups')) : undefined,
  };
}
