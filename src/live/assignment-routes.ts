/**
 * The two routes to the wanted principals' assignments, and the choice between them (read-principals.ts says
 * why it is never more than twice the cheaper one).
 */
import {
  paginateListAccountAssignments,
  paginateListAccountAssignmentsForPrincipal,
} from '@aws-sdk/client-sso-admin';
import { provisionedAccountIds } from './read-permission-sets.js';
import type { Reader } from './read-context.js';
import { toAssignment } from './shapes.js';
import type { LiveAssignment } from './types.js';

export interface Principal {
  type: 'GROUP' | 'USER';
  id: string;
  name: string;
}

/** The route chosen, and the accounts of each permission set when they were listed to choose it. */
export interface Route {
  kind: 'principal' | 'pair';
  accounts?: Map<string, string[]>;
}

/**
 * Per principal or per pair (see the file's comment). Lists every set's accounts only when P > N sets; a
 * failed listing there falls back to per principal (what it read of the wanted sets is kept).
 */
export async function chooseRoute(
  r: Reader,
  instanceArn: string,
  arns: string[],
  principals: number,
): Promise<Route> {
  if (principals <= arns.length) return { kind: 'principal' };
  const accounts = new Map<string, string[]>();
  let failed = false;
  await Promise.all(
    arns.map(async (arn) => {
      const ids = await provisionedAccountIds(r, instanceArn, arn);
      if (ids) accounts.set(arn, ids);
      else failed = true;
    }),
  );
  const pairs = [...accounts.values()].reduce((n, ids) => n + ids.length, 0);
  return { kind: !failed && pairs < principals ? 'pair' : 'principal', accounts };
}

export async function byPrincipal(
  r: Reader,
  instanceArn: string,
  principals: Principal[],
  out: LiveAssignment[],
) {
  await Promise.all(
    principals.map(async (p) => {
      const found = await r.listing(
        'ListAccountAssignmentsForPrincipal',
        `the assignments of ${p.type.toLowerCase()} ${p.name}`,
        paginateListAccountAssignmentsForPrincipal(
          { client: r.sso, pageSize: r.pageSize },
          { InstanceArn: instanceArn, PrincipalType: p.type, PrincipalId: p.id },
        ),
        (page) => page.AccountAssignments,
        'assignments',
      );
      out.push(...found.flatMap((a) => toAssignment(a)));
    }),
  );
}

export async function byPair(
  r: Reader,
  instanceArn: string,
  accounts: Map<string, string[]>,
  principals: Principal[],
  out: LiveAssignment[],
) {
  const wanted = new Set(principals.map((p) => `${p.type}|${p.id}`));
  await Promise.all(
    [...accounts].flatMap(([arn, ids]) =>
      ids.map(async (accountId) => {
        const found = await pairAssignments(r, instanceArn, accountId, arn);
        out.push(
          ...found
            .flatMap((a) => toAssignment(a))
            .filter((a) => wanted.has(`${a.principalType}|${a.principalId}`)),
        );
      }),
    ),
  );
}

/** The assignments in one (account, permission set) pair; a failure loses `assignments`. */
export function pairAssignments(r: Reader, instanceArn: string, accountId: string, permissionSetArn: string) {
  return r.listing(
    'ListAccountAssignments',
    `the assignments of ${permissionSetArn} in ${accountId}`,
    paginateListAccountAssignments(
      { client: r.sso, pageSize: r.pageSize },
      { InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn },
    ),
    (page) => page.AccountAssignments,
    'assignments',
  );
}
