import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import { CONTROL_TOWER_GROUPS, CONTROL_TOWER_PERMISSION_SETS } from '../model/managed.js';
import { quote } from '../util/text.js';
import { defineRule } from './types.js';

/** The reserved name a declared name collides with (Identity Center compares names without case), if any. */
function reserved(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('awscontroltower')) return 'AWSControlTower*';
  return names.find((n) => n.toLowerCase() === lower);
}

export const rule = defineRule({ id: 'IDC013' }, ({ model }, finding) => {
  const out: RawFinding[] = [];
  const message = (what: string, name: string, collides: string) =>
    `${what} ${quote(name)} takes a name AWS Control Tower creates and manages (${collides}): where ` +
    `Control Tower is set up, Identity Center already has it, so this one cannot be created, or Control ` +
    `Tower overwrites it; choose another name, or declare it managedBy: controltower if it is Control ` +
    `Tower's own`;
  const declared = [
    ...model.permissionSets.map((d) => ({
      d,
      kind: 'permissionSet',
      what: 'permission set',
      names: CONTROL_TOWER_PERMISSION_SETS,
    })),
    ...model.groups.map((d) => ({ d, kind: 'group', what: 'group', names: CONTROL_TOWER_GROUPS })),
  ];
  for (const { d, kind, what, names } of declared) {
    // Declared as Control Tower's own (or another manager's), on purpose: the name is meant to be taken.
    if (d.managedBy) continue;
    const collides = reserved(d.name, names);
    if (collides)
      out.push(finding(childLoc(d.at, 'name'), { kind, name: d.name }, message(what, d.name, collides)));
  }
  return out;
});
