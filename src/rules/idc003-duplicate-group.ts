import type { RawFinding } from '../findings/types.js';
import type { Loc } from '../load/location.js';
import { quote } from '../util/text.js';
import { duplicatesIgnoringCase } from './shared.js';
import { defineRule } from './types.js';

export const rule = defineRule({ id: 'IDC003' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  const report = (name: string, firstName: string, at: Loc, firstFile: string, where: string): void => {
    const same = name === firstName ? 'is declared twice' : `differs only in case from ${quote(firstName)}`;
    out.push(
      finding(
        at,
        { kind: 'group', name: name.toLowerCase() },
        `group ${quote(name)} ${same} (first in ${firstFile})${where}; Identity Center group names are ` +
          `unique without regard to case, so the IdP's push of the second fails with 409. Keep one`,
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
});
