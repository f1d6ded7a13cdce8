// Port: events a target failed to handle after every retry, kept with their error until redriven.

/** One dead letter: which event, for which target, why, after how many attempts. */
export interface DeadLetter {
  readonly id: string;
  readonly target: string;
  readonly error: string;
  readonly attempts: number;
  /** Epoch ms of the last failure. */
  readonly failedAt: number;
}

/**
 * Where undeliverable events wait (an SQLite table locally, an SQS queue in AWS).
 *
 * @example
 * for (const dl of await dlq.list()) console.log(dl.id, dl.error);
 */
export interface DeadLetterStore {
  add(letter: DeadLetter): Promise<void>;
  list(target?: string): Promise<DeadLetter[]>;
  remove(id: string, target: string): Promise<void>;
}
