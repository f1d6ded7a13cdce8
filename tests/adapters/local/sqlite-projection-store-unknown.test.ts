// The unknown-projection cases of the ProjectionStore contract against SqliteProjectionStore.
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../../adapters/local/sqlite-projection-store.ts';
import { projectionStoreUnknownContract } from '../../contracts/projection-store-unknown.contract.ts';
import { tempDir } from '../../support/tmp.ts';

projectionStoreUnknownContract('SqliteProjectionStore', async (projections) => {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'), projections ? { projections } : {});
  return { subject: store, cleanup: async () => store.close() };
});
