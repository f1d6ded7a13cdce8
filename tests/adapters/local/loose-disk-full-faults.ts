// Full-disk faults for the loose-end tests, injected (no mount): a rename failing, and a data dir whose log holds a
// batch object torn by a crash, so that the next open's recovery repairs it.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { hotPath } from '../../../adapters/local/layout.ts';
import { tempDir } from '../../support/tmp.ts';
import { depositNo, enospc } from './append-disk-full-faults.ts';

/** Make rename() of a temp file fail with ENOSPC (as on a full disk) until the returned function ("free space"). */
export function failTempRenames(): () => void {
  const target = fs as unknown as Record<string, unknown>;
  const { renameSync } = fs;
  target['renameSync'] = (from: fs.PathLike, to: fs.PathLike) => {
    if (String(from).includes('/.tmp-')) throw enospc('rename');
    return renameSync(from, to);
  };
  syncBuiltinESMExports();
  return () => {
    target['renameSync'] = renameSync;
    syncBuiltinESMExports();
  };
}

/**
 * A data dir whose log journaled a batch of two events whose object a crash tore (its process died before any
 * checkpoint): the next open's recovery replaces the object from the journal. Returns the dir, the object's path and its whole bytes.
 */
export async function dataDirWithTornObject(): Promise<{ dir: string; object: string; bytes: Buffer }> {
  const dir = tempDir();
  const writer = await FsEventLog.open(dir, { checkpointEvery: 0 });
  const [first] = await writer.append([depositNo(0), depositNo(2)]);
  const object = hotPath(writer.layout, first!.location.key);
  // The process "dies" here: no close(), so no checkpoint made the object durable; only its start reached the disk.
  const bytes = fs.readFileSync(object);
  fs.writeFileSync(object, bytes.subarray(0, 10));
  return { dir, object, bytes };
}

/** Files under `dir` (recursively) whose names are temp files'. */
export function tempFilesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.split('/').pop()!.startsWith('.tmp-'));
}
