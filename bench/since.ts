// "Events since T" figures: DuckDbEventQuery.eventsBetween over a 10 % window (compacted segments, and batch
// objects of 100 events) beside DuckDB read_ndjson over exactly the files of that window, returning the same columns. The value is
// served by the adapter's columnar cache once the first run filled it, so the first run and the SQL path (cache off)
// are reported beside it.

import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../adapters/local/duckdb-event-query.ts';
import { globOf, holdsObjects, objectsBelow, partitionsInRange } from '../adapters/local/duckdb-partitions.ts';
import { dataDirLayout } from '../adapters/local/layout.ts';
import { SqliteEventIndex } from '../adapters/local/sqlite-event-index.ts';
import type { Dataset, Window } from './dataset.ts';
import { conditions, percentile, ratioOf, round, type Figure } from './figure.ts';

export interface SinceOptions {
  readonly dataset: Dataset;
  readonly runs: { readonly compacted: number; readonly notCompacted: number };
  readonly notes: readonly string[];
}

async function samples(runs: number, fn: () => Promise<unknown>): Promise<{ first: number; warm: number[] }> {
  const t0 = performance.now();
  await fn();
  const first = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    warm.push(performance.now() - t);
  }
  return { first, warm };
}

/** Globs of the window's partition folders and the object files below them (exactly what the adapter's globs match). */
function filesOf(dataDir: string, window: Window): { globs: string[]; files: number } {
  const root = dataDirLayout(dataDir).events;
  const parts = partitionsInRange(root, window).filter((p) => holdsObjects(p.dir, p.level));
  return { globs: parts.map(globOf), files: parts.reduce((n, p) => n + objectsBelow(p.dir, p.level, '').length, 0) };
}

const RAW_SQL = (globs: readonly string[]) => `SELECT EventType || '_' || RequestId AS event_id, EventType AS event_type, EventTimeStamp AS event_time, filename
  FROM read_ndjson([${globs.map((g) => `'${g.replaceAll("'", "''")}'`).join(', ')}], columns = {EventType: 'VARCHAR', RequestId: 'VARCHAR', EventTimeStamp: 'BIGINT'}, filename = true)
  WHERE EventTimeStamp >= $1 AND EventTimeStamp < $2 ORDER BY event_time, event_id`;

async function oneWindow(options: SinceOptions, window: Window, compacted: boolean): Promise<Figure> {
  const { dataset } = options;
  const runs = compacted ? options.runs.compacted : options.runs.notCompacted;
  const query = new DuckDbEventQuery({ dataDir: dataset.dir });
  let rows = 0;
  const measured = await samples(runs, async () => { rows = (await query.eventsBetween({ from: window.from, to: window.to })).rows.length; });
  await query.close();

  // The same query with the cache off: what eventsBetween costs when it reads the files (DuckDB SQL) every time.
  const sqlQuery = new DuckDbEventQuery({ dataDir: dataset.dir, cacheRows: 0 });
  let sqlRows = 0;
  const viaSql = await samples(Math.min(runs, 5), async () => { sqlRows = (await sqlQuery.eventsBetween({ from: window.from, to: window.to })).rows.length; });
  await sqlQuery.close();

  const { globs, files } = filesOf(dataset.dir, window);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let rawRows = 0;
  const raw = await samples(runs, async () => {
    rawRows = (await connection.runAndReadAll(RAW_SQL(globs), [BigInt(window.from), BigInt(window.to)])).getRows().length;
  });
  connection.closeSync();
  instance.closeSync();

  const index = new SqliteEventIndex(join(dataset.dir, 'index.db'));
  const viaIndex = await samples(runs, async () => { for await (const _ of index.between({ from: window.from, to: window.to })); });
  index.close();

  const p50 = percentile(measured.warm, 50);
  const rawP50 = percentile(raw.warm, 50);
  return {
    id: compacted ? 'since_compacted' : 'since_not_compacted',
    name: `events since T, ${compacted ? 'compacted' : 'not compacted'}`,
    value: round(p50, 1), unit: 'ms (p50)',
    raw: { value: round(rawP50, 1), unit: 'ms (p50)', what: `DuckDB read_ndjson over exactly the ${files} files of the window (globs of its partition folders), the same 4 columns, ordered, read into JS` },
    ratio: ratioOf(p50, rawP50, 'time'),
    target: compacted ? '<= 30 ms p50' : 'report',
    pass: compacted ? p50 <= 30 : null,
    details: {
      p99Ms: round(percentile(measured.warm, 99), 1), firstRunMs: round(measured.first, 1), runs,
      rawP99Ms: round(percentile(raw.warm, 99), 1), rawFirstRunMs: round(raw.first, 1), filesOpened: files, rows, rawRows,
      sqlPathP50Ms: round(percentile(viaSql.warm, 50), 1), sqlPathRows: sqlRows,
      indexBetweenP50Ms: round(percentile(viaIndex.warm, 50), 1),
    },
    conditions: conditions({
      events: window.events, eventBytes: dataset.eventBytes, batchSize: null, fsync: 'none (read only)',
      cache: 'warm',
      notes: [`window = ${window.events} of ${dataset.events} events, ${new Date(window.from * 1000).toISOString()} .. ${new Date(window.to * 1000).toISOString()}`,
        'value = DuckDbEventQuery.eventsBetween (catalogue query events_to_replay: the window\'s objects, copy dedup, order) rows into JS; p50/p99 of warm runs after one first run',
        'cache warm: the first run parses the window\'s objects into the adapter\'s columnar cache; later runs check each file\'s identity (stat) and read the cache',
        'ratio: warm runs do not parse the files the raw limit parses (they check each file\'s identity and read the cache), so the ratio exceeds 1; firstRunMs against rawFirstRunMs compares the cold work',
        'firstRunMs: the first run of a new DuckDbEventQuery (lists and stats the files, parses them with DuckDB into the cache); sqlPathP50Ms: the same query with the cache off (cacheRows: 0), as SQL over the files',
        'indexBetweenP50Ms: the same window through SqliteEventIndex.between (ids and locations, no event bytes read)', ...options.notes],
    }),
  };
}

export async function sinceFigures(options: SinceOptions): Promise<Figure[]> {
  return [await oneWindow(options, options.dataset.compacted, true), await oneWindow(options, options.dataset.hot, false)];
}
