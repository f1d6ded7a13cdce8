// How the local dispatcher tells a failed delivery: the error's words for a dead letter, and a disk failure at once.

import { EventlakeError, StorageFullError } from '../../domain/errors.ts';
import { asStorageFull, isDiskFailure } from './storage-full.ts';

/** `CODE: message` for eventlake errors, `Name: message` otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof EventlakeError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Throws `StorageFullError` when `error` is a full or failing disk under projection `target`'s store. Why at once: a
 * full disk fails every event alike, so retrying each one (5 attempts with backoff, a 2,000-event batch, every
 * projection) held dispatch, and every emit and read waiting for it, for hours, and then dead-lettered events that
 * were never at fault.
 */
export function throwIfDiskFailure(error: unknown, target: string, events: number): void {
  if (!(error instanceof StorageFullError) && !isDiskFailure(error)) return;
  throw asStorageFull(error, `applying ${events} event(s) to projection ${target}`, `projection ${target}'s store`,
    'the events stay stored and are dispatched again from the dispatch checkpoint');
}
