// The DuckDB engine of one DuckDbEventQuery: loaded at its first query and locked down, a failed load dropped, closed once.

import { loadDuckDbEngine, type DuckDbEngine, type DuckDbEngineLoader } from './duckdb-engine.ts';
import { lockDown } from './duckdb-sandbox.ts';

/** Holds the engine of one query object between its first query and its close. */
export class DuckDbEngineSlot {
  /** DuckDB loading or loaded; never a failed load (see open). */
  private engine: Promise<DuckDbEngine> | undefined;
  /** The engine once loaded and locked down, for `interrupt`, which cannot wait for a promise. */
  private ready: DuckDbEngine | undefined;
  private closing: Promise<void> | undefined;

  /**
   * `folders`: all DuckDB may read once loaded (`readableFolders`). `load` loads DuckDB at the first `open` (tests
   * pass one that fails); whatever it returns is locked down here, so no loader hands out an open engine.
   */
  constructor(private readonly folders: readonly string[], private readonly load: DuckDbEngineLoader = loadDuckDbEngine) {}

  /**
   * DuckDB, loaded at the first call. Why a failed load is dropped rather than kept: its cause may pass (too many
   * open files, memory), and a kept rejection failed every later query of the process the same way; the next query
   * loads again, each failure its own QueryFailedError. (A package whose import threw stays failed: Node keeps it.)
   */
  open(): Promise<DuckDbEngine> {
    if (this.engine === undefined) {
      const loading = this.load().then((engine) => this.fenced(engine));
      this.engine = loading;
      loading.catch(() => { if (this.engine === loading) this.engine = undefined; });
    }
    return this.engine;
  }

  /** Stop the statement DuckDB runs now (`connection.interrupt()`); nothing when it runs none or is not loaded. */
  interrupt(): void {
    this.ready?.connection.interrupt();
  }

  /**
   * Close the engine once `after` has settled (the queries queued before close, which may still load it). Every call
   * returns the first call's promise, which resolves once the engine is closed. Why: with a wait of its own, a second
   * call returned as soon as it found the engine taken by the first, and that the first had closed it by then was only
   * microtask order (the engine's close is synchronous today; an asynchronous one would have lost the race).
   */
  close(after: Promise<unknown>): Promise<void> {
    this.closing ??= after.then(() => this.closeNow(), () => this.closeNow());
    return this.closing;
  }

  /** `engine` locked down; closed if that fails, since an engine left open could read and write anything. */
  private async fenced(engine: DuckDbEngine): Promise<DuckDbEngine> {
    try {
      await lockDown(engine.connection, this.folders);
      this.ready = engine;
      return engine;
    } catch (error) {
      engine.connection.closeSync();
      engine.instance.closeSync();
      throw error;
    }
  }

  private async closeNow(): Promise<void> {
    const open = this.engine;
    this.engine = undefined;
    this.ready = undefined;
    // A load that failed left nothing to close (its query reported the failure).
    const engine = await open?.catch(() => undefined);
    if (!engine) return;
    engine.connection.closeSync();
    engine.instance.closeSync();
  }
}
