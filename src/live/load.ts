import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Notice, ToolError } from '../findings/types.js';
import type { ApplicationDecl, DeclaredModel } from '../model/types.js';
import type { WantedApplications } from './read-context.js';
import { hasOrganizationTargets } from '../model/targets.js';
import { readLiveState } from './reader.js';
import { readSnapshot } from './snapshot.js';
import { append } from '../util/list.js';
import type { LiveState } from './types.js';

/** What live state to use, and how to read it. */
export interface LiveOptions {
  /** off, aws, auto (AWS when credentials and an instance are known), or a snapshot file's path. */
  live?: 'auto' | 'aws' | 'off' | string;
  /** How much to read: the declared principals (a PR check) or everything (drift). */
  mode?: 'check' | 'drift';
  /** Override what the declarations say of the instance (Action inputs). */
  region?: string;
  instanceArn?: string;
  identityStoreId?: string;
  /** The client-side rate limit for AWS reads (default 20 a second). */
  requestsPerSecond?: number;
  /** Read the organization's OUs and accounts even if no declaration needs them (init writes OU targets). */
  organizationStructure?: boolean;
  /**
   * A PR check: read only these groups (display names), users (userNames) and permission sets (names), and
   * their principals' assignments, instead of every declared principal (check mode only; drift
   * reads everything). `members`: the groups whose members' attributes are read (IDC104, IDC110); default
   * every group in `groups`. The state's `scope` records it, so a report can say how far the read looked.
   */
  scope?: {
    groups: string[];
    users: string[];
    permissionSets: string[];
    members?: string[];
    /** The applications the change touches (none when absent). */
    applications?: WantedApplications;
    /** Whether either side declares attributes for access control. */
    accessControlAttributes?: boolean;
  };
  /** Read what only snapshot and init use (the permission sets' tags, every provisioned account). */
  fullDetail?: boolean;
  /** Read every application in full, and the attributes for access control, declared or not (init). */
  everyApplication?: boolean;
  /** Attempts per AWS call, retries included (default 6): fewer make a fault surface (tests). */
  maxAttempts?: number;
  /** Told after every AWS request, with the calls still waiting to start, for a progress line. */
  onAwsCall?: (waiting: number) => void;
}

/** Whether the SDK's default chain is likely to find credentials, without calling AWS. */
function credentialsConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    existsSync(join(homedir(), '.aws', 'credentials')) ||
    existsSync(join(homedir(), '.aws', 'config')),
  );
}

/**
 * The live state the options ask for: none (`off`), a snapshot file, or AWS (`aws`, or `auto` when credentials
 * and an instance are known). What cannot be read becomes a tool error; rules then say they could not decide.
 */
export async function loadLiveState(
  options: LiveOptions,
  root: string,
  model: DeclaredModel | undefined,
  errors: ToolError[],
  notices: Notice[],
): Promise<LiveState | undefined> {
  const live = options.live ?? 'auto';
  if (live === 'off') return undefined;
  if (live !== 'aws' && live !== 'auto') {
    try {
      const state = readSnapshot(root, resolve(live));
      notices.push({ message: `live state from the snapshot read at ${state.readAt}` });
      for (const f of state.failures)
        errors.push({ source: 'aws', message: `${f.operation}: ${f.message} (recorded in the snapshot)` });
      return state;
    } catch (err) {
      errors.push({ source: 'usage', message: (err as Error).message });
      return undefined;
    }
  }
  const instanceArn = options.instanceArn ?? model?.instance?.instanceArn;
  if (live === 'auto' && !(credentialsConfigured(process.env) && instanceArn)) {
    notices.push({
      message:
        `live rules skipped (--live auto): ${instanceArn ? 'no AWS credentials found' : 'no instanceArn declared'}; ` +
        'use --live aws or a snapshot to run them',
    });
    return undefined;
  }
  const mode = options.mode ?? 'check';
  try {
    const state = await readLiveState({
      region: options.region ?? model?.instance?.region,
      instanceArn,
      identityStoreId: options.identityStoreId ?? model?.instance?.identityStoreId,
      mode,
      principals: model && {
        groups: [
          ...new Set([
            ...model.groups.map((g) => g.name),
            ...model.assignments.filter((a) => a.principalType === 'group').map((a) => a.principal.value),
            ...model.applications.flatMap((app) => app.groups.map((g) => g.value)),
          ]),
        ],
        users: [
          ...new Set([
            ...model.assignments.filter((a) => a.principalType === 'user').map((a) => a.principal.value),
            ...model.applications.flatMap((app) => app.users.map((u) => u.value)),
          ]),
        ],
        permissionSets: model.permissionSets.map((p) => p.name),
      },
      ...(options.scope && mode === 'check' ? { scope: options.scope } : {}),
      ...(options.everyApplication
        ? { applications: 'all' as const, accessControlAttributes: true }
        : applicationNeeds(model, options.scope && mode === 'check' ? options.scope : undefined)),
      ...(options.fullDetail ? { fullDetail: true } : {}),
      requestsPerSecond: options.requestsPerSecond,
      maxAttempts: options.maxAttempts,
      onCall: options.onAwsCall,
      organization: options.organizationStructure
        ? { structure: true, tags: false }
        : organizationNeeds(model),
    });
    const optionalNotices: Notice[] = [];
    // Without OU, tag or root targets the organization serves IDC112 alone: not reading it is no tool error
    // (nor a failure a snapshot keeps), and IDC112 then simply has nothing to check.
    const optional = options.organizationStructure || !organizationNeeds(model).structure;
    if (optional && state.complete.organization === false) {
      for (const f of state.failures.filter((f) => f.operation.startsWith('organizations:'))) {
        optionalNotices.push({
          message: `IDC112 (management account) not evaluated: ${f.operation}: ${f.message}`,
        });
      }
      state.failures = state.failures.filter((f) => !f.operation.startsWith('organizations:'));
      delete state.complete.organization;
      delete state.organization;
    }
    const calls = Object.values(state.apiCalls).reduce((a, b) => a + b, 0);
    const how = state.instance.discovered ? ' (the only instance, found with ListInstances)' : '';
    const what =
      mode === 'drift'
        ? 'every assignment'
        : state.scope
          ? `the principals the change touches (${scopeText(state.scope)})`
          : 'the declared principals';
    // A read that failed in part says so: the notice never claims more than was read.
    const failed = state.failures.length;
    notices.push({
      message:
        `live state ${failed ? 'partly read' : 'read'} from AWS: ${state.instance.instanceArn}${how}, ` +
        `${what}, ${calls} API calls${failed ? `; ${failed} could not be read (see the errors)` : ''}`,
    });
    append(notices, optionalNotices);
    for (const f of state.failures) errors.push({ source: 'aws', message: `${f.operation}: ${f.message}` });
    return state;
  } catch (err) {
    errors.push({ source: 'aws', message: (err as Error).message });
    return undefined;
  }
}

/**
 * What to read of AWS Organizations: always its management account (IDC112); the OUs and accounts when an
 * assignment targets OUs, tags, the root or an account by name; the accounts' tags when one targets tags.
 */
export function organizationNeeds(model: DeclaredModel | undefined): { structure: boolean; tags: boolean } {
  return {
    structure: model ? hasOrganizationTargets(model) : false,
    tags: model?.assignments.some((a) => a.targets.accountTags !== undefined) ?? false,
  };
}

/**
 * What to read of applications and attributes for access control: the declared applications and, when any
 * are declared, the attributes; for a scoped read (a PR check), what the scope names.
 */
function applicationNeeds(
  model: DeclaredModel | undefined,
  scope: LiveOptions['scope'],
): { applications?: WantedApplications; accessControlAttributes?: true } {
  const applications = scope ? scope.applications : model && wantedApplications(model.applications);
  const abac = scope ? scope.accessControlAttributes : (model?.accessControlAttributes.length ?? 0) > 0;
  const some =
    applications === 'all' || (applications && applications.names.length + applications.arns.length > 0);
  return {
    ...(some ? { applications } : {}),
    ...(abac ? { accessControlAttributes: true as const } : {}),
  };
}

/** The applications to read in full: by ARN where one is declared, else by name. */
export function wantedApplications(applications: readonly ApplicationDecl[]): {
  names: string[];
  arns: string[];
} {
  const arns = applications.flatMap((a) => (a.arn && !a.arn.invalid ? [a.arn.value] : []));
  const names = applications.flatMap((a) => (!a.arn && a.name ? [a.name.value] : []));
  return { names: [...new Set(names)].sort(), arns: [...new Set(arns)].sort() };
}

/** "2 groups, 1 user, 3 permission sets": how far a scoped read looked. */
export function scopeText(scope: NonNullable<LiveState['scope']>): string {
  const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
  return `${n(scope.groups.length, 'group')}, ${n(scope.users.length, 'user')}, ${n(scope.permissionSets.length, 'permission set')}`;
}
