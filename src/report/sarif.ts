import type { Report } from '../findings/report.js';
import {
  decidesVerdict,
  SEVERITY_RANK,
  type Finding,
  type Notice,
  type Severity,
} from '../findings/types.js';
import { securitySeverityOf, type RuleMeta } from '../rules/types.js';
import { escapeText } from './escape.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

/**
 * GitHub code scanning rejects a SARIF run with more results than this ("Results per run: 25,000"; of those
 * it shows the top 5,000 by severity):
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 */
export const MAX_SARIF_RESULTS = 25_000;

export interface SarifOptions {
  version: string;
  rules: RuleMeta[];
  /** Prefix that makes a finding's file relative to the repository root (when --root is a subfolder). */
  pathPrefix: string;
  /**
   * The run's `automationDetails.id`, whose part before the last `/` is the analysis category
   * (sarifAutomationId); without it the run has none.
   */
  automationId?: string;
  /**
   * The repository on the web and the commit its policies were read at: a team policy without a `helpUri`
   * links to its file there. Without it, such a policy has no helpUri.
   */
  repository?: { url: string; commit: string };
  /** At most this many results (MAX_SARIF_RESULTS; a test may give less). */
  maxResults?: number;
}

export interface SarifOutput {
  /** The SARIF log, as JSON text. */
  text: string;
  /** Set when results were left out to stay within maxResults: for the CLI and the Action to show. */
  notice?: Notice;
}

/**
 * The run's category and run ID for code scanning: `idc-guard/<path>/<mode>/`, `<path>` the checked folder
 * relative to the repository root (left out at the root), so two checks of one repository (two folders, or
 * the pull request check and the nightly drift job) never replace each other's alerts. GitHub reads the id
 * as `category/run-id`, everything before the last `/` being the category; the empty run ID after it is
 * allowed: https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#runautomationdetails-object
 * `category`, when given, is the category instead (the Action's `sarif-category`): upload-sarif's own
 * `category` input fills only a run that has no automationDetails, so a SARIF file with one keeps its own.
 */
export function sarifAutomationId(pathPrefix: string, mode: string, category?: string): string {
  if (category) return category.endsWith('/') ? category : `${category}/`;
  return `idc-guard/${pathPrefix}${mode}/`;
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
 * The results code scanning gets: at most `max`, the most severe kept (by level, then by the rule's
 * security-severity), in report order; and how many were left out.
 */
function boundResults(
  findings: Finding[],
  max: number,
  rules: ReadonlyMap<string, RuleMeta>,
): { kept: Finding[]; cut: number } {
  if (findings.length <= max) return { kept: findings, cut: 0 };
  const weight = (f: Finding) => {
    const rule = rules.get(f.ruleId);
    return SEVERITY_RANK[f.severity] * 100 + (rule ? securitySeverityOf(rule) : 0);
  };
  const order = findings.map((f, i) => ({ f, i, w: weight(f) }));
  order.sort((a, b) => b.w - a.w || a.i - b.i);
  const keep = new Set(order.slice(0, max).map((o) => o.f));
  return { kept: findings.filter((f) => keep.has(f)), cut: findings.length - max };
}

/** A team policy's file at the commit it was read at, at its line, when the repository is known. */
function policyUri(rule: RuleMeta, options: SarifOptions): string | undefined {
  if (!rule.source || !options.repository) return undefined;
  const { url, commit } = options.repository;
  const line = rule.sourceLine ? `#L${rule.sourceLine}` : '';
  return `${url}/blob/${encodeURIComponent(commit)}/${uriPath(options.pathPrefix + rule.source)}${line}`;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help, security-severity and tags, results with
 * stable partial fingerprints, at most MAX_SARIF_RESULTS of them.
 */
export function renderSarif(report: Report, options: SarifOptions): SarifOutput {
  const ruleIndex = new Map(options.rules.map((r, i) => [r.id, i]));
  const rulesById = new Map(options.rules.map((r) => [r.id, r]));
  const max = options.maxResults ?? MAX_SARIF_RESULTS;
  // Code scanning ignores SARIF `suppressions` and would open alerts for them, so suppressed findings
  // stay out (decidesVerdict is false for them), and no result carries `suppressions`.
  // On a pull request, only what decides the verdict (fail-on-scope): code scanning shows it as new or
  // unchanged; a pending change, or what the base has with `introduced`, is no alert of this PR.
  const { kept, cut } = boundResults(
    report.findings.filter((f) => decidesVerdict(f, report.pullRequest?.failOnScope)),
    max,
    rulesById,
  );
  const total = kept.length + cut;
  const cutText =
    `${cut} of ${total} results are not in the SARIF file: GitHub code scanning accepts at most ${max} ` +
    'in a run, so the most severe are kept; the JSON report has them all';
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
            rules: options.rules.map((r) => {
              const helpUri = r.helpUri || policyUri(r, options);
              return {
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
                ...(helpUri ? { helpUri } : {}),
                defaultConfiguration: { level: LEVEL[r.severity] },
                // Every rule is about who gets which access, so every one is a security rule: the tag
                // `security` and a security-severity, a string as GitHub's docs show it
                // (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object).
                properties: {
                  tags: ['security', 'iam-identity-center', r.scope],
                  'security-severity': securitySeverityOf(r).toFixed(1),
                },
              };
            }),
          },
        },
        ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
        // When results are cut, the run says so the way SARIF has for what the tool itself reports.
        ...(cut > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [
                    {
                      descriptor: { id: 'idc-guard/sarif-results-cut' },
                      level: 'warning',
                      message: { text: cutText },
                    },
                  ],
                },
              ],
              properties: { resultsCut: cut, resultsTotal: total },
            }
          : {}),
        results: kept.map((f) => ({
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
  return {
    text: `${JSON.stringify(sarif, null, 2)}\n`,
    ...(cut > 0 ? { notice: { message: cutText } } : {}),
  };
}
