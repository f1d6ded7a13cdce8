// Storage classes and restore states shared by the index and the archive tier (S3's own vocabulary).

/** S3 storage classes eventlake uses: hot, Glacier Flexible Retrieval, Glacier Deep Archive. */
export type StorageClass = 'STANDARD' | 'GLACIER' | 'DEEP_ARCHIVE';

/** Restore state of an archived object: none requested, in progress, or a readable temporary copy exists. */
export type RestoreState = 'NONE' | 'RESTORING' | 'RESTORED';

/** S3 restore retrieval tiers. */
export type RestoreTier = 'Expedited' | 'Standard' | 'Bulk';

/** Where one object sits in the storage tiers. */
export interface ObjectStorage {
  readonly key: string;
  readonly storageClass: StorageClass;
  readonly restore: RestoreState;
  /** Epoch ms when a restored copy expires. */
  readonly restoreExpiresAt?: number;
}

/** True when the object's bytes can be read now. */
export function isReadable(o: Pick<ObjectStorage, 'storageClass' | 'restore'>): boolean {
  return o.storageClass === 'STANDARD' || o.restore === 'RESTORED';
}
