import { quote } from '../util/text.js';
import { defineRule } from './types.js';

export const rule = defineRule({ id: 'IDC005' }, ({ model }, finding) => {
  const idp =
    model.instance?.scim?.idp === 'entra'
      ? 'Entra ID provisions direct members only'
      : 'the IdP provisions direct members only';
  const nested = model.groups.flatMap((outer) =>
    outer.memberGroups.map((inner) =>
      finding(
        inner.at,
        { kind: 'group', name: inner.value },
        `group ${quote(inner.value)} is nested in ${quote(outer.name)}: Identity Center groups contain ` +
          `only users and ${idp}, so members of ${quote(inner.value)} never get the access of ` +
          `${quote(outer.name)}. Add those users to ${quote(outer.name)} directly, or assign ` +
          `${quote(inner.value)} itself`,
        { detail: outer.name },
      ),
    ),
  );
  // A group the app assigns directly whose parent the app also assigns: its members are provisioned, but only
  // as members of the inner group, never of the outer one.
  const outerOf = new Map(
    model.groups.flatMap((g) => g.memberGroups.map((inner) => [inner.value.toLowerCase(), g.name] as const)),
  );
  const inScope = new Set(
    model.mappingSets.flatMap((s) => s.appGroups ?? []).map((g) => g.value.toLowerCase()),
  );
  const scoped = model.mappingSets.flatMap((set) =>
    (set.appGroups ?? []).flatMap((g) => {
      const outer = outerOf.get(g.value.toLowerCase());
      if (!outer || !inScope.has(outer.toLowerCase())) return [];
      return [
        finding(
          g.at,
          { kind: 'group', name: g.value },
          `group ${quote(g.value)} is assigned to the app and is also a member of ${quote(outer)}, ` +
            `which the app assigns too: its members are provisioned into ${quote(g.value)} only, never ` +
            `into ${quote(outer)}`,
          { severity: 'notice', detail: `scope:${outer}` },
        ),
      ];
    }),
  );
  return [...nested, ...scoped];
});
