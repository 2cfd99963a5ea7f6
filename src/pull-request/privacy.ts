import type { Report } from '../findings/report.js';
import type { LiveState } from '../live/types.js';
import type { DeclaredModel } from '../model/types.js';

const WITHHELD = '‹withheld›';

/**
 * On a public repository, a pull request could declare any group name to have the check print that live
 * group's members in a public comment, summary or log. So the names of users who are members only of groups
 * the base does not declare (and whom the base does not declare) are withheld from every finding message.
 */
export function withholdMemberNames(report: Report, base: DeclaredModel, live: LiveState): void {
  const declaredGroups = new Set(base.groups.map((g) => g.name.toLowerCase()));
  const known = new Set<string>();
  for (const u of base.users) if (u.userName) known.add(u.userName.toLowerCase());
  for (const g of base.groups) for (const m of g.memberUsers) known.add(m.value.toLowerCase());
  const visible = new Set<string>();
  const hidden = new Set<string>();
  for (const g of live.groups) {
    const into = declaredGroups.has(g.displayName.toLowerCase()) ? visible : hidden;
    for (const id of g.memberUserIds ?? []) into.add(id);
  }
  const names = new Set<string>();
  for (const u of live.users) {
    if (!hidden.has(u.userId) || visible.has(u.userId) || known.has(u.userName.toLowerCase())) continue;
    for (const name of [u.userName, u.email, u.displayName, u.userId])
      if (name && name.length > 2) names.add(name);
  }
  if (names.size === 0) return;
  // Longest first, so that an email is withheld whole rather than around its user name.
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const withhold = (text: string): string => {
    let out = text;
    for (const name of sorted) if (out.includes(name)) out = out.split(name).join(WITHHELD);
    return out;
  };
  let count = 0;
  for (const f of report.findings) {
    const message = withhold(f.message);
    if (message !== f.message) {
      f.message =
        `${message} (member names withheld: the group is not declared on the base branch ` +
        `of this public repository)`;
      count++;
    }
  }
  if (count > 0) {
    report.notices.push({
      message:
        `member names withheld from ${count} finding${count === 1 ? '' : 's'}: they belong ` +
        `to live groups that the base branch does not declare, and this repository is public`,
    });
  }
}
