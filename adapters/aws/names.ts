// Physical names of a deployed lake's functions and queues: one scheme the CDK stack uses and the CLI's help text quotes.
//
// Why here and not in infra/: adapters never import infra, but infra may import adapters (as it does table-keys.ts),
// so the scheme lives on the side both can reach.

/** The names of the resources of the lake deployed under `prefix` (default prefix `eventlake`). */
export const lakeNames = {
  indexerFunction: (prefix: string) => `${prefix}-indexer`,
  projectorFunction: (prefix: string, projection: string) => `${prefix}-projector-${projection}`,
  rebuildFunction: (prefix: string) => `${prefix}-rebuild`,
  /** Dead-letter queue of the indexer (its EventBridge rule's and its asynchronous invocations'). */
  indexerDeadLetterQueue: (prefix: string) => `${lakeNames.indexerFunction(prefix)}-dlq`,
  /** Dead-letter queue of one projection's projector. */
  projectorDeadLetterQueue: (prefix: string, projection: string) => `${lakeNames.projectorFunction(prefix, projection)}-dlq`,
} as const;

/** Placeholders for help texts: the names with `<prefix>` and `<projection>` where a deployment has its own. */
export const NAME_PATTERNS = {
  indexerDeadLetterQueue: lakeNames.indexerDeadLetterQueue('<prefix>'),
  projectorDeadLetterQueue: lakeNames.projectorDeadLetterQueue('<prefix>', '<projection>'),
  projectorFunction: lakeNames.projectorFunction('<prefix>', '<projection>'),
} as const;
