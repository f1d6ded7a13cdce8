// Types of scripts/test-batches.mjs (plain JavaScript: the runner starts without tsx), for its tests.
export declare const SMALL_SECONDS: number;
export declare const BATCH_SECONDS: number;
export declare const BATCH_FILES: number;
export declare function planBatches(names: readonly string[], durations: Readonly<Record<string, number>>): { batches: string[][]; alone: string[] };
export declare function splitBatchOutput(stdout: string): Map<string, { out: string; seconds: number }>;
