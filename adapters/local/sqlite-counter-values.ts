// Counters read back from projections.db as whole cents, or a StorageError saying which one is not and what to do.
//
// Why a check on read: versions before rules' changes were checked (domain/projection-changes-check.ts) stored what a
// JavaScript rule returned, so a delta of 1.5 left a REAL in `counters.value`; every later read of that projection
// failed with a bare "Cannot mix BigInt and other types" far from its cause.

import { StorageError } from '../../domain/errors.ts';

/** `value` as read from counter `key` of `projection` generation `generation`; StorageError unless whole cents. */
export function wholeCents(projection: string, generation: number, key: string, value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  throw new StorageError(
    `projections.db: counter ${JSON.stringify(key)} of projection ${projection} (generation ${generation}) holds ` +
    `${String(value)}, not whole cents (a rule of a version before rules' changes were checked returned a non-bigint ` +
    `delta): fix the rule to return bigint cents, then rebuild the projection (\`eventlake rebuild ${projection} --from 0\`)`,
  );
}

/** The rows of the counters statement (key, value) as a map of whole cents. */
export function countersOf(projection: string, generation: number, rows: readonly (readonly [string, unknown])[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [key, value] of rows) out.set(key, wholeCents(projection, generation, key, value));
  return out;
}
