import type { LiveState } from '../live/types.js';
import type { DeclaredModel } from './types.js';

/** The declarations that live rules judge when the read was scoped: only what was read. */
export function scopedModel(model: DeclaredModel, scope: NonNullable<LiveState['scope']>): DeclaredModel {
  const groups = new Set(scope.groups.map((n) => n.toLowerCase()));
  const users = new Set(scope.users.map((n) => n.toLowerCase()));
  const permissionSets = new Set(scope.permissionSets);
  const read = (p: { principalType: string; principal: { value: string } }) =>
    (p.principalType === 'group' ? groups : users).has(p.principal.value.toLowerCase());
  return {
    ...model,
    groups: model.groups.filter((g) => groups.has(g.name.toLowerCase())),
    permissionSets: model.permissionSets.filter((p) => permissionSets.has(p.name)),
    assignments: model.assignments.filter(read),
  };
}
