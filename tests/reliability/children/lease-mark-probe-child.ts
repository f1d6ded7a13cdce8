// Child process of the lease-mark liveness tests: asks, from a process of its own, whether holder <tag> of lease
// <name> under <dir> is dead, prints `dead` or `alive`, and gives the dead holder's lock back without deleting its file.
// Usage: node --import ./scripts/ts-loader.mjs lease-mark-probe-child.ts <dir> <name> <tag>

import { say } from './say.ts';
import { LockFileLeaseLiveness } from '../../../adapters/local/lease-marks.ts';

const [dir, name, tag] = process.argv.slice(2);
const dead = await new LockFileLeaseLiveness(dir!).dead(name!, Number(tag));
say(dead ? 'dead' : 'alive');
await dead?.release(false);
