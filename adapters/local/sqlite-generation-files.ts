// A projection generation as a SQLite file of its own: the copies local snapshots are made of, and their import.

import type { Database as Db } from 'better-sqlite3';
import { closeSync, existsSync, openSync } from 'node:fs';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { FILE_MODE } from './layout.ts';
import { retryable } from './sqlite-checkpoint-store.ts';
import { EXPORTED, EXPORTED_SINCE, type Statements } from './sqlite-projection-statements.ts';

/**
 * Copy one generation (counters, rows, idempotency records with their replay flags, and its record of folds with other
 * rules) of projections.db into the new file `file`, read in one transaction so concurrent applies are wholly in it or
 * not at all.
 *
 * @throws InvalidArgumentError when `file` already exists.
 */
export function exportGenerationFile(db: Db, name: string, generation: number, file: string): void {
  if (existsSync(file)) throw new InvalidArgumentError('file', `${file} already exists: export into a new file`);
  closeSync(openSync(file, 'wx', FILE_MODE));
  withAttached(db, file, () => db.transaction(() => {
    for (const [table, columns] of EXPORTED) {
      db.prepare(`CREATE TABLE snap.${table} AS SELECT ${columns} FROM main.${table} WHERE name = ? AND generation = ?`).run(name, generation);
    }
  })());
}

/**
 * Fill an empty generation from a file written by `exportGenerationFile` (of any projection name and generation) in
 * one transaction, and register the generation (not live).
 *
 * @throws InvalidArgumentError when the file does not exist or the generation already holds data.
 */
export function importGenerationFile(db: Db, s: Statements, file: string, name: string, generation: number): void {
  if (!existsSync(file)) throw new InvalidArgumentError('file', `no exported generation at ${file}`);
  if (s.holdsData.get(name, generation, name, generation) === 1) {
    throw new InvalidArgumentError('generation', `generation ${generation} of ${name} is not empty: import into a new generation`);
  }
  withAttached(db, file, () => db.transaction(() => {
    const held = new Set(db.prepare("SELECT name FROM snap.sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    for (const [table, columns] of EXPORTED) {
      if (EXPORTED_SINCE.has(table) && !held.has(table)) continue;
      db.prepare(`INSERT INTO main.${table} SELECT ?, ?, ${columns} FROM snap.${table}`).run(name, generation);
    }
    s.addGeneration.run(name, generation);
  }).immediate());
}

function withAttached(db: Db, file: string, copy: () => void): void {
  retryable('projection store: attach', () => db.prepare('ATTACH DATABASE ? AS snap').run(file));
  try {
    retryable('projection store: copy', copy);
  } finally {
    db.exec('DETACH DATABASE snap');
  }
}
