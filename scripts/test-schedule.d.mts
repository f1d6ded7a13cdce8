// Types of scripts/test-schedule.mjs (plain JavaScript: the runner starts without tsx), for its tests.
export declare function longestFirst(names: readonly string[], durations: Readonly<Record<string, number>>): string[];
export declare function mergeDurations(previous: Readonly<Record<string, number>>, measured: Readonly<Record<string, number>>, all: readonly string[] | undefined): Record<string, number>;
export declare function readDurations(file: string): Record<string, number>;
export declare function writeDurations(file: string, durations: Readonly<Record<string, number>>): void;
