// Port: named positions that tails and rebuilds resume from.

/**
 * Durable named checkpoints (a dispatch tail's position, say).
 *
 * @example
 * const from = await checkpoints.get('dispatch'); // 0 when never set
 * await checkpoints.set('dispatch', page.next);
 */
export interface CheckpointStore {
  get(name: string): Promise<number>;
  set(name: string, position: number): Promise<void>;
}
