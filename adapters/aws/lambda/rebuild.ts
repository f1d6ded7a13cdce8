// Lambda entry the CLI invokes to rebuild a projection on AWS, with the built-in projections and the schema folders
// the stack bundled; wiring in setUpRebuild, logic in createRebuildHandler and the coordinator.

import { setUpRebuild } from './rebuild-setup.ts';

export const { handler, deployment } = setUpRebuild();
