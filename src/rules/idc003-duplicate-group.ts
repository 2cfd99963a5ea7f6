import type { RawFinding } from '../findings/types.js';
import type { Loc } from '../load/location.js';
import { quote } from '../util/text.js';
import { finding, type Rule } from './types.js';

/** Reports every name after the first that equals an earlier one without regard to case. */
export function duplicatesIgnoringCase<T>(
  items: T[],
  nameOf: (item: T) => string | undefined,
): { item: T; first: T }[] {
  const firstByName = new Map<string, T>();
  const duplicates: { item: T; first: T }[] = [];
  for (const item of items) {
    const name = nameOf(item);
    if (name === undefined || name === '') continue;
    const key = name.toLowerCase();
    const first = firstByName.get(key);
    if (first === undefined) firstByName.set(key, item);
    else duplicates.push({ item, first });
  }
  return duplicates;
}

export const rule: Rule = {
  id: 'IDC003',
  check({ model }) {
    const out: RawFinding[] = [];
    const report = (name: string, firstName: string, at: Loc, firstFile: string, where: string): void => {
      const same = name === firstName ? 'is declared twice' : `differs only in case from ${quote(firstName)}`;
      out.push(
        finding(
          'IDC003',
          at,
          { kind: 'group', name: name.toLowerCase() },
          `group ${quote(name)} ${same} (first in ${firstFile})${where}; Identity Center group names are unique without regard to case, so the IdP's push of the second fails with 409. Keep one`,
        ),
      );
    };
    for (const { item, first } of duplicatesIgnoringCase(model.groups, (g) => g.name)) {
      report(item.name, first.name, item.at, first.at.file, '');
    }
    for (const set of model.mappingSets) {
      for (const { item, first } of duplicatesIgnoringCase(set.appGroups ?? [], (g) => g.value)) {
        report(item.value, first.value, item.at, first.at.file, ' in the IdP app assignments');
      }
    }
    return out;
  },
};
