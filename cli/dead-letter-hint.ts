// The CLI's words for dead letters: the line emit and serve print when the catch-up they ran dead-lettered events,
// and the watch that finds those letters in the dead-letter store.

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import type { DeadLetter } from '../domain/ports/dead-letter-store.ts';
import { followUp, type FollowUp } from './follow-up.ts';

/** Characters of a dead letter's error shown in a line: a rule's error may carry a whole payload or stack. */
const ERROR_SHOWN = 200;

/** The newest error of `letters`, on one line and cut to ERROR_SHOWN characters. */
export function lastError(letters: readonly DeadLetter[]): string {
  const newest = letters.reduce((a, b) => (b.failedAt > a.failedAt ? b : a));
  const text = newest.error.replace(/\s+/g, ' ').trim();
  return text.length > ERROR_SHOWN ? `${text.slice(0, ERROR_SHOWN)}…` : text;
}

/**
 * One stderr line naming, per projection, how many events were dead-lettered and the last error, then the `dlq list`
 * to run, with the running command's global options (`command`); `undefined` for none.
 *
 * @example
 * deadLetteredLine(letters, followUp(opts)); // 'eventlake: 1 event(s) dead-lettered on balances (last error: Error: rule broke): eventlake --data-dir /srv/lake dlq list\n'
 */
export function deadLetteredLine(letters: readonly DeadLetter[], command: FollowUp = followUp()): string | undefined {
  if (letters.length === 0) return undefined;
  const byTarget = new Map<string, DeadLetter[]>();
  for (const l of letters) {
    const group = byTarget.get(l.target);
    if (group) group.push(l);
    else byTarget.set(l.target, [l]);
  }
  const parts = [...byTarget].map(([target, ls]) => `${ls.length} event(s) dead-lettered on ${target} (last error: ${lastError(ls)})`);
  return `eventlake: ${parts.join(', ')}: ${command('dlq', 'list')}\n`;
}

type Watched = Pick<LocalEventlake, 'target' | 'deadLetters' | 'dispatchedPosition'>;

/**
 * The dead letters added to the store after `start` (then after each `added`). Why a diff of the store: a catch-up
 * run by an emit or a read reports its dead letters to no one, and the emit must still succeed (its events are stored).
 * Never throws: a store it cannot read means nothing to report, not a failed emit. Local targets only (on AWS dead
 * letters are SQS messages, and the Lambdas, not the CLI, dispatch).
 */
export class DeadLetterWatch {
  private constructor(private readonly local: Watched, private position: number, private seen: Map<string, number>) {}

  static async start(local: Watched): Promise<DeadLetterWatch | undefined> {
    if (local.target !== 'local') return undefined;
    try {
      return new DeadLetterWatch(local, await local.dispatchedPosition(), keyed(await local.deadLetters.list()));
    } catch {
      return undefined;
    }
  }

  async added(): Promise<DeadLetter[]> {
    try {
      const position = await this.local.dispatchedPosition();
      // Only a dispatch adds dead letters, and it moves the checkpoint past them: no move, no store read.
      if (position === this.position) return [];
      this.position = position;
      const letters = await this.local.deadLetters.list();
      const added = letters.filter((l) => this.seen.get(keyOf(l)) !== l.failedAt);
      this.seen = keyed(letters);
      return added;
    } catch {
      return [];
    }
  }
}

const keyOf = (l: DeadLetter): string => `${l.target}\u0000${l.id}`;
const keyed = (letters: readonly DeadLetter[]): Map<string, number> => new Map(letters.map((l) => [keyOf(l), l.failedAt]));
