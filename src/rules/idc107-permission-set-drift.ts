import type { RawFinding } from '../findings/types.js';
import { childLoc } from '../load/location.js';
import type { LivePermissionSet } from '../live/types.js';
import { isPartInvalid } from '../model/values.js';
import type { PermissionSetDecl } from '../model/types.js';
import { quote } from '../util/text.js';
import { sessionDurationMinutes } from '../validate/schemas.js';
import { defineLiveRule } from './types.js';

/** JSON with keys sorted, so two policies that differ only in key order or spacing compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function parsedPolicy(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return canonical(JSON.parse(text));
  } catch {
    return text;
  }
}

const sorted = (values: string[]): string => [...values].sort().join(', ') || '(none)';

/** The fields that differ between a declared permission set and its live version (IDC001's aside). */
function differences(
  decl: PermissionSetDecl,
  live: LivePermissionSet,
): { field: string; declared: string; live: string }[] {
  const out: { field: string; declared: string; live: string }[] = [];
  const compare = (field: string, declared: string, actual: string): void => {
    if (declared !== actual && !isPartInvalid(decl, field)) out.push({ field, declared, live: actual });
  };
  // Identity Center's default session is one hour.
  const minutes = (d: string | undefined): string => String(sessionDurationMinutes(d ?? 'PT1H') ?? d);
  if (minutes(decl.sessionDuration) !== minutes(live.sessionDuration))
    compare('sessionDuration', decl.sessionDuration ?? 'PT1H (default)', live.sessionDuration ?? 'PT1H');
  compare('relayState', decl.relayState ?? '(none)', live.relayState ?? '(none)');
  compare('description', decl.description ?? '(none)', live.description ?? '(none)');
  compare('managedPolicies', sorted(decl.managedPolicies.map((p) => p.value)), sorted(live.managedPolicies));
  const ref = (r: { name: string; path: string }): string => `${r.path}${r.name}`;
  compare(
    'customerManagedPolicies',
    sorted(decl.customerManagedPolicies.map((p) => ref(p.value))),
    sorted(live.customerManagedPolicies.map(ref)),
  );
  const inline = decl.inlinePolicy;
  const declaredInline =
    inline === undefined
      ? undefined
      : inline.kind === 'document'
        ? canonical(inline.document)
        : parsedPolicy(inline.text);
  if (declaredInline !== parsedPolicy(live.inlinePolicy) && !isPartInvalid(decl, 'inlinePolicy')) {
    out.push({
      field: 'inlinePolicy',
      declared: declaredInline === undefined ? '(none)' : 'a policy',
      live: live.inlinePolicy === undefined ? '(none)' : 'a different policy',
    });
  }
  const boundary = (
    b: PermissionSetDecl['permissionsBoundary'] | LivePermissionSet['permissionsBoundary'],
  ): string =>
    b?.managedPolicyArn ??
    (b?.customerManagedPolicyReference
      ? ref({
          name: b.customerManagedPolicyReference.name,
          path: b.customerManagedPolicyReference.path ?? '/',
        })
      : '(none)');
  compare('permissionsBoundary', boundary(decl.permissionsBoundary), boundary(live.permissionsBoundary));
  return out;
}

/**
 * The definition live state is compared with: the declaration's own; none for one managed elsewhere; but on
 * a pull request that marks a permission set managed elsewhere, the base's, so that the mark cannot hide its
 * drift before a reviewer has merged it.
 */
function definitionOf(
  decl: PermissionSetDecl,
  baseDefinedInGit: ReadonlyMap<string, PermissionSetDecl> | undefined,
): PermissionSetDecl | undefined {
  return decl.managedBy ? baseDefinedInGit?.get(decl.name) : decl;
}

export const rule = defineLiveRule({ id: 'IDC107', needs: ['permissionSets'] }, (ctx, finding) => {
  const out: RawFinding[] = [];
  for (const decl of ctx.model.permissionSets) {
    // A name IDC001 rejects cannot exist live: saying so again would report it twice.
    if (isPartInvalid(decl, 'name')) continue;
    const compared = definitionOf(decl, ctx.model.baseDefinedInGit);
    if (!compared) continue;
    const entity = { kind: 'permissionSet', name: decl.name };
    // Compared with the base's definition: the finding is at the head's `managedBy`, and says why.
    const handedOver = compared !== decl;
    const because = handedOver
      ? ` (the base branch defines it in Git, so it is compared with that definition until this change, ` +
        `which marks it managedBy: ${decl.managedBy}, is merged)`
      : '';
    const actual = ctx.lookup.permissionSetByName.get(decl.name);
    if (!actual) {
      out.push(
        finding(
          childLoc(decl.at, handedOver ? 'managedBy' : 'name'),
          entity,
          `permission set ${quote(decl.name)} does not exist in Identity Center: apply the declaration ` +
            `(its assignments cannot exist either)${because}`,
          { detail: 'missing' },
        ),
      );
      continue;
    }
    for (const d of differences(compared, actual)) {
      const declaredHere = (decl as unknown as Record<string, unknown>)[d.field] !== undefined;
      const field = handedOver ? 'managedBy' : declaredHere ? d.field : 'name';
      out.push(
        finding(
          childLoc(decl.at, field),
          entity,
          `permission set ${quote(decl.name)}: ${d.field} is ${quote(d.live, 200)} in Identity Center ` +
            `but ${quote(d.declared, 200)} here; apply the declaration and re-provision, or update it to ` +
            `match${because}`,
          { detail: d.field },
        ),
      );
    }
  }
  return out;
});
