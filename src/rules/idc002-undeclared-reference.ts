import { indexOf, SuggestionBudget, type NameIndex } from '../util/suggest.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

const ACCOUNT_ID = /^\d{12}$/;

export const rule: Rule = {
  id: 'IDC002',
  check({ model }) {
    const groups = new Set(model.groups.map((g) => g.name));
    const users = new Set(model.users.flatMap((u) => (u.userName ? [u.userName] : [])));
    const permissionSets = new Set(model.permissionSets.map((p) => p.name));
    const aliases = model.instance?.accounts ?? new Map();
    const out = [];
    // One index per set, built on first use (an organisation has tens of thousands of users), and one budget
    // for the whole run: a file of thousands of undeclared names must not make the check quadratic.
    const budget = new SuggestionBudget();
    const indexes = new WeakMap<object, NameIndex>();
    const suggest = (name: string, known: Set<string> | Map<string, unknown>): string => {
      if (!indexes.has(known)) indexes.set(known, indexOf([...known.keys()], budget));
      const near = indexes.get(known)!.closest(name);
      return near ? ` (did you mean ${quote(near)}?)` : '';
    };

    // Every assignment, even one that breaks its schema in places: a value IDC001 rejects is not judged again.
    for (const a of model.assignments) {
      const { value: principal, at } = a.principal;
      const principalChecked = !a.principal.invalid;
      if (principalChecked && a.principalType === 'group' && !groups.has(principal)) {
        out.push(
          finding(
            'IDC002',
            at,
            { kind: 'group', name: principal },
            `group ${quote(principal)} is assigned but not declared in any Groups document${suggest(principal, groups)}; declare it, or fix the name`,
          ),
        );
      }
      if (principalChecked && a.principalType === 'user' && model.usersDeclared && !users.has(principal)) {
        out.push(
          finding(
            'IDC002',
            at,
            { kind: 'user', name: principal },
            `user ${quote(principal)} is assigned but not declared in any Users document${suggest(principal, users)}; declare the user, or fix the userName`,
          ),
        );
      }
      const ps = a.permissionSet;
      if (!ps.invalid && !permissionSets.has(ps.value)) {
        out.push(
          finding(
            'IDC002',
            ps.at,
            { kind: 'permissionSet', name: ps.value },
            `permission set ${quote(ps.value)} is not declared${suggest(ps.value, permissionSets)}; add a PermissionSet document named ${quote(ps.value)}, or fix the name`,
          ),
        );
      }
      for (const account of a.accounts) {
        if (account.invalid || ACCOUNT_ID.test(account.value) || aliases.has(account.value)) continue;
        const where = model.instance
          ? 'under `accounts:` of the IdentityCenter document'
          : 'because there is no IdentityCenter document';
        out.push(
          finding(
            'IDC002',
            account.at,
            { kind: 'account', name: account.value },
            `account alias ${quote(account.value)} is not declared ${where}${suggest(account.value, aliases)}; declare it there or use the 12-digit account ID`,
            { detail: `${principal}/${ps.value}` },
          ),
        );
      }
    }
    if (model.usersDeclared) {
      for (const g of model.groups) {
        for (const member of g.memberUsers) {
          if (users.has(member.value)) continue;
          out.push(
            finding(
              'IDC002',
              member.at,
              { kind: 'user', name: member.value },
              `group ${quote(g.name)} lists member ${quote(member.value)}, who is not declared in any Users document${suggest(member.value, users)}`,
              { detail: g.name },
            ),
          );
        }
      }
    }
    return out;
  },
};
