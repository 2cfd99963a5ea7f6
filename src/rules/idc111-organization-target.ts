import type { RawFinding } from '../findings/types.js';
import type { LiveOrganization } from '../live/types.js';
import { isPartInvalid } from '../model/values.js';
import { organizationNames } from '../model/organization-names.js';
import { resolveTargets, type MissingTarget } from '../model/targets.js';
import type { Located } from '../model/types.js';
import { NameIndex } from '../util/suggest.js';
import { quote } from '../util/text.js';
import { assignmentEntity } from './shared.js';
import { defineLiveRule } from './types.js';

/** OU, tag, account and exclusion targets that name nothing (usable), or several things, in the organization. */
export const rule = defineLiveRule(
  { id: 'IDC111', needs: ['organization'] },
  ({ model, organization }, finding) => {
    const accounts = organization?.accounts;
    if (!organization || !accounts) return [];
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const aliases = model.instance?.accounts ?? new Map<string, Located>();
    const suggest = suggester(organization, [...aliases.keys()]);
    const out: RawFinding[] = [];
    for (const a of model.assignments) {
      const entity = (what: string) =>
        assignmentEntity(a.principalType, a.principal.value, a.permissionSet.value, what);
      const who = `${a.principalType} ${quote(a.principal.value)}`;
      const granted = `${who} is assigned ${quote(a.permissionSet.value)}`;
      // A target IDC001 rejects (a malformed OU ID, empty tags) is not reported again as missing.
      const rejected = new Set(a.targets.organizationalUnits.filter((ou) => ou.invalid).map((ou) => ou.at));
      if (a.targets.accountTags && isPartInvalid(a, 'accountTags')) rejected.add(a.targets.accountTags.at);
      const resolved = resolveTargets(a, aliases, organization);
      for (const missing of resolved.missing) {
        if (rejected.has(missing.at)) continue;
        out.push(finding(missing.at, entity(missing.what), missingMessage(missing, granted, suggest)));
      }
      // The listed accounts (by ID, alias or name) that the assignment grants in: those written in `accounts`.
      const listed = new Set(a.accounts.filter((x) => !x.invalid).map((x) => x.at));
      for (const t of resolved.accounts.filter((t) => listed.has(t.at))) {
        const ref = { id: t.accountId, at: t.at };
        const account = byId.get(ref.id);
        if (!account) {
          out.push(
            finding(
              ref.at,
              entity(ref.id),
              `account ${ref.id} is not in the organization ${organization.id}: the assignment of ` +
                `${quote(a.permissionSet.value)} to ${who} cannot be made there; fix the account ID`,
            ),
          );
        } else if (account.status !== 'ACTIVE') {
          out.push(
            finding(
              ref.at,
              entity(ref.id),
              `account ${ref.id}${account.name ? ` (${account.name})` : ''} is ` +
                `${account.status.toLowerCase().replace('_', ' ')}: the assignment of ` +
                `${quote(a.permissionSet.value)} to ${who} grants nothing there; remove the account`,
              { severity: 'warning' },
            ),
          );
        }
      }
    }
    return out;
  },
);

function missingMessage(missing: MissingTarget, granted: string, suggest: Suggester): string {
  const hint = missing.name ? suggest(missing.name.kind, missing.name.value) : '';
  if (missing.ambiguous) {
    const which = missing.name?.kind === 'ou' ? "the OU's path or ID" : "the account's ID or an alias";
    const names = missing.ambiguous.join(', ');
    return missing.excluded
      ? `${granted} except ${missing.what}, a name ${missing.ambiguous.length} accounts have (${names}): it ` +
          `is refused, not guessed, so nothing is excluded; write ${which}`
      : `${granted} through ${missing.what}, a name ${missing.ambiguous.length} ` +
          `${missing.name?.kind === 'ou' ? 'OUs' : 'accounts'} have (${names}): it is refused, not guessed, so it ` +
          `grants nothing there; write ${which}`;
  }
  if (missing.excluded)
    return (
      `${granted} except ${missing.what}, which the organization does not have${hint}, so nothing is ` +
      `excluded: fix the name`
    );
  return (
    `${granted} through ${missing.what}, which the organization does not have${hint}, so it grants ` +
    `nothing there: fix the target`
  );
}

type Suggester = (kind: 'ou' | 'account', value: string) => string;

/** " (did you mean 'Workloads/Production'?)": OU paths, account names and aliases, indexed once a run. */
function suggester(organization: LiveOrganization, aliases: string[]): Suggester {
  let indexes: { ou: NameIndex; account: NameIndex } | undefined;
  return (kind, value) => {
    const names = organizationNames(organization);
    indexes ??= { ou: new NameIndex(names.ouPaths), account: new NameIndex([...names.accounts, ...aliases]) };
    const near = indexes[kind].closest(value);
    return near === undefined ? '' : ` (did you mean ${quote(near)}?)`;
  };
}
