// Which schema folder generate-types reads and which file it writes, where the defaults may be used, and the commands it
// suggests. The defaults are eventlake's own files: schemas/builtin → domain/bank-events.generated.ts, the built-in bank
// event types that domain/ and every user import, so a run that would overwrite them with other types is refused.

import { realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../domain/errors.ts';

/** The eventlake checkout (or installed copy) this script belongs to. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** This script's path inside ROOT, as generated files name it. */
export const SCRIPT = 'scripts/generate-types.ts';
const BUILTIN_SCHEMAS = join(ROOT, 'schemas/builtin');
const BUILTIN_TYPES = join(ROOT, 'domain/bank-events.generated.ts');

/**
 * This script's path from `cwd`: through the nearest `node_modules/eventlake` that leads here, since that path moves
 * with the project (the link `npm install <path>` makes, or an installed copy); else the plain path from `cwd`.
 */
export function scriptFrom(cwd: string): string {
  const here = realpathSync(ROOT);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules/eventlake');
    try {
      if (realpathSync(installed) === here) return relative(cwd, join(installed, SCRIPT));
    } catch { /* no eventlake installed here: look further up */ }
    if (dirname(dir) === dir) return relative(cwd, join(ROOT, SCRIPT));
  }
}

// Quoted for a POSIX shell only when needed, so ordinary paths read as typed.
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
const fromCwd = (p: string, cwd = process.cwd()) => relative(cwd, resolve(cwd, p)) || '.';

/** The command that (re)generates `outFile` from `schemaDir`, to run from `cwd`. */
export function regenerateCommand(schemaDir: string, outFile: string, cwd = process.cwd()): string {
  return `node --import tsx ${shellWord(scriptFrom(cwd))} ${shellWord(fromCwd(schemaDir, cwd))} --out ${shellWord(fromCwd(outFile, cwd))}`;
}

/**
 * Outside this repository (by real path) both must be given, since the defaults are eventlake's own files: from a
 * project the default file is in node_modules/eventlake, which the link `npm install <path>` makes is the eventlake
 * checkout itself. `--out` alone is refused too: the built-in types it would generate are exported by eventlake.
 */
function requireArgumentsOutsideRepository(schemaDir: string | undefined, outFile: string | undefined): void {
  const cwd = process.cwd(), root = realpathSync(ROOT), here = realpathSync(cwd);
  if ((schemaDir !== undefined && outFile !== undefined) || here === root || here.startsWith(root + sep)) return;
  const missing = [schemaDir === undefined ? 'SCHEMA_DIR' : '', outFile === undefined ? '--out FILE' : ''].filter(Boolean);
  throw new InvalidArgumentError(missing.join(' and '), `required outside eventlake (${cwd} is not in ${root}), whose own ` +
    'schemas/builtin and domain/bank-events.generated.ts are the defaults: pass the folder of your <type>.v<N>.json ' +
    `schemas and the file to write, as in ${regenerateCommand(schemaDir ?? 'schemas', outFile ?? 'src/events.generated.ts')}` +
    ` (the built-in bank event types need no generating: import type { CashDeposit } from 'eventlake')`);
}

// By real path, so any spelling of the built-in folder (relative, trailing slash, through a link) counts as it.
const realOrResolved = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };

/**
 * Without `--out` only the built-in folder may write the default file: the types of another folder would replace the
 * built-in bank event types (and the repository would no longer type-check as shipped). The example file sits beside
 * the schema folder, as examples/outgoing-payment/types.generated.ts does.
 */
function requireOutForOtherFolders(schemaDir: string | undefined, outFile: string | undefined): void {
  if (schemaDir === undefined || outFile !== undefined || realOrResolved(schemaDir) === realOrResolved(BUILTIN_SCHEMAS)) return;
  const example = join(dirname(resolve(schemaDir)), 'types.generated.ts');
  throw new InvalidArgumentError('--out FILE', `required for a schema folder other than eventlake's built-in ` +
    `${fromCwd(BUILTIN_SCHEMAS)} (${fromCwd(schemaDir)} is another), or its types would replace the built-in bank event ` +
    `types in ${fromCwd(BUILTIN_TYPES)}: pass the file to write, as in ${regenerateCommand(schemaDir, example)}`);
}

/**
 * The schema folder to read and the file to write for the given `SCHEMA_DIR` and `--out` (either may be missing),
 * or an `InvalidArgumentError` when the defaults would write eventlake's built-in types from the wrong place.
 */
export function generationTargets(schemaDir: string | undefined, outFile: string | undefined): { schemaDir: string; outFile: string } {
  requireArgumentsOutsideRepository(schemaDir, outFile);
  requireOutForOtherFolders(schemaDir, outFile);
  return { schemaDir: schemaDir ?? BUILTIN_SCHEMAS, outFile: outFile ?? BUILTIN_TYPES };
}
