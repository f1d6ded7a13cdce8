// What a failed invocation of the rebuild function becomes on the caller's side: the function's own error, typed.

import { EventlakeError, InvalidArgumentError } from '../../domain/errors.ts';
import { lambdaErrorPayload } from './lambda-error-payload.ts';

/**
 * The rebuild function ran and failed (Lambda's `FunctionError` was set): it threw, ran out of memory or time.
 * Carries what the Lambda runtime reported, `errorType` (the thrown error's class name) and `errorMessage`.
 */
export class RebuildFunctionError extends EventlakeError {
  readonly code = 'REBUILD_FUNCTION_FAILED';
  constructor(
    readonly functionName: string,
    /** `Unhandled` (what runtimes report today, for a throw as for a timeout) or `Handled`. */
    readonly functionError: string,
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`the rebuild function ${functionName} failed with ${errorType}: ${errorMessage}${hintFor(functionName, errorType, errorMessage)}`);
  }
}

// Lambda reports a timeout as `Sandbox.Timedout` (newer runtimes) or only as "Task timed out after … seconds".
const isTimeout = (errorType: string, errorMessage: string) => errorType === 'Sandbox.Timedout' || /Task timed out/.test(errorMessage);

function hintFor(functionName: string, errorType: string, errorMessage: string): string {
  // The rebuild checkpoints every batch (adapters/aws/lambda/create-rebuild.ts), so a cut-short run is not lost.
  if (isTimeout(errorType, errorMessage)) return ' (run the same command again: the rebuild resumes from its last checkpoint)';
  // The stack names each function's log group /aws/lambda/<name> (infra/functions.ts); an ARN has no such short name.
  return functionName.includes(':') ? '' : ` (its logs: CloudWatch log group /aws/lambda/${functionName})`;
}

/**
 * The error to throw for a failed invocation whose response payload is `payload`. An `InvalidArgumentError` the
 * function threw (a request field it refused, e.g. `until: must be later than from`) stays one, with the same
 * argument, so the caller still learns which field to fix; anything else is a `RebuildFunctionError`.
 *
 * @example
 * if (out.FunctionError) throw rebuildFunctionFailure('eventlake-rebuild', out.FunctionError, new TextDecoder().decode(out.Payload));
 */
export function rebuildFunctionFailure(functionName: string, functionError: string, payload: string): EventlakeError {
  const { errorType, errorMessage } = lambdaErrorPayload(payload);
  // InvalidArgumentError's message is `<argument>: <message>` (domain/errors.ts).
  const split = errorType === 'InvalidArgumentError' ? /^([^:\s]+): ([\s\S]*)$/.exec(errorMessage) : null;
  if (split) return new InvalidArgumentError(split[1]!, `${split[2]!} (refused by the rebuild function ${functionName})`);
  return new RebuildFunctionError(functionName, functionError, errorType, errorMessage);
}
