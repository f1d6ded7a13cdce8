// One generation beside the live one as a row of text output, shared by `eventlake generations list` and
// `eventlake status`. Its own module so that status, which lists them, does not load the rebuild machinery that
// generations.ts needs to promote one.

import type { OtherGeneration } from '../projections/rebuild/generations.ts';

/**
 * One row of the listing, as `eventlake generations list` and `eventlake status` print it; `withRules` adds the rules
 * that built it, flagged when they are not the running code's.
 */
export function generationRow(projection: string, g: OtherGeneration, withRules = false): Record<string, unknown> {
  return {
    projection, generation: g.generation, state: g.state,
    from: g.snapshotId === undefined ? '' : g.snapshotId ?? 'empty',
    until: g.until === undefined ? '' : new Date(g.until).toISOString(),
    replayedThrough: g.replayedThrough ?? '',
    ...(withRules ? { rules: `${g.rules ?? 'unknown'}${g.rulesMatch === 'other' ? ' (other rules than the running code\'s)' : ''}` } : {}),
  };
}
