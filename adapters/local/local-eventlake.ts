// Kept for imports written before the runtime shape moved to projections/runtime.ts.

export type { CatchUpReport, EventlakeRuntime, LocalEventlake, LocalEventlakeOptions, PortName } from '../../projections/runtime.ts';
