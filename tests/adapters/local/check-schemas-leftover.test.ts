// A compaction leftover whose copy holds an event its schema refuses stays a harmless leftover; the event is named
// once, as invalidEvent at the segment line its index row names (replay reads that one).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { EVENTS, interruptedCompaction, SEGMENT } from '../../support/interrupted-compaction-data-dir.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('checkLog: a leftover holding an event its schema refuses');

const counts = (findings: Record<string, { count: number }>) => Object.fromEntries(Object.entries(findings).filter(([, f]) => f.count > 0).map(([k, f]) => [k, f.count]));

test('the event is invalidEvent once, at the segment, and the originals stay compaction leftovers', async () => {
  const dir = tempDir();
  const [original] = await interruptedCompaction(dir);
  const line = readFileSync(join(dir, original!), 'utf8').split('\n')[0]!;
  // The same edit in the original and in the segment: the leftover's copy is still its segment line byte for byte.
  for (const key of [original!, SEGMENT]) {
    const path = join(dir, key);
    writeFileSync(path, readFileSync(path, 'utf8').replace(line, line.replace('"LocationType":"ATM"', '"LocationType":"ATX"')));
  }
  const report = await checkLog(dir, { registry: SchemaRegistry.load() });
  assert.equal(counts(report.findings), { compactionLeftover: EVENTS.length, invalidEvent: 1 });
  assert.match(report.findings.invalidEvent.examples[0]!, ` at ${SEGMENT}@`);
});

test.run();
