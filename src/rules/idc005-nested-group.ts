import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

export const rule: Rule = {
  id: 'IDC005',
  check({ model }) {
    const idp =
      model.instance?.scim?.idp === 'entra'
        ? 'Entra ID provisions direct members only'
        : 'the IdP provisions direct members only';
    return model.groups.flatMap((outer) =>
      outer.memberGroups.map((inner) =>
        finding(
          'IDC005',
          inner.at,
          { kind: 'group', name: inner.value },
          `group ${quote(inner.value)} is nested in ${quote(outer.name)}: Identity Center groups contain only users and ${idp}, so members of ${quote(inner.value)} never get the access of ${quote(outer.name)}. Add those users to ${quote(outer.name)} directly, or assign ${quote(inner.value)} itself`,
          { detail: outer.name },
        ),
      ),
    );
  },
};
