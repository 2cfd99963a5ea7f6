/** AWS Organizations, read for the management account (IDC112) and, when asked, the OUs, accounts and tags. */
import {
  DescribeOrganizationCommand,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import type { Reader } from './read-context.js';
import { compare, toAccount } from './shapes.js';
import type { LiveAccount, LiveOrganization } from './types.js';

/**
 * The organization: its management account, and when asked the whole tree (root, every OU, every account,
 * one ListOrganizationalUnitsForParent and one ListAccountsForParent listing per parent) and the accounts'
 * tags (one ListTagsForResource each). Undefined when DescribeOrganization fails; `complete.organization`
 * is false when any part could not be read.
 */
export async function readOrganization(
  r: Reader,
  want: {
    structure: boolean;
    tags: boolean;
  },
): Promise<LiveOrganization | undefined> {
  r.complete.organization = true;
  // Organizations pages of at most 20 for roots, OUs and accounts.
  const paging = { client: r.org, pageSize: 20 };
  const described = await r.optional(
    'organizations:DescribeOrganization',
    'the organization',
    async () => (await r.org.send(new DescribeOrganizationCommand({}))).Organization,
    'organization',
  );
  if (!described?.Id || !described.MasterAccountId) {
    r.lose('organization');
    return undefined;
  }
  const organization: LiveOrganization = {
    id: described.Id,
    managementAccountId: described.MasterAccountId,
  };
  if (!want.structure) return organization;
  const roots = await r.listing(
    'organizations:ListRoots',
    'the organization root',
    paginateListRoots(paging, {}),
    (page) => page.Roots,
    'organization',
  );
  const rootId = roots[0]?.Id;
  if (!rootId) {
    r.lose('organization');
    return organization;
  }
  const ous: NonNullable<LiveOrganization['organizationalUnits']> = [];
  const accounts: LiveAccount[] = [];
  const walk = async (parentId: string): Promise<void> => {
    const [children, members] = await Promise.all([
      r.listing(
        'organizations:ListOrganizationalUnitsForParent',
        `the OUs in ${parentId}`,
        paginateListOrganizationalUnitsForParent(paging, { ParentId: parentId }),
        (page) => page.OrganizationalUnits,
        'organization',
      ),
      r.listing(
        'organizations:ListAccountsForParent',
        `the accounts in ${parentId}`,
        paginateListAccountsForParent(paging, { ParentId: parentId }),
        (page) => page.Accounts,
        'organization',
      ),
    ]);
    accounts.push(...members.flatMap((a) => toAccount(a, parentId)));
    const found = children.flatMap((ou) => (ou.Id ? [{ id: ou.Id, name: ou.Name ?? ou.Id, parentId }] : []));
    ous.push(...found);
    await Promise.all(found.map((ou) => walk(ou.id)));
  };
  await walk(rootId);
  if (want.tags) {
    await Promise.all(
      accounts.map(async (account) => {
        const tags = await r.listing(
          'organizations:ListTagsForResource',
          `the tags of account ${account.id}`,
          // ListTagsForResource has no MaxResults: the paginator sends none.
          paginateListTagsForResource({ client: r.org }, { ResourceId: account.id }),
          (page) => page.Tags,
          'organization',
        );
        account.tags = Object.fromEntries(
          tags.flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])).sort((a, b) => compare(a[0], b[0])),
        );
      }),
    );
  }
  return {
    ...organization,
    rootId,
    organizationalUnits: ous.sort((a, b) => compare(a.id, b.id)),
    accounts: accounts.sort((a, b) => compare(a.id, b.id)),
  };
}
