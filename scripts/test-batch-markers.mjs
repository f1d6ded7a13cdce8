// The lines scripts/test-batch.mjs prints around each file's output, for scripts/test-batches.mjs to split on.
export const START = '[batch] start ';
export const END = '[batch] end ';
