import { howToScope } from '../model/scim.js';
import { quote } from '../util/text.js';
import { assignedGroups } from './shared.js';
import { defineRule } from './types.js';

export const rule = defineRule({ id: 'IDC010' }, ({ model }, finding) => {
  const scoped = model.mappingSets.filter((s) => s.appGroups !== undefined);
  if (scoped.length === 0) return [];
  const inScope = new Set(scoped.flatMap((s) => s.appGroups!.map((g) => g.value.toLowerCase())));
  // Groups the IdP does not provision: made by hand, or managed elsewhere (Control Tower's own).
  const manual = new Set(
    model.groups.filter((g) => g.source === 'manual' || g.managedBy).map((g) => g.name.toLowerCase()),
  );
  const files = [...new Set(scoped.map((s) => s.file))].join(', ');
  const fix = [...new Set(scoped.map((s) => howToScope(s.idp)))].join(', or ');
  const reported = new Set<string>();
  const out = [];
  for (const group of assignedGroups(model)) {
    const name = group.value;
    const key = name.toLowerCase();
    if (inScope.has(key) || manual.has(key) || reported.has(key)) continue;
    reported.add(key);
    out.push(
      finding(
        group.at,
        { kind: 'group', name },
        `group ${quote(name)} is assigned here but is not assigned to the IdP app (${files}), so it is ` +
          `never provisioned and this assignment grants nothing; ${fix}, or mark it source: manual`,
      ),
    );
  }
  return out;
});
