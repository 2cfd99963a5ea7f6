import { securitySeverityOf, type RuleMeta } from '../rules/types.js';

/** GitHub code scanning's name for a security-severity score. */
export function securityBand(score: number): string {
  if (score > 9.0) return 'critical';
  if (score >= 7.0) return 'high';
  if (score >= 4.0) return 'medium';
  return 'low';
}

const security = (r: RuleMeta) => {
  const score = securitySeverityOf(r);
  return `${score.toFixed(1)} (${securityBand(score)})`;
};

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
    'Identity Center state. The security severity is what a finding means for access, as GitHub code',
    'scanning shows it (SARIF `security-severity`: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium,',
    '0.1 to 3.9 low).',
    '',
    '| ID | Title | Default severity | Security severity | Scope |',
    '|---|---|---|---|---|',
    ...rules.map(
      (r) =>
        `| [${r.id}](#${r.id.toLowerCase()}) | ${r.title} | ${r.severity} | ${security(r)} | ${r.scope} |`,
    ),
    '',
  ];
  for (const r of rules) {
    lines.push(
      `## ${r.id}`,
      '',
      `**${r.title}** (default severity: ${r.severity}; security severity: ${security(r)}; ${r.scope})`,
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
