import type { Rule } from './types.js';

/** IDC001: the loader and the schemas find these; the rule only hands them on, so config and suppressions apply. */
export const rule: Rule = {
  id: 'IDC001',
  check: (ctx) => ctx.loadProblems,
};
