import type { RawFinding } from '../findings/types.js';
import { isKnownLoc, type Loc } from '../load/location.js';
import { isPartInvalid } from '../model/values.js';
import type { DeclaredModel } from '../model/types.js';
import { indexOf, SuggestionBudget } from '../util/suggest.js';
import { quote } from '../util/text.js';
import { defineRule } from './types.js';

/** The loader and the schemas find these; the rule hands them on, so config and suppressions apply. */
export const rule = defineRule({ id: 'IDC001' }, (ctx, finding) => [
  ...withNearNames(ctx.loadProblems, ctx.model),
  // The one schema check across documents: a repository describes one Identity Center instance.
  ...ctx.model.instances
    .slice(1)
    .map((extra) =>
      finding(
        extra.at,
        { kind: 'instance', name: 'IdentityCenter' },
        `a second IdentityCenter document: a repository describes one instance (the first is in ` +
          `${ctx.model.instances[0].at.file}); merge them`,
        { detail: `${extra.at.file}#${(extra.at as { doc?: number }).doc ?? 0}` },
      ),
    ),
]);

const locKey = (at: Loc): string =>
  isKnownLoc(at) ? `${at.file}:${at.line}:${at.column}` : `${at.file}#${at.doc}#${at.path.join('/')}`;

/**
 * A permission set name an assignment gives that the schema rejects (over 32 characters, say) is not judged
 * by IDC002 as well: its IDC001 finding names the declared permission set it is closest to instead.
 */
function withNearNames(problems: RawFinding[], model: DeclaredModel): RawFinding[] {
  const rejected = new Map<string, string>();
  for (const a of model.assignments)
    if (a.permissionSet.invalid) rejected.set(locKey(a.permissionSet.at), a.permissionSet.value);
  if (rejected.size === 0) return problems;
  const declared = model.permissionSets.filter((p) => !isPartInvalid(p, 'name')).map((p) => p.name);
  const names = indexOf(declared, new SuggestionBudget());
  const known = new Set(declared);
  return problems.map((p) => {
    const name = p.ruleId === rule.id ? rejected.get(locKey(p.at)) : undefined;
    const near = name === undefined || known.has(name) ? undefined : names.closest(name);
    return near ? { ...p, message: `${p.message}; did you mean ${quote(near)}?` } : p;
  });
}
