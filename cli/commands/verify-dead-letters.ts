// `eventlake verify --against log`: a mismatch that dead letters of the projection explain says so. Events dispatch
// dead-lettered (a counter out of range, a rule's error) are in the log's fold and not in the live projection, so
// the report showed differences with no word of why.

import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';
import type { FollowUp } from '../follow-up.ts';

/** The dead letters of a failed verification's projection: how many, the accounts they touch, and the note told. */
export interface DeadLetterNote {
  readonly events: number;
  /** The accounts the dead-lettered events touch that differ; every one they touch when none differs. */
  readonly accounts: readonly string[];
  readonly note: string;
}

/**
 * The note for `report`, or undefined when it passed, was not against the log, or the projection has no dead letters
 * (and on AWS, whose dead letters sit in SQS queues this store cannot list). Only a note: the verification still fails.
 *
 * @example
 * const note = await deadLetterNote(runtime, report, followUp(opts)); // { events: 1, accounts: ['DE44…'], note: '1 event(s) …' }
 */
export async function deadLetterNote(
  runtime: { readonly deadLetters: Pick<DeadLetterStore, 'list'>; readonly index: Pick<EventIndex, 'get'> },
  report: VerifyReport,
  next: FollowUp,
): Promise<DeadLetterNote | undefined> {
  if (report.passed || report.against !== 'log') return undefined;
  const letters = await runtime.deadLetters.list(report.projection).catch((error: unknown) => {
    if (error instanceof UnsupportedOnTargetError) return [];
    throw error;
  });
  if (letters.length === 0) return undefined;
  const touched = new Set<string>();
  for (const letter of letters) for (const account of (await runtime.index.get(letter.id))?.accounts ?? []) touched.add(account);
  const differing = new Set(report.differences.map((d) => d.account));
  const explained = [...touched].filter((a) => differing.has(a)).sort();
  const accounts = explained.length > 0 ? explained : [...touched].sort();
  const list = next('dlq', 'list', '--projection', report.projection);
  const why = explained.length > 0 ? `they explain differences on accounts ${accounts.join(', ')}` : `they touch accounts ${accounts.join(', ') || '(none indexed)'}, none of which differs`;
  return { events: letters.length, accounts, note: `${letters.length} event(s) of this projection are dead-lettered (${list}); ${why}` };
}
