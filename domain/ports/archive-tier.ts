// Port: the archive tier (S3 Glacier / Deep Archive in AWS, a simulated tier locally): transitions and restores.

import type { ObjectStorage, RestoreTier, StorageClass } from './storage.ts';

/** When objects move to colder classes, in days after their newest event. */
export interface LifecyclePolicy {
  readonly glacierAfterDays: number;
  readonly deepArchiveAfterDays: number;
}

/** The original lab's policy: Glacier after 14 days, Deep Archive after 105. */
export const DEFAULT_LIFECYCLE: LifecyclePolicy = { glacierAfterDays: 14, deepArchiveAfterDays: 105 };

/** The class an object of this age belongs in under the policy. */
export function lifecycleClass(policy: LifecyclePolicy, ageDays: number): StorageClass {
  if (ageDays >= policy.deepArchiveAfterDays) return 'DEEP_ARCHIVE';
  if (ageDays >= policy.glacierAfterDays) return 'GLACIER';
  return 'STANDARD';
}

export interface RestoreRequest {
  readonly tier: RestoreTier;
  /** How long the restored copy stays readable. */
  readonly days: number;
}

/**
 * Moves objects between storage classes and restores archived ones (asynchronously, as S3 does).
 *
 * @example
 * await archive.restore([key], { tier: 'Bulk', days: 2 }); // RESTORING, later RESTORED
 * const [state] = await archive.storage([key]);
 */
export interface ArchiveTier {
  storage(keys: readonly string[]): Promise<ObjectStorage[]>;
  /** Move an object to a colder class (what a lifecycle rule does). */
  transition(key: string, storageClass: StorageClass): Promise<void>;
  /** Start restores. Throws `RestoreRequestError` for a tier the class does not offer (Expedited from Deep Archive). */
  restore(keys: readonly string[], request: RestoreRequest): Promise<void>;
}
