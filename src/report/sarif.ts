import type { Report } from '../findings/report.js';
import { decidesVerdict, type Severity } from '../findings/types.js';
import type { RuleMeta } from '../rules/types.js';
import { escapeText } from './escape.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

export interface SarifOptions {
  version: string;
  rules: RuleMeta[];
  /** Prefix that makes a finding's file relative to the repository root (when --root is a subfolder). */
  pathPrefix: string;
}

/**
 * A relative path as an RFC 3986 URI reference: each segment percent-encoded, `/` kept. encodeURI kept `#`
 * and `?`, which end a URI's path, so `a#b.yaml` pointed at `a`; and a `:` in the first segment reads as a
 * scheme.
 */
export function uriPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help, results with stable partial fingerprints.
 */
export function renderSarif(report: Report, options: SarifOptions): string {
  const ruleIndex = new Map(options.rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'idc-guard',
            version: options.version,
            informationUri: 'https://github.com/idc-guard/idc-guard',
            rules: options.rules.map((r) => ({
              id: r.id,
              name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
                c ? c.toUpperCase() : '',
              ),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description.trim() },
              help: {
                text: `${r.description.trim()}\n\nFix: ${r.remediation.trim()}`,
                markdown: `${r.description.trim()}\n\n**Fix:** ${r.remediation.trim()}`,
              },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['iam-identity-center', r.scope] },
            })),
          },
        },
        // Code scanning ignores SARIF `suppressions` and would open alerts for them, so suppressed findings
        // stay out (decidesVerdict is false for them), and no result carries `suppressions`.
        // On a pull request, only what decides the verdict (fail-on-scope): code scanning shows it as new or
        // unchanged; a pending change, or what the base has with `introduced`, is no alert of this PR.
        results: report.findings
          .filter((f) => decidesVerdict(f, report.pullRequest?.failOnScope))
          .map((f) => ({
            ruleId: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
            level: LEVEL[f.severity],
            message: { text: escapeText(f.message) },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uriPath(options.pathPrefix + f.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: f.line, startColumn: f.column },
                },
              },
            ],
            partialFingerprints: { 'idcGuardFingerprint/v1': f.fingerprint },
            ...(f.scope ? { baselineState: f.scope === 'introduced' ? 'new' : 'unchanged' } : {}),
          })),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
