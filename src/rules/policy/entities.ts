import type { EntityRef } from '../../findings/types.js';
import type { Loc } from '../../load/location.js';
import { grantsOf } from '../../model/grants.js';
import { accountAliases } from '../../model/targets.js';
import type { Validity } from '../../model/types.js';
import {
  assignmentEntity,
  applicationName,
  assignmentName,
  declaredGroups,
  fallbackLoc,
  permissionSetNameLoc,
} from '../shared.js';
import type { RuleContext } from '../types.js';
import type { PolicyTarget } from './types.js';

/** One thing a policy is checked on: its data (the documented shape), where it is, and what it is. */
export interface PolicyEntity {
  data: unknown;
  at: Loc;
  ref: EntityRef;
  /** The data is the document as written at `at`, so a failing property has a line of its own. */
  written: boolean;
  /** The properties IDC001 rejects, left out of `data`: a policy that needs one of them says nothing more. */
  rejected?: ReadonlySet<string>;
}

/**
 * A declared entity as a policy sees it: as written, without the properties that break its schema (IDC001
 * reports those), so the policy still checks the rest. One that breaks it as a whole is left out.
 */
function writtenEntity(
  d: Validity & { written: Readonly<Record<string, unknown>>; at: Loc },
  ref: EntityRef,
): PolicyEntity[] {
  if (!d.invalid) return [{ data: d.written, at: d.at, ref, written: true }];
  if (d.invalidParts.has('')) return [];
  const rejected = new Set([...d.invalidParts].map((part) => part.split('/')[0]));
  const data = Object.fromEntries(Object.entries(d.written).filter(([k]) => !rejected.has(k)));
  return [{ data, at: d.at, ref, written: true, rejected }];
}

/** The entities of a target. */
export function entitiesOf(target: PolicyTarget, ctx: RuleContext): PolicyEntity[] {
  const { model, lookup } = ctx;
  switch (target) {
    case 'permissionSet':
      return model.permissionSets.flatMap((p) => writtenEntity(p, { kind: 'permissionSet', name: p.name }));
    case 'group':
      return model.groups.flatMap((g) => writtenEntity(g, { kind: 'group', name: g.name }));
    case 'application':
      return model.applications.flatMap((a) =>
        writtenEntity(a, { kind: 'application', name: applicationName(a) }),
      );
    case 'user':
      return model.users.flatMap((u, i) =>
        writtenEntity(u, { kind: 'user', name: u.userName ?? `users[${i}]` }),
      );
    case 'assignment':
      // An unresolved OU or tag target is judged as the worst it could be: once per declared account.
      return grantsOf(model, ctx.organization, { possible: true }).map((g) => ({
        data: {
          principalType: g.principalType,
          principal: g.principal,
          permissionSet: g.permissionSet,
          account: g.accountId,
          ...(g.accountAlias !== undefined ? { accountAlias: g.accountAlias } : {}),
          ...(g.via !== undefined ? { via: g.via } : {}),
          resolved: g.resolved ?? true,
        },
        at: g.at!,
        ref: assignmentEntity(g.principalType, g.principal, g.permissionSet, g.accountId),
        written: false,
      }));
    case 'mapping':
      return model.mappingSets
        .filter((set) => !set.invalid)
        .flatMap((set) =>
          (set.mappings ?? []).map((m) => ({
            data: withoutUndefined({
              idp: set.idp,
              object: set.object,
              origin: set.origin,
              file: set.file,
              target: m.target,
              kind: m.kind,
              source: m.sourceText,
              inputs: m.inputs,
              constant: m.constant,
              mayBeEmpty: m.mayBeEmpty ?? false,
              onlyOnCreate: m.onlyOnCreate ?? false,
              matchingPriority: m.matchingPriority,
            }),
            at: m.at,
            ref: { kind: 'mapping', name: `${set.object}:${m.target}` },
            written: false,
          })),
        );
    case 'liveGroup': {
      if (!lookup) return [];
      const declared = declaredGroups(model);
      const fallback = fallbackLoc(model);
      return lookup.live.groups.map((g) => {
        const decl = declared.get(g.displayName.toLowerCase());
        const members = g.memberUserIds?.map((id) => lookup.userById.get(id)?.userName ?? id);
        return {
          data: withoutUndefined({
            groupId: g.groupId,
            displayName: g.displayName,
            description: g.description,
            externalIds: g.externalIds,
            provisioned: g.externalIds.length > 0,
            declared: decl !== undefined,
            members,
          }),
          at: decl?.at ?? fallback,
          ref: { kind: 'group', name: g.displayName },
          written: false,
        };
      });
    }
    case 'liveAssignment': {
      if (!lookup) return [];
      const fallback = fallbackLoc(model);
      const aliasOf = accountAliases(model);
      return lookup.live.assignments.map((a) => {
        const principalType = a.principalType === 'GROUP' ? 'group' : 'user';
        const principal =
          principalType === 'group'
            ? lookup.groupById.get(a.principalId)?.displayName
            : lookup.userById.get(a.principalId)?.userName;
        const permissionSet = lookup.permissionSetName(a.permissionSetArn);
        return {
          data: withoutUndefined({
            principalType,
            principalId: a.principalId,
            principal,
            permissionSet,
            permissionSetArn: a.permissionSetArn,
            account: a.accountId,
            accountAlias: aliasOf.get(a.accountId),
          }),
          at: (permissionSet ? permissionSetNameLoc(model, permissionSet) : undefined) ?? fallback,
          ref: {
            kind: 'liveAssignment',
            name: assignmentName(
              principalType,
              principal ?? a.principalId,
              permissionSet ?? a.permissionSetArn,
              a.accountId,
            ),
          },
          written: false,
        };
      });
    }
  }
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
