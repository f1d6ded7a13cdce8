// Copies of the waiting lake (status-archived-fixture.ts), built once per test file: emitting and archiving it costs
// far more than copying its folder, and each test still gets a data dir of its own to restore or dispatch in.

import { fixtureCopiesOf } from '../support/fixture-copies.ts';
import { waitingLake, type WaitingLake } from './status-archived-fixture.ts';

const copies = fixtureCopiesOf(async () => {
  const lake = await waitingLake();
  return { ...lake, dir: lake.dataDir };
});

/** A fresh copy of the waiting lake: its facts as built, with `dataDir` the copy. */
export async function waitingLakeCopy(): Promise<WaitingLake> {
  const { dir, ...facts } = await copies();
  return { ...facts, dataDir: dir };
}
