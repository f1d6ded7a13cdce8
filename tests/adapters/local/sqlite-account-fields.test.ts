// Declared account fields (x-eventlake-accounts) are found by SqliteEventIndex's per-account lookups.
import { join } from 'node:path';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { accountFieldsIndexContract } from '../../contracts/account-fields-index.contract.ts';
import { tempDir } from '../../support/tmp.ts';

accountFieldsIndexContract('SqliteEventIndex', async () => {
  const index = new SqliteEventIndex(join(tempDir(), 'index.db'));
  return { subject: index, cleanup: async () => index.close() };
});
