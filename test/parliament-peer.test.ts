import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamNames } from '../src/rules/iam/iam-names.js';
import { validatePolicyDocument, type PolicyProblem } from '../src/rules/iam/validate-policy.js';
import { FIXTURES } from './helpers.js';

/**
 * parliament (duo-labs/parliament, BSD-3-Clause) as a peer suite: its own test policies and expected
 * verdicts (cases.json, extracted by extract.py), compared with idc-guard's for the findings idc-guard claims
 * (claims.json). A finding idc-guard does not claim is listed there with the reason; one that only idc-guard
 * makes (it judges identity policies, parliament any policy) is named per case.
 */
const DIR = join(FIXTURES, 'peers', 'parliament');

interface Case {
  id: string;
  file: string;
  line: number;
  policy: string;
  findingIds?: string[];
  findingCount?: number;
}
interface Claims {
  claimed: Record<string, string>;
  unclaimed: Record<string, string>;
  idcGuardOnly: Record<string, string>;
  cases: Record<string, { idcGuardOnly?: string[] }>;
}

const { source, cases } = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as {
  source: { repository: string; commit: string };
  cases: Case[];
};
const claims = JSON.parse(readFileSync(join(DIR, 'claims.json'), 'utf8')) as Claims;

/** parliament's name for an idc-guard problem, or idc-guard's own kind for one parliament does not make. */
function parliamentId(p: PolicyProblem): string {
  const kind = p.detail.replace(/^\d+:/, '').split(':')[0];
  if (kind === 'element' && /^(Not)?Principal$/.test(p.detail.split(':').pop()!)) return 'principal';
  if (kind === 'version') {
    if (p.severity !== 'warning') return 'INVALID_VERSION';
    return p.path.length === 0 ? 'NO_VERSION' : 'OLD_VERSION';
  }
  const ids: Record<string, string> = {
    sid: 'DUPLICATE_SID',
    'sid-grammar': 'INVALID_SID',
    prefix: 'UNKNOWN_PREFIX',
    action: 'UNKNOWN_ACTION',
    operator: 'UNKNOWN_OPERATOR',
    Resource: 'INVALID_ARN',
    NotResource: 'INVALID_ARN',
    admin: 'admin',
    notaction: 'notaction',
    passrole: 'passrole',
  };
  return ids[kind] ?? 'MALFORMED';
}

/** What idc-guard says of one of parliament's policies, in parliament's terms. */
function verdict(text: string): { ids: string[]; only: string[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ids: ['MALFORMED_JSON'], only: [] };
  }
  const found = validatePolicyDocument(document, { administrator: false, names: new IamNames() }).map(
    parliamentId,
  );
  const distinct = [...new Set(found)].sort();
  return {
    ids: distinct.filter((id) => id in claims.claimed),
    only: distinct.filter((id) => id in claims.idcGuardOnly),
  };
}

describe(`parliament's test policies (${source.repository} ${source.commit.slice(0, 12)})`, () => {
  it('are all accounted for: every finding they expect is claimed or listed with a reason', () => {
    expect(cases.length).toBe(48);
    const expected = new Set(cases.flatMap((c) => c.findingIds ?? []));
    expect([...expected].filter((id) => !(id in claims.claimed) && !(id in claims.unclaimed))).toEqual([]);
    expect(Object.keys(claims.claimed).filter((id) => id in claims.unclaimed)).toEqual([]);
    expect(Object.keys(claims.cases).filter((id) => !cases.some((c) => c.id === id))).toEqual([]);
  });

  it.each(cases)('$id ($file:$line)', ({ id, policy, findingIds, findingCount }) => {
    const { ids, only } = verdict(policy);
    if (findingIds) expect(ids).toEqual(findingIds.filter((f) => f in claims.claimed).sort());
    // parliament's assert counts findings of any kind there; both cases are about one Resource.
    else expect(ids.length).toBe(findingCount);
    expect(only).toEqual(claims.cases[id]?.idcGuardOnly ?? []);
  });

  it('lists the parliament checks idc-guard does not claim, each with a reason', () => {
    expect(Object.keys(claims.unclaimed).sort()).toEqual([
      'BAD_PATTERN_FOR_MFA',
      'EXCEPTION',
      'MISMATCHED_TYPE',
      'MISMATCHED_TYPE_BUT_USABLE',
      'MISMATCHED_TYPE_OPERATION_TO_NULL',
      'RESOURCE_EFFECTIVELY_STAR',
      'RESOURCE_MISMATCH',
      'RESOURCE_POLICY_PRIVILEGE_ESCALATION',
      'RESOURCE_STAR',
      'UNKNOWN_CONDITION_FOR_ACTION',
      'UNKNOWN_FEDERATION_SOURCE',
      'UNKNOWN_PRINCIPAL',
    ]);
    for (const reason of Object.values(claims.unclaimed)) expect(reason.length).toBeGreaterThan(20);
  });
});
