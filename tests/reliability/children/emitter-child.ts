// Child process of the concurrent-emit test: one of several processes emitting the same identities into one data
// dir. Waits for `go <round>` on stdin, emits the round's shared events, then its own version of the round's
// conflict event, and reports each outcome; `quit` ends it.
// Usage: node --import ./scripts/ts-loader.mjs emitter-child.ts <dataDir> <emitter number>
// Prints: `ready`, `shared <round> <status,status,…>`, `conflict <round> <stored|duplicate|EVENT_CONFLICT|error …>`, `end <round>`.

import { say } from './say.ts';
import { createInterface } from 'node:readline';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { EventlakeError } from '../../../domain/errors.ts';
import { conflictEvent, roundEvents } from './workload.ts';

const [dataDir, emitter] = process.argv.slice(2);
const local = await openLocalEventlake({ dataDir: dataDir!, dispatch: { baseDelayMs: 1, maxDelayMs: 5 } });
const outcome = (error: unknown) => (error instanceof EventlakeError ? error.code : `error ${(error as Error).name}: ${(error as Error).message}`);

say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
  const round = Number(line.split(' ')[1]);
  try {
    say(`shared ${round} ${(await local.lake.emit(roundEvents(round))).map((r) => r.status).join(',')}`);
  } catch (error) {
    say(`shared ${round} ${outcome(error)}`);
  }
  try {
    say(`conflict ${round} ${(await local.lake.emit(conflictEvent(round, Number(emitter))))[0]!.status}`);
  } catch (error) {
    say(`conflict ${round} ${outcome(error)}`);
  }
  say(`end ${round}`);
}
await local.close();
process.exit(0); // stdin may still be open
