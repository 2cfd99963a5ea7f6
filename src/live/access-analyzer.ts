/**
 * IAM Access Analyzer's ValidatePolicy (read-only: it stores nothing) on the inline policies the repository
 * declares, when the runner has AWS access: AWS's own policy grammar and security checks, beside idc-guard's
 * offline ones (IDC014). Optional by nature: without access, or when it fails, one notice says the offline
 * checks alone ran; it never becomes a tool error.
 */
import {
  AccessAnalyzerClient,
  paginateValidatePolicy,
  type PathElement,
} from '@aws-sdk/client-accessanalyzer';
import type { PathSegment } from '../load/location.js';
import { isPartInvalid } from '../model/values.js';
import type { DeclaredModel } from '../model/types.js';
import { isAccessDenied } from './calls.js';
import { clientConfig } from './clients.js';
import { CallLimiter } from './rate-limit.js';

/** One Access Analyzer finding on a permission set's inline policy, at a path inside the policy document. */
export interface AnalyzerFinding {
  permissionSet: string;
  /** ERROR, SECURITY_WARNING, WARNING or SUGGESTION. */
  type: string;
  issueCode: string;
  details: string;
  path: PathSegment[];
}

export interface AnalyzerResult {
  findings: AnalyzerFinding[];
  /** Why Access Analyzer's checks did not (all) run, for one notice. */
  unavailable?: string;
  /** Calls made, by operation. */
  apiCalls: Record<string, number>;
}

/** The inline policies to validate: permission set name → the document as JSON text. */
function inlinePolicies(model: DeclaredModel): Map<string, string> {
  const policies = new Map<string, string>();
  for (const ps of model.permissionSets) {
    const policy = ps.inlinePolicy;
    if (!policy || isPartInvalid(ps, 'inlinePolicy')) continue;
    if (policy.kind === 'document') policies.set(ps.name, JSON.stringify(policy.document));
    else if (policy.text !== undefined) {
      try {
        JSON.parse(policy.text);
        policies.set(ps.name, policy.text);
      } catch {
        // Not JSON: IDC012 reports it, and Access Analyzer would only say so again.
      }
    }
  }
  return policies;
}

/** Access Analyzer's path (`Statement`, 0, `Action`) as ours; a substring stays at its string. */
function toPath(elements: PathElement[] | undefined): PathSegment[] {
  const path: PathSegment[] = [];
  for (const e of elements ?? []) {
    if (e.index !== undefined) path.push(e.index);
    else if (e.value !== undefined) path.push(e.value);
    else if (e.key !== undefined) path.push(e.key);
    else break;
  }
  return path;
}

export async function validateInlinePolicies(
  model: DeclaredModel,
  options: { region?: string; requestsPerSecond?: number },
): Promise<AnalyzerResult> {
  const policies = inlinePolicies(model);
  if (policies.size === 0) return { findings: [], apiCalls: {} };
  const limiter = new CallLimiter({ requestsPerSecond: options.requestsPerSecond ?? 20, concurrency: 4 });
  // Endpoints: AWS_ENDPOINT_URL_ACCESSANALYZER, then AWS_ENDPOINT_URL, as for the other clients.
  const client = limiter.attach(
    new AccessAnalyzerClient(clientConfig({ region: options.region })),
    'access-analyzer:',
  );
  const findings: AnalyzerFinding[] = [];
  let unavailable: string | undefined;
  try {
    await Promise.all(
      [...policies].map(([permissionSet, document]) =>
        limiter.run(async () => {
          const input = {
            policyDocument: document,
            policyType: 'IDENTITY_POLICY' as const,
            locale: 'EN' as const,
          };
          // One slot for every page of one policy; ValidatePolicy is not capped (a policy has few findings).
          for await (const page of paginateValidatePolicy({ client }, input)) {
            for (const f of page.findings ?? []) {
              findings.push({
                permissionSet,
                type: f.findingType ?? 'WARNING',
                issueCode: f.issueCode ?? 'UNKNOWN',
                details: f.findingDetails ?? '',
                path: toPath(f.locations?.[0]?.path),
              });
            }
          }
        }),
      ),
    );
  } catch (error) {
    unavailable = isAccessDenied(error)
      ? 'access-analyzer:ValidatePolicy is not allowed'
      : `ValidatePolicy failed (${whyFailed(error)})`;
  } finally {
    client.destroy();
  }
  // Findings already read stay: each is AWS's word on a policy, true whatever happened to the others.
  return { findings, unavailable, apiCalls: limiter.calls() };
}

/**
 * An SDK error in one short line. An endpoint that does not serve Access Analyzer (a local test server, a
 * proxy) answers with something the SDK cannot parse: its many-line "Deserialization error" becomes the
 * HTTP status.
 */
function whyFailed(error: unknown): string {
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const firstLine = String(e.message ?? e)
    .split('\n')[0]
    .trim();
  if (/deserialization error/i.test(firstLine) || e.name === 'SyntaxError')
    return `the endpoint did not answer as IAM Access Analyzer does${status ? `: HTTP ${status}` : ''}`;
  return `${e.name}: ${firstLine}`;
}
