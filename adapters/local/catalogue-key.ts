// The identity catalogue's key of an event (its identity under its hour) and how its parts are read back.

/**
 * The catalogue's key of an event: its identity under its hour. Why the hour first: identities are random, so keyed by
 * identity alone every batch would dirty a B-tree page per event (a commit of 1,000 events writing megabytes of WAL
 * once the log is large); keyed by hour, a batch touches the few pages of its hours. A repeat in the same hour is a
 * duplicate or a conflict; a RequestId reused in another hour is found, under the same lock, in index.db (which keeps
 * identities by id anyway) and among the catalogue's rows not indexed yet (`UnindexedIdentities`), since emit's look in
 * index.db before the lock let two such emits both store. (An index of the catalogue by identity alone did that too,
 * but undid the hour-first keying: ≈ 20 KiB written and twice the CPU per v4 event at 1M identities.)
 */
export function catalogueKey(id: string, eventTimeStamp: number): string {
  return `${String(Math.floor(eventTimeStamp / 3600)).padStart(8, '0')}/${id}`;
}

/** The identity of a catalogue key. */
export const idOfKey = (key: string): string => key.slice(key.indexOf('/') + 1);

/** The hour (epoch seconds of its start) of a catalogue key. */
export const hourOfKey = (key: string): number => Number(key.slice(0, key.indexOf('/'))) * 3600;
