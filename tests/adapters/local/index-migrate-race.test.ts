// Two processes opening a new data dir together both read index.db's schema version 0: the migration reads it again
// under the write lock, so the second finds the schema there and does nothing ("table events already exists" before).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate } from '../../../adapters/local/sqlite-index-schema.ts';
import { tempDir } from '../../support/tmp.ts';

test('a migration that read version 0 before another connection migrated leaves the schema as that one made it', () => {
  const file = join(tempDir(), 'index.db');
  const first = new Database(file);
  const second = new Database(file);
  try {
    migrate(first);
    const version = first.pragma('user_version', { simple: true });
    // `second` read its version before `first` migrated: its first answer is the stale 0, later ones the truth.
    let stale = true;
    const racing = new Proxy(second, {
      get(target, key) {
        if (key !== 'pragma') return Reflect.get(target, key, target);
        return (sql: string, options?: { simple?: boolean }) => {
          if (stale && sql === 'user_version') {
            stale = false;
            return 0;
          }
          return target.pragma(sql, options);
        };
      },
    });
    migrate(racing);
    assert.is(second.pragma('user_version', { simple: true }), version);
    assert.ok(second.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get());
  } finally {
    first.close();
    second.close();
  }
});

test.run();
