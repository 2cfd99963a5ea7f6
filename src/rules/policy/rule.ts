import type { ErrorObject } from 'ajv';
import type { RawFinding } from '../../findings/types.js';
import { childLoc, type Loc, type PathSegment } from '../../load/location.js';
import { finding, type Rule } from '../types.js';
import { entitiesOf } from './entities.js';
import { renderMessage } from './message.js';
import { isLiveTarget, type Policy } from './types.js';

/** Where a finding points: the innermost property that failed when the entity is written, else the entity. */
function pointAt(at: Loc, errors: ErrorObject[]): Loc {
  const error = errors.find((e) => e.instancePath !== '');
  if (!error) return at;
  const path: PathSegment[] = error.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return childLoc(at, ...path);
}

/** The policy fails for want of a property that IDC001 rejected: that property is reported once, there. */
function needsRejected(error: ErrorObject, rejected: ReadonlySet<string>): boolean {
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  return error.keyword === 'required' && error.instancePath === '' && rejected.has(String(missing));
}

/** An assignment an unresolved OU or tag target may grant says so first: the finding is the worst case. */
function mayGrant(data: unknown): string {
  const d = data as { resolved?: boolean; via?: string };
  return d?.resolved === false ? `may grant, through ${d.via}: ` : '';
}

/**
 * A policy as a rule like the others: pure, one finding per entity that matches `where` and breaks
 * `require`, at that entity's line. Live targets need the live state's groups or assignments in full.
 */
export function policyRule(policy: Policy): Rule {
  const { meta, target } = policy;
  return {
    id: meta.id,
    needs: isLiveTarget(target)
      ? target === 'liveGroup'
        ? ['groups', 'users', 'memberships']
        : ['groups', 'users', 'permissionSets', 'assignments']
      : undefined,
    // A live entity's `declared` is only known when every declaration of its kind loaded.
    needsCompleteDeclarations:
      target === 'liveGroup'
        ? ['Groups']
        : target === 'liveAssignment'
          ? ['Assignments', 'IdentityCenter']
          : undefined,
    check(ctx) {
      const out: RawFinding[] = [];
      for (const entity of entitiesOf(target, ctx)) {
        if (policy.where && !policy.where(entity.data)) continue;
        if (policy.require(entity.data)) continue;
        const errors = policy.require.errors ?? [];
        if (entity.rejected && errors.some((e) => needsRejected(e, entity.rejected!))) continue;
        out.push(
          finding(
            meta.id,
            entity.written ? pointAt(entity.at, errors) : entity.at,
            entity.ref,
            mayGrant(entity.data) + renderMessage(policy.message, entity.data, errors),
            { severity: meta.severity },
          ),
        );
      }
      return out;
    },
  };
}
