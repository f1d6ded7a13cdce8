// The projections the AWS functions know by name (what EVENTLAKE_PROJECTION and rebuild requests refer to).

import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { statementProjection } from '../../../projections/statement.ts';

/** Built-in projections; a deployment with its own passes them to the factories directly. */
export const PROJECTIONS: readonly Projection[] = [balancesProjection, statementProjection];

/** The projection called `name`; throws `InvalidArgumentError` listing the known ones. */
export function projectionNamed(name: string, projections: readonly Projection[] = PROJECTIONS): Projection {
  const found = projections.find((p) => p.name === name);
  if (!found) throw new InvalidArgumentError('projection', `unknown projection "${name}" (known: ${projections.map((p) => p.name).join(', ')})`);
  return found;
}
