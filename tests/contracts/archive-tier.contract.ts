// Contract suite of the ArchiveTier port: every adapter (FsArchiveTier, S3ArchiveTier) must pass it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ArchivedEventError, EventNotFoundError, InvalidArgumentError, RestoreRequestError } from '../../domain/errors.ts';
import type { ArchiveTier } from '../../domain/ports/archive-tier.ts';
import { rejects } from '../support/async.ts';

const DAY_MS = 86_400_000;

/** What the contract needs around an adapter: a way to store hot objects and a clock it can move. */
export interface ArchiveTierFixture {
  readonly subject: ArchiveTier;
  /** Store a hot (STANDARD) object. */
  putObject(key: string, body: string): Promise<void>;
  /**
   * Move the subject's clock forward. Restores must not be complete before 1 ms has passed
   * and must be complete 3 days later (Deep Archive Bulk takes up to 48 h on AWS).
   */
  advance(ms: number): Promise<void>;
  /**
   * True for an adapter that, like S3, moves an archived object only from a restored copy (CopyObject reads its
   * source): moving an unrestored GLACIER object on to DEEP_ARCHIVE is then a lifecycle rule's job, and
   * `transition` refuses it with ArchivedEventError.
   */
  readonly archivedMovesNeedLifecycle?: boolean;
  cleanup?(): Promise<void>;
}

let n = 0;
const key = () => `events/year=2024/month=03/day=07/hour=09/segment-${++n}.ndjson`;

/** Runs the ArchiveTier contract against the subjects `makeSubject` builds (a fresh one per test). */
export function archiveTierContract(name: string, makeSubject: () => Promise<ArchiveTierFixture>): void {
  const test = suite<{ f: ArchiveTierFixture }>(`ArchiveTier contract: ${name}`);
  test.before.each(async (ctx) => { ctx.f = await makeSubject(); });
  test.after.each(async (ctx) => { await ctx.f.cleanup?.(); });

  const state = async (f: ArchiveTierFixture, k: string) => {
    const [s] = await f.subject.storage([k]);
    return `${s!.storageClass}/${s!.restore}`;
  };
  const archived = async (f: ArchiveTierFixture, cls: 'GLACIER' | 'DEEP_ARCHIVE') => {
    const k = key();
    await f.putObject(k, '{"a":1}\n');
    await f.subject.transition(k, cls);
    return k;
  };

  test('a stored object that was never transitioned is STANDARD with no restore', async ({ f }) => {
    const k = key();
    await f.putObject(k, 'x\n');
    assert.equal(await f.subject.storage([k]), [{ key: k, storageClass: 'STANDARD', restore: 'NONE' }]);
  });

  test('an object that does not exist is reported as not found', async ({ f }) => {
    await rejects(() => f.subject.storage([key()]), EventNotFoundError);
  });

  test('a transition moves an object to GLACIER', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    assert.is(await state(f, k), 'GLACIER/NONE');
  });

  test('an unrestored GLACIER object moves on to DEEP_ARCHIVE, or is refused unchanged where only lifecycle rules can', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    if (f.archivedMovesNeedLifecycle) {
      await rejects(() => f.subject.transition(k, 'DEEP_ARCHIVE'), ArchivedEventError);
      assert.is(await state(f, k), 'GLACIER/NONE');
    } else {
      await f.subject.transition(k, 'DEEP_ARCHIVE');
      assert.is(await state(f, k), 'DEEP_ARCHIVE/NONE');
    }
  });

  test('a restored GLACIER object moves on to DEEP_ARCHIVE', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await f.subject.restore([k], { tier: 'Standard', days: 10 });
    await f.advance(3 * DAY_MS);
    await f.subject.transition(k, 'DEEP_ARCHIVE');
    assert.is((await f.subject.storage([k]))[0]!.storageClass, 'DEEP_ARCHIVE');
  });

  test('transitioning to the class an object is already in changes nothing', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await f.subject.transition(k, 'GLACIER');
    assert.is(await state(f, k), 'GLACIER/NONE');
  });

  test('a transition to a warmer class is rejected', async ({ f }) => {
    const k = await archived(f, 'DEEP_ARCHIVE');
    await rejects(() => f.subject.transition(k, 'GLACIER'), InvalidArgumentError);
    assert.is(await state(f, k), 'DEEP_ARCHIVE/NONE');
  });

  test('a restore goes NONE -> RESTORING -> RESTORED -> NONE once its days are over', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await f.subject.restore([k], { tier: 'Bulk', days: 10 });
    assert.is(await state(f, k), 'GLACIER/RESTORING');
    await f.advance(3 * DAY_MS);
    const [s] = await f.subject.storage([k]);
    assert.is(`${s!.storageClass}/${s!.restore}`, 'GLACIER/RESTORED');
    assert.ok(s!.restoreExpiresAt !== undefined, 'a restored copy has an expiry');
    await f.advance(10 * DAY_MS);
    assert.is(await state(f, k), 'GLACIER/NONE');
  });

  test('Deep Archive has no Expedited restore, and the rejected request changes nothing', async ({ f }) => {
    const k = await archived(f, 'DEEP_ARCHIVE');
    await rejects(() => f.subject.restore([k], { tier: 'Expedited', days: 1 }), RestoreRequestError);
    assert.is(await state(f, k), 'DEEP_ARCHIVE/NONE');
  });

  test('Deep Archive restores with the Standard tier', async ({ f }) => {
    const k = await archived(f, 'DEEP_ARCHIVE');
    await f.subject.restore([k], { tier: 'Standard', days: 10 });
    await f.advance(3 * DAY_MS);
    assert.is(await state(f, k), 'DEEP_ARCHIVE/RESTORED');
  });

  test('a second restore of an object being restored is accepted', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await f.subject.restore([k], { tier: 'Bulk', days: 1 });
    await f.subject.restore([k], { tier: 'Bulk', days: 1 });
    assert.is(await state(f, k), 'GLACIER/RESTORING');
  });

  test('restoring a restored object again extends its copy', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await f.subject.restore([k], { tier: 'Standard', days: 1 });
    await f.advance(DAY_MS / 2);
    const [before] = await f.subject.storage([k]);
    await f.subject.restore([k], { tier: 'Standard', days: 5 });
    const [after] = await f.subject.storage([k]);
    assert.is(after!.restore, 'RESTORED');
    assert.ok(after!.restoreExpiresAt! > before!.restoreExpiresAt!, 'the expiry moved later');
  });

  test('a hot object cannot be restored', async ({ f }) => {
    const k = key();
    await f.putObject(k, 'x\n');
    await rejects(() => f.subject.restore([k], { tier: 'Standard', days: 1 }), RestoreRequestError);
  });

  test('a restore needs at least one day', async ({ f }) => {
    const k = await archived(f, 'GLACIER');
    await rejects(() => f.subject.restore([k], { tier: 'Standard', days: 0 }), InvalidArgumentError);
  });

  test.run();
}
