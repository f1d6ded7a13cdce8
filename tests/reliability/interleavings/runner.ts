// Running commands (commands.ts) on two sides of one data dir, and telling the model what each append answered:
// this thread's side, with the injector's points, and the worker thread's.

import type { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import type { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { InjectedFailure, openLake, type Lake, type LakeSettings } from '../../adapters/local/fixtures/lake.ts';
import { ThreadCallError, type LakeThread } from '../../adapters/local/fixtures/lake-thread-client.ts';
import { bulkOf, compacts, eventOf, hourOf, type Command, type Step } from './commands.ts';
import type { Injector } from './injector.ts';
import type { LogModel } from './model.ts';
import { readProblems } from './final-checks.ts';


/** This thread's side, with the injector's points. */
export class LocalLake {
  private constructor(readonly lake: Lake) {}

  static async open(where: LakeSettings, injector: Injector): Promise<LocalLake> {
    return new LocalLake(await openLake(where, { readers: () => injector.point() }));
  }

  get log(): FsEventLog {
    return this.lake.log;
  }

  get index(): SqliteEventIndex {
    return this.lake.index;
  }

  close(): Promise<void> {
    return this.lake.close();
  }
}

/** Runs commands against both logs and tells the model what each append acknowledged. */
export class Runner {
  constructor(private a: LocalLake, private readonly b: LakeThread, private readonly model: LogModel, private readonly injector: Injector, private readonly where: LakeSettings) {}

  get local(): LocalLake {
    return this.a;
  }

  async run(c: Command): Promise<void> {
    if (c.who === 'b') return this.runB(c.step);
    // One compactor at a time (the lifecycle runs one), and no reopen while another step uses the log.
    const alongside = c.step.op === 'reopen' || (compacts(c.step) && compacts(c.alongside)) ? undefined : c.alongside;
    const compacting = compacts(c.step) || compacts(alongside);
    // The model learns an append's outcome when it returns: an append of `b` at a point after `a`'s append took the
    // lock and before it returned (a checkpoint it runs, a step alongside) would reach the model out of order.
    const appends = (step: Step | undefined) => step?.op === 'append' || step?.op === 'bulk';
    const racesAppend = appends(c.step) && appends(c.inject?.step);
    const inject = (compacting && compacts(c.inject?.step)) || racesAppend ? undefined : c.inject;
    this.injector.arm(inject?.nth, () => this.runB(inject!.step));
    try {
      await Promise.all([this.runA(c.step), alongside && this.runA(alongside)]);
    } finally {
      this.injector.arm(undefined, () => {});
    }
    this.model.problems.push(...(await readProblems(this.model, this.a)));
  }

  private bulks = 0;

  /** The events an `append` or `bulk` step appends. */
  private eventsOf(step: Step): DomainEvent[] {
    return (step.op === 'append' ? step.events : bulkOf(this.bulks++)).map(eventOf);
  }

  private runB(step: Step): void {
    if (step.op === 'append' || step.op === 'bulk') {
      const events = this.eventsOf(step);
      const conflict = this.model.expectsConflict(events);
      const fail = step.op === 'append' && step.failAfterJournal === true;
      const failing = fail && !conflict && this.model.hasFresh(events);
      try {
        this.model.appended('b', events, this.b.append(events, fail));
      } catch (error) {
        const code = error instanceof ThreadCallError ? error.code : undefined;
        if (failing && code === 'INJECTED_AFTER_JOURNAL') return this.model.journaledUnacknowledged(events);
        if (!(conflict && code === 'EVENT_CONFLICT')) throw error;
      }
      return;
    }
    if (step.op === 'compact' || step.op === 'archive') {
      this.model.compacted(hourOf(step.hour));
      return this.b[step.op](hourOf(step.hour));
    }
    this.b[step.op]();
  }

  private async runA(step: Step): Promise<void> {
    const a = this.a;
    if (step.op === 'append' || step.op === 'bulk') return this.appendA(this.eventsOf(step), step.op === 'append' && step.failAfterJournal === true);
    if (step.op === 'checkpoint') return void (await a.log.checkpoint());
    if (step.op === 'catchUp') return void (await a.lake.indexer.catchUp());
    if (step.op === 'compact' || step.op === 'archive') {
      this.model.compacted(hourOf(step.hour));
      return a.lake[step.op](hourOf(step.hour));
    }
    await a.close();
    this.a = await LocalLake.open(this.where, this.injector);
  }

  private async appendA(events: DomainEvent[], failAfterJournal: boolean): Promise<void> {
    const { log } = this.a;
    const conflict = this.model.expectsConflict(events);
    const fresh = this.model.hasFresh(events);
    const endBefore = await log.journalEnd();
    this.a.lake.failAfterJournal = failAfterJournal;
    try {
      this.model.appended('a', events, await log.append(events));
    } catch (error) {
      if (conflict && (error as { code?: unknown }).code === 'EVENT_CONFLICT') {
        const end = await log.journalEnd();
        if (!this.injector.fired && end !== endBefore) this.model.problems.push(`a: a refused append moved the journal's end from ${endBefore} to ${end}`);
        return;
      }
      if (!conflict && fresh && failAfterJournal && error instanceof InjectedFailure) return this.model.journaledUnacknowledged(events);
      throw error;
    } finally {
      this.a.lake.failAfterJournal = false;
    }
  }
}
