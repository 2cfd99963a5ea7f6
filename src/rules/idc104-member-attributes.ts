import type { Loc } from '../load/location.js';
import type { RawFinding } from '../findings/types.js';
import { NEVER_EMPTY_FALLBACK, parseScimPath, REQUIRED_USER_ATTRIBUTES } from '../model/scim.js';
import type { DeclaredModel } from '../model/types.js';
import { own } from '../util/own.js';
import { quote } from '../util/text.js';
import { assignedGroups, declaredGroups } from './shared.js';
import { defineLiveRule } from './types.js';

/** The identity store's user fields that Identity Center requires, by the SCIM attribute they come from. */
const REQUIRED = [
  { field: 'displayName', scim: 'displayName' },
  { field: 'givenName', scim: 'name.givenName' },
  { field: 'familyName', scim: 'name.familyName' },
  { field: 'email', scim: 'emails[type eq "work"].value' },
] as const;

/**
 * Why a member may lack `scim`: an IdP export or mapping supplies it only from sources that may be empty.
 * This is the evidence IDC006's may-be-empty hint waits for, so the finding names the mapping and its fix.
 */
function emptySourceHint(model: DeclaredModel, scim: string): string | undefined {
  const attribute = REQUIRED_USER_ATTRIBUTES.find((a) => a.name === scim)!;
  for (const set of model.mappingSets) {
    if (set.invalid || set.object !== 'user' || !set.mappings) continue;
    const suppliers = set.mappings.filter((m) => attribute.supplies(parseScimPath(m.target)));
    if (suppliers.length === 0 || !suppliers.every((m) => m.mayBeEmpty)) continue;
    const fallback = own(own(NEVER_EMPTY_FALLBACK, set.idp), scim);
    return (
      `\`${scim}\` comes only from ${quote(suppliers[0].sourceText)} in ${set.file}, which this ` +
      `user lacks at the IdP: fill it in, or add a ` +
      `fallback${fallback ? ` such as ${fallback}` : ''}`
    );
  }
  return undefined;
}

export const rule = defineLiveRule(
  { id: 'IDC104', needs: ['groups', 'memberships', 'users'] },
  (ctx, finding) => {
    const out: RawFinding[] = [];
    const declared = declaredGroups(ctx.model);
    const hints = new Map(REQUIRED.map((r) => [r.field, emptySourceHint(ctx.model, r.scim)]));
    const firstAssigned = new Map<string, Loc>();
    for (const g of assignedGroups(ctx.model))
      if (!firstAssigned.has(g.value.toLowerCase())) firstAssigned.set(g.value.toLowerCase(), g.at);
    for (const [name, assignedAt] of firstAssigned) {
      const group = ctx.lookup.groupByName.get(name);
      const at = declared.get(name)?.at ?? assignedAt;
      for (const userId of group?.memberUserIds ?? []) {
        const user = ctx.lookup.userById.get(userId);
        if (!user) continue;
        const missing = REQUIRED.filter((r) => !(user[r.field] ?? '').trim());
        const problems = [
          ...(user.active === false ? ['is disabled'] : []),
          ...(missing.length ? [`has no ${missing.map((r) => r.field).join(', ')}`] : []),
        ];
        if (problems.length === 0) continue;
        const why = missing.flatMap((r) => hints.get(r.field) ?? []);
        // The same gap in a declared user is IDC011's too: said, so that two findings read as one cause.
        const declaredUser = ctx.model.users.find(
          (u) => u.userName?.toLowerCase() === user.userName.toLowerCase(),
        );
        const alsoDeclared =
          declaredUser && missing.some((r) => !(declaredUser[r.field] ?? '').trim())
            ? ' (the Users document lacks it too: IDC011)'
            : '';
        out.push(
          finding(
            at,
            { kind: 'user', name: user.userName },
            `member ${quote(user.userName)} of group ${quote(group!.displayName)} ` +
              `${problems.join(' and ')}, so the group's access does not work for this user; ` +
              `${why.length ? why.join('; ') : 'fix the user at the IdP'}${alsoDeclared}`,
            { detail: group!.displayName },
          ),
        );
      }
    }
    return out;
  },
);
