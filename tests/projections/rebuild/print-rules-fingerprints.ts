// Prints, as one JSON line, the rules fingerprints of the built-in projections as a fresh process computes them (the
// rules-fingerprint test runs it twice, to show two processes agree).
import { balancesProjection } from '../../../domain/balances.ts';
import { rulesFingerprint } from '../../../projections/rebuild/rules-fingerprint.ts';
import { statementProjection } from '../../../projections/statement.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';

const upcasters = SchemaRegistry.load().upcasterSteps();
process.stdout.write(`${JSON.stringify([balancesProjection, statementProjection].map((p) => rulesFingerprint(p, upcasters)))}\n`);
