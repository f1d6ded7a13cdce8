// Lambda entry of a projector (one function per projection, named by EVENTLAKE_PROJECTION), with the built-in
// projections and the schema folders the stack bundled; wiring in setUpProjector, logic in createProjector.

import { setUpProjector } from './projector-setup.ts';

export const { handler, deployment } = setUpProjector();
