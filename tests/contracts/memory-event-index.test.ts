// The in-memory EventIndex the unit tests use keeps the port's contract, so what a unit test proves with it holds
// for the real adapters (the cursor of range reads included).
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { eventIndexContract } from './event-index.contract.ts';

eventIndexContract('MemoryEventIndex (test fake)', async () => ({ subject: new MemoryEventIndex() }));
