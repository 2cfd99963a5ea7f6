import type { RawFinding } from '../findings/types.js';
import type { DeclaredModel } from '../model/types.js';
import { append } from '../util/list.js';
import { InputMemo } from '../util/same-inputs.js';
import { indexOf, SUGGESTION_BUDGET, SuggestionBudget, type NameIndex } from '../util/suggest.js';
import { quote } from '../util/text.js';
import { applicationName } from './shared.js';
import { defineRule, type FindingOf } from './types.js';

export const rule = defineRule({ id: 'IDC002' }, ({ model }, finding) => {
  const groups = new Set(model.groups.map((g) => g.name));
  const users = userNames(model);
  const permissionSets = new Set(model.permissionSets.map((p) => p.name));
  const out: RawFinding[] = [];
  // One index per set, built on first use (an organisation has tens of thousands of users), and one budget
  // for the whole run: a file of thousands of undeclared names must not make the check quadratic.
  const suggest = suggester();

  // Every assignment, even one that breaks its schema in places: a value IDC001 rejects is not judged again.
  for (const a of model.assignments) {
    const { value: principal, at } = a.principal;
    const principalChecked = !a.principal.invalid;
    if (principalChecked && a.principalType === 'group' && !groups.has(principal)) {
      out.push(
        finding(
          at,
          { kind: 'group', name: principal },
          `group ${quote(principal)} is assigned but not declared in any Groups ` +
            `document${suggest(principal, groups)}; declare it, or fix the name`,
        ),
      );
    }
    if (principalChecked && a.principalType === 'user' && model.usersDeclared && !users.has(principal)) {
      out.push(
        finding(
          at,
          { kind: 'user', name: principal },
          `user ${quote(principal)} is assigned but not declared in any Users ` +
            `document${suggest(principal, users)}; declare the user, or fix the userName`,
        ),
      );
    }
    const ps = a.permissionSet;
    if (!ps.invalid && !permissionSets.has(ps.value)) {
      out.push(
        finding(
          ps.at,
          { kind: 'permissionSet', name: ps.value },
          `permission set ${quote(ps.value)} is not declared${suggest(ps.value, permissionSets)}; add a ` +
            `PermissionSet document named ${quote(ps.value)}, or fix the name`,
        ),
      );
    }
    // An `accounts` entry that is neither an ID nor an alias is an account name: IDC111 resolves it.
  }
  for (const app of model.applications) {
    const name = quote(applicationName(app));
    const principals = [
      { kind: 'group', list: app.groups, known: groups, where: 'Groups', fix: 'declare it, or fix the name' },
      ...(model.usersDeclared
        ? [
            {
              kind: 'user',
              list: app.users,
              known: users,
              where: 'Users',
              fix: 'declare the user, or fix the userName',
            },
          ]
        : []),
    ];
    for (const { kind, list, known, where, fix } of principals) {
      for (const p of list.filter((p) => !known.has(p.value))) {
        out.push(
          finding(
            p.at,
            { kind, name: p.value },
            `${kind} ${quote(p.value)} is assigned to application ${name} but not declared in any ${where} ` +
              `document${suggest(p.value, known)}; ${fix}`,
          ),
        );
      }
    }
  }
  // Shared between runs as they are: findings/finalize.ts builds each run's findings anew from them.
  append(
    out,
    memberFindings.get([model.groups, model.users, model.usersDeclared], () => members(model, finding)),
  );
  return out;
});

/**
 * "Did you mean" for one part of the rule: one index per set of names, built on first use (an organisation
 * has tens of thousands of users), and a budget per part, so that a file of thousands of undeclared names
 * cannot make the check quadratic, and each part's messages depend on its own inputs only.
 */
function suggester(): (name: string, known: Set<string> | Map<string, unknown>) => string {
  const budget = new SuggestionBudget(SUGGESTION_BUDGET / 2);
  const indexes = new WeakMap<object, NameIndex>();
  return (name, known) => {
    if (!indexes.has(known)) indexes.set(known, indexOf([...known.keys()], budget));
    const near = indexes.get(known)!.closest(name);
    return near ? ` (did you mean ${quote(near)}?)` : '';
  };
}

const userNames = (model: DeclaredModel): Set<string> =>
  new Set(model.users.flatMap((u) => (u.userName ? [u.userName] : [])));

/** Group members who are not declared users: a PR that changes only assignments leaves them as they were. */
const memberFindings = new InputMemo<RawFinding[]>();

function members(model: DeclaredModel, finding: FindingOf): RawFinding[] {
  if (!model.usersDeclared) return [];
  const users = userNames(model);
  const suggest = suggester();
  const out: RawFinding[] = [];
  for (const g of model.groups) {
    for (const member of g.memberUsers) {
      if (users.has(member.value)) continue;
      out.push(
        finding(
          member.at,
          { kind: 'user', name: member.value },
          `group ${quote(g.name)} lists member ${quote(member.value)}, who is not declared in any Users ` +
            `document${suggest(member.value, users)}`,
          { detail: g.name },
        ),
      );
    }
  }
  return out;
}
