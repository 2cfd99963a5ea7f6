import type { RuleMeta } from '../rules/types.js';

/**
 * docs/rules.md, generated from the catalogue in policies/builtin/ (`npm run docs`); a test keeps it fresh.
 */
export function renderRulesDoc(rules: RuleMeta[]): string {
  const lines = [
    '# idc-guard rules',
    '',
    '<!-- Generated from policies/builtin/*.yaml by `npm run docs`. Do not edit by hand. -->',
    '',
    'Rule IDs are stable: use them in `.idc-guard.yml` (`rules:`) and in suppressions',
    '(`# idc-guard-ignore IDC103 -- reason`). Static rules need only the repository; live rules need',
    'Identity Center state.',
    '',
    '| ID | Title | Default severity | Scope |',
    '|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.title} | ${r.severity} | ${r.scope} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(
      `## ${r.id}`,
      '',
      `**${r.title}** (default severity: ${r.severity}; ${r.scope})`,
      '',
      r.description.trim(),
      '',
      `**Fix:** ${r.remediation.trim()}`,
      '',
      ...(r.references?.length
        ? [`**Sources:** ${r.references.map((s) => `[${s.title}](${s.url})`).join('; ')}`, '']
        : []),
    );
  }
  return lines.join('\n');
}
