/**
 * An in-memory Identity Center for the reader: an SDK HttpHandler that answers the Identity Store and SSO
 * Admin read operations (JSON 1.1, as AWS does) from data held in memory, with MaxResults/NextToken paging
 * and ProvisioningStatus. The reader runs unchanged against it (`transport` in ReadLiveStateOptions), with its
 * limiter counting every call: tests use it for what moto does not answer faithfully, and the bench drives
 * the real reader with it on organisations too large to seed (L).
 */

export interface FakeGroup {
  id: string;
  name: string;
  description?: string;
  externalIds?: { issuer: string; id: string }[];
  members: string[]; // user IDs
}

export interface FakeUser {
  id: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  externalIds?: { issuer: string; id: string }[];
}

export interface FakePermissionSet {
  arn: string;
  name: string;
  description?: string;
  sessionDuration?: string;
  relayState?: string;
  managedPolicies?: string[];
  customerManagedPolicies?: { name: string; path: string }[];
  inlinePolicy?: string;
  permissionsBoundary?:
    { managedPolicyArn: string } | { customerManagedPolicyReference: { name: string; path: string } };
  tags?: Record<string, string>;
  /** Accounts it is provisioned to; those listed in `outdated` lack its latest version. */
  accounts: string[];
  outdated?: string[];
}

export interface FakeAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'GROUP' | 'USER';
  principalId: string;
}

export interface FakeData {
  instanceArn: string;
  identityStoreId: string;
  groups: FakeGroup[];
  users: FakeUser[];
  permissionSets: FakePermissionSet[];
  assignments: FakeAssignment[];
}

type Json = Record<string, unknown>;
type Handler = (input: Json) => Json;

class FakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** One page of `items` from the offset in NextToken. */
function page<T>(items: T[], input: Json, key: string, map: (item: T) => unknown = (x) => x): Json {
  const size = Math.min(Number(input.MaxResults ?? 100), 100);
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [key]: slice.map(map), ...(next ? { NextToken: next } : {}) };
}

const externalIds = (list?: { issuer: string; id: string }[]) =>
  (list ?? []).map((e) => ({ Issuer: e.issuer, Id: e.id }));

function group(g: FakeGroup, identityStoreId: string): Json {
  return {
    GroupId: g.id,
    DisplayName: g.name,
    ...(g.description ? { Description: g.description } : {}),
    ...(g.externalIds ? { ExternalIds: externalIds(g.externalIds) } : {}),
    IdentityStoreId: identityStoreId,
  };
}

function user(u: FakeUser, identityStoreId: string): Json {
  return {
    UserId: u.id,
    UserName: u.userName,
    ...(u.displayName ? { DisplayName: u.displayName } : {}),
    Name: { GivenName: u.givenName, FamilyName: u.familyName },
    ...(u.email ? { Emails: [{ Value: u.email, Type: 'work', Primary: true }] } : {}),
    ...(u.externalIds ? { ExternalIds: externalIds(u.externalIds) } : {}),
    IdentityStoreId: identityStoreId,
  };
}

/** The handlers, by operation, over indexes built once. */
function handlers(data: FakeData): Record<string, Handler> {
  const store = data.identityStoreId;
  const groupsById = new Map(data.groups.map((g) => [g.id, g]));
  const groupsByName = new Map(data.groups.map((g) => [g.name.toLowerCase(), g]));
  const usersById = new Map(data.users.map((u) => [u.id, u]));
  const usersByName = new Map(data.users.map((u) => [u.userName.toLowerCase(), u]));
  const sets = new Map(data.permissionSets.map((p) => [p.arn, p]));
  const byPair = new Map<string, FakeAssignment[]>();
  const byPrincipal = new Map<string, FakeAssignment[]>();
  for (const a of data.assignments) {
    const pair = `${a.accountId}|${a.permissionSetArn}`;
    const principal = `${a.principalType}|${a.principalId}`;
    byPair.set(pair, [...(byPair.get(pair) ?? []), a]);
    byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), a]);
  }
  const byAccount = new Map<string, string[]>();
  for (const p of data.permissionSets)
    for (const a of p.accounts) byAccount.set(a, [...(byAccount.get(a) ?? []), p.arn]);
  const notFound = (what: string): never => {
    throw new FakeError('ResourceNotFoundException', `${what} not found`);
  };
  const set = (input: Json) => sets.get(String(input.PermissionSetArn)) ?? notFound('permission set');
  const unique = (input: Json, index: Map<string, { id: string }>, idKey: string) => {
    const attr = (input.AlternateIdentifier as { UniqueAttribute?: { AttributeValue?: string } })
      .UniqueAttribute;
    const found = index.get(String(attr?.AttributeValue ?? '').toLowerCase()) ?? notFound('resource');
    return { [idKey]: found.id, IdentityStoreId: store };
  };
  const assignment = (a: FakeAssignment) => ({
    AccountId: a.accountId,
    PermissionSetArn: a.permissionSetArn,
    PrincipalType: a.principalType,
    PrincipalId: a.principalId,
  });
  return {
    ListInstances: (i) =>
      page([{ InstanceArn: data.instanceArn, IdentityStoreId: store, Status: 'ACTIVE' }], i, 'Instances'),
    ListGroups: (i) => page(data.groups, i, 'Groups', (g) => group(g, store)),
    ListUsers: (i) => page(data.users, i, 'Users', (u) => user(u, store)),
    GetGroupId: (i) => unique(i, groupsByName, 'GroupId'),
    GetUserId: (i) => unique(i, usersByName, 'UserId'),
    DescribeGroup: (i) => group(groupsById.get(String(i.GroupId)) ?? notFound('group'), store),
    DescribeUser: (i) => user(usersById.get(String(i.UserId)) ?? notFound('user'), store),
    ListGroupMemberships: (i) => {
      const g = groupsById.get(String(i.GroupId)) ?? notFound('group');
      return page(g.members, i, 'GroupMemberships', (id) => ({
        IdentityStoreId: store,
        MembershipId: `m-${g.id}-${id}`,
        GroupId: g.id,
        MemberId: { UserId: id },
      }));
    },
    ListPermissionSets: (i) => page(data.permissionSets, i, 'PermissionSets', (p) => p.arn),
    DescribePermissionSet: (i) => {
      const p = set(i);
      return {
        PermissionSet: {
          PermissionSetArn: p.arn,
          Name: p.name,
          ...(p.description ? { Description: p.description } : {}),
          SessionDuration: p.sessionDuration ?? 'PT1H',
          ...(p.relayState ? { RelayState: p.relayState } : {}),
        },
      };
    },
    ListManagedPoliciesInPermissionSet: (i) =>
      page(set(i).managedPolicies ?? [], i, 'AttachedManagedPolicies', (arn) => ({
        Arn: arn,
        Name: arn.split('/').pop(),
      })),
    ListCustomerManagedPolicyReferencesInPermissionSet: (i) =>
      page(set(i).customerManagedPolicies ?? [], i, 'CustomerManagedPolicyReferences', (c) => ({
        Name: c.name,
        Path: c.path,
      })),
    GetInlinePolicyForPermissionSet: (i) => ({ InlinePolicy: set(i).inlinePolicy ?? '' }),
    GetPermissionsBoundaryForPermissionSet: (i) => {
      const b = set(i).permissionsBoundary ?? notFound('permissions boundary');
      return {
        PermissionsBoundary:
          'managedPolicyArn' in b
            ? { ManagedPolicyArn: b.managedPolicyArn }
            : {
                CustomerManagedPolicyReference: {
                  Name: b.customerManagedPolicyReference.name,
                  Path: b.customerManagedPolicyReference.path,
                },
              },
      };
    },
    ListTagsForResource: (i) => {
      const p = sets.get(String(i.ResourceArn)) ?? notFound('resource');
      return page(Object.entries(p.tags ?? {}), i, 'Tags', ([Key, Value]) => ({ Key, Value }));
    },
    ListAccountsForProvisionedPermissionSet: (i) => {
      const p = set(i);
      const outdated = new Set(p.outdated ?? []);
      const ids =
        i.ProvisioningStatus === 'LATEST_PERMISSION_SET_NOT_PROVISIONED'
          ? p.accounts.filter((a) => outdated.has(a))
          : i.ProvisioningStatus === 'LATEST_PERMISSION_SET_PROVISIONED'
            ? p.accounts.filter((a) => !outdated.has(a))
            : p.accounts;
      return page(ids, i, 'AccountIds');
    },
    ListPermissionSetsProvisionedToAccount: (i) =>
      page(byAccount.get(String(i.AccountId)) ?? [], i, 'PermissionSets'),
    ListAccountAssignments: (i) =>
      page(byPair.get(`${i.AccountId}|${i.PermissionSetArn}`) ?? [], i, 'AccountAssignments', assignment),
    ListAccountAssignmentsForPrincipal: (i) =>
      page(byPrincipal.get(`${i.PrincipalType}|${i.PrincipalId}`) ?? [], i, 'AccountAssignments', (a) => ({
        ...assignment(a),
      })),
  };
}

interface HttpRequestLike {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The HttpHandler: `calls` counts what it answered, by operation. `failing` makes an operation answer with
 * that error type (AccessDeniedException, …) for the tests of faults.
 */
export class FakeIdentityCenter {
  readonly calls: Record<string, number> = {};
  readonly failing = new Map<string, string>();
  private readonly answer: Record<string, Handler>;

  constructor(readonly data: FakeData) {
    this.answer = handlers(data);
  }

  /** What `readLiveState({ transport })` takes. */
  get transport() {
    return {
      requestHandler: this,
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
    };
  }

  /** The SDK's request handler: a promise, rejected when the answer throws (as an async method would). */
  handle(request: HttpRequestLike): Promise<{ response: unknown }> {
    return new Promise((resolve) => resolve(this.respond(request)));
  }

  private respond(request: HttpRequestLike): { response: unknown } {
    const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
    const operation = String(target ?? '').split('.')[1] ?? '';
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
    const raw =
      typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
    let status = 200;
    let body: Json;
    try {
      const failure = this.failing.get(operation);
      if (failure) throw new FakeError(failure, `${operation} refused`);
      const handler = this.answer[operation];
      if (!handler) throw new FakeError('UnknownOperationException', `${operation} is not answered`);
      body = handler(raw ? (JSON.parse(raw) as Json) : {});
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      status = 400;
      body = { __type: error.type, message: error.message };
    }
    return {
      response: {
        statusCode: status,
        reason: status === 200 ? 'OK' : 'Bad Request',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: new TextEncoder().encode(JSON.stringify(body)),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }

  destroy(): void {}
}
