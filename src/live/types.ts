import type { LiveSnapshot } from './snapshot-types.js';

/* The snapshot's shapes are generated from schemas/snapshot.schema.json (scripts/generate-snapshot-types.js). */
export type {
  ExternalId,
  LiveAccessControlAttributes,
  LiveAccount,
  LiveApplication,
  LiveApplicationAssignment,
  LiveAssignment,
  LiveGroup,
  LiveOrganization,
  LivePermissionSet,
  LiveUser,
} from './snapshot-types.js';

/**
 * The live Identity Center state, as read from AWS or from a snapshot file (`idc-guard snapshot`).
 * Live rules read only this: they never call AWS themselves. A snapshot file may leave out `failures` and
 * `apiCalls`; the reader of either source always fills them in.
 */
export interface LiveState extends LiveSnapshot {
  failures: NonNullable<LiveSnapshot['failures']>;
  apiCalls: NonNullable<LiveSnapshot['apiCalls']>;
}
