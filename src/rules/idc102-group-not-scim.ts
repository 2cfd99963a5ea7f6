import { quote } from '../util/text.js';
import { defineLiveRule } from './types.js';

export const rule = defineLiveRule({ id: 'IDC102', needs: ['groups'] }, (ctx, finding) => {
  // Okta pushes groups without an externalId, so a group without one proves nothing there.
  const okta = ctx.model.instance?.scim?.idp === 'okta';
  return ctx.model.groups.flatMap((g) => {
    const group = ctx.lookup.groupByName.get(g.name.toLowerCase());
    if (g.source !== 'idp' || g.managedBy || !group || group.externalIds.length > 0) return [];
    const message = okta
      ? `group ${quote(g.name)} has no ExternalId in the identity store. Okta pushes groups without ` +
        `one, so this may be fine; if it was created by hand, Okta's push of that name fails with 409`
      : `group ${quote(g.name)} exists in the identity store but was not provisioned by SCIM (no ` +
        `ExternalId): it was created by hand, so the IdP's push of that name fails with 409 and its ` +
        `members never arrive. Delete the manual group and let the IdP push it (then re-create its ` +
        `assignments), or declare it source: manual`;
    return [finding(g.at, { kind: 'group', name: g.name }, message, okta ? { severity: 'notice' } : {})];
  });
});
