import { finding, type Rule } from './types.js';

/** IDC001: the loader and the schemas find these; the rule only hands them on, so config and suppressions apply. */
export const rule: Rule = {
  id: 'IDC001',
  check: (ctx) => [
    ...ctx.loadProblems,
    // The one schema check across documents: a repository describes one Identity Center instance.
    ...ctx.model.instances
      .slice(1)
      .map((extra) =>
        finding(
          'IDC001',
          extra.at,
          { kind: 'instance', name: 'IdentityCenter' },
          `a second IdentityCenter document: a repository describes one instance (the first is in ${ctx.model.instances[0].at.file}); merge them`,
          { detail: `${extra.at.file}#${(extra.at as { doc?: number }).doc ?? 0}` },
        ),
      ),
  ],
};
