// Types of scripts/test-batches.mjs (plain JavaScript: the runner starts without tsx), for its tests.
export declare const SMALL_SECONDS: number;
export declare const BATCH_SECONDS: number;
export declare const BATCH_FILES: number;
/** `groupOf`: a file's start-up group ('' for none); a group's files batch together, in batches of their own. */
export declare function planBatches(names: readonly string[], durations: Readonly<Record<string, number>>, groupOf?: (name: string) => string): { batches: string[][]; alone: string[] };
export declare function splitBatchOutput(stdout: string): Map<string, { out: string; seconds: number }>;
