// The lake's tags: every resource names its lake and its component, so cost reports and IAM conditions
// (aws:ResourceTag) can be scoped to one lake or one part of it; the user's own tags go on every resource too.

import { Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The tag keys the lake sets itself (EventLakeProps.tags may not use the `eventlake:` prefix). */
export const LAKE_TAGS = { lake: 'eventlake:lake', component: 'eventlake:component' } as const;

/**
 * The component of each of the lake's direct children, by construct id (the first pattern that matches). Ids, not
 * the creating code, decide it, so that every resource gets a component without a second argument threaded through
 * each factory; a child no pattern matches gets none, which the infra tests refuse.
 */
export const COMPONENTS: ReadonlyArray<readonly [pattern: RegExp, component: string]> = [
  [/Alarm/, 'alarms'],
  [/^(Indexer|ObjectCreatedRule$|StorageChangedRule$)/, 'indexer'],
  [/^(Projector|Rule-)/, 'projector'],
  [/^Rebuild/, 'rebuild'],
  [/^Compaction/, 'compaction'],
  [/^Storage$/, 'storage'],
  [/^Tables$/, 'tables'],
  [/^Dispatch$/, 'dispatch'],
  [/^Query$/, 'query'],
];

/** The component the lake's child `id` belongs to; undefined for an id no pattern matches. */
export function componentOf(id: string): string | undefined {
  return COMPONENTS.find(([pattern]) => pattern.test(id))?.[1];
}

/**
 * Tags every taggable resource under `lake`: `eventlake:lake` (the prefix), `eventlake:component`, and `userTags`.
 * Call it once the lake is complete: children added later get only the tags of the whole lake.
 */
export function tagLake(lake: Construct, prefix: string, userTags: Readonly<Record<string, string>> = {}): void {
  for (const [key, value] of Object.entries(userTags)) Tags.of(lake).add(key, value);
  Tags.of(lake).add(LAKE_TAGS.lake, prefix);
  for (const child of lake.node.children) {
    const component = componentOf(child.node.id);
    if (component) Tags.of(child).add(LAKE_TAGS.component, component);
  }
}
