// Starting a rebuild on AWS: one synchronous invocation of the stack's rebuild function, its answer or error typed.

import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { EventlakeError, InvalidArgumentError, StorageError, TransientError } from '../../domain/errors.ts';
import { REBUILD_FUNCTION_ENV } from './aws-config.ts';
import { credentialsFix, errorCode, isConnectionFailure, isThrottled } from './errors.ts';
import type { RebuildRequest } from './lambda/create-rebuild.ts';
import { RebuildFunctionError, rebuildFunctionFailure } from './rebuild-function-error.ts';

export interface LambdaRebuildInvokerOptions {
  /** Used as it is and never destroyed here (the caller owns it). */
  readonly client: LambdaClient;
  /** The stack's rebuild function: its name (output RebuildFunctionName) or ARN. */
  readonly functionName: string;
}

/** What the rebuild function answered. */
export interface RebuildAnswer {
  /** `planned` (dry run), `built` (with `until`), `promoted`, or `restoring`: invoke again with the same request. */
  readonly status: string;
  /** The coordinator's report as the function returned it (JSON, so bigints arrive as strings). */
  readonly report: Readonly<Record<string, unknown>>;
}

/** True when the function stopped waiting for archive restores; the same request, sent again later, carries on. */
export function isRestoring(answer: RebuildAnswer): boolean {
  return answer.status === 'restoring';
}

/**
 * Invokes the rebuild function (adapters/aws/lambda/rebuild.ts) and waits for its report, as `eventlake rebuild
 * --remote` does. A function error becomes `RebuildFunctionError` (or the `InvalidArgumentError` the function threw,
 * naming the field); an unknown function an `InvalidArgumentError` naming `rebuildFunction`; throttling or a lost
 * connection a `TransientError`; any other SDK failure (no credentials, access denied) a `StorageError` naming the fix.
 *
 * @example
 * const invoker = new LambdaRebuildInvoker({ client: new LambdaClient({}), functionName: 'eventlake-rebuild' });
 * const answer = await invoker.invoke({ projection: 'balances', from: 0, dryRun: true });
 */
export class LambdaRebuildInvoker {
  constructor(private readonly options: LambdaRebuildInvokerOptions) {}

  /** One invocation, RequestResponse: returns once the function has answered (at most its 15-minute timeout). */
  async invoke(request: RebuildRequest): Promise<RebuildAnswer> {
    const { client, functionName } = this.options;
    let out;
    try {
      out = await client.send(new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }));
    } catch (error) {
      throw this.invokeError(error);
    }
    // Lambda answers 200 for a function that failed too; only FunctionError tells, and the payload holds the error.
    const payload = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError) throw rebuildFunctionFailure(functionName, out.FunctionError, payload);
    return this.answer(payload);
  }

  private answer(payload: string): RebuildAnswer {
    let report: unknown;
    try {
      report = JSON.parse(payload);
    } catch {
      report = undefined;
    }
    if (typeof report !== 'object' || report === null || Array.isArray(report) || typeof (report as { status?: unknown }).status !== 'string') {
      throw new RebuildFunctionError(this.options.functionName, 'none', 'UnexpectedAnswer',
        `answered ${payload.slice(0, 200) || '(nothing)'} instead of a rebuild report with a status: is it eventlake's rebuild function?`);
    }
    return { status: (report as { status: string }).status, report: report as Record<string, unknown> };
  }

  /** No SDK error type leaves here: every failure to invoke becomes a domain error, its SDK error as `cause`. */
  private invokeError(error: unknown): EventlakeError {
    const code = errorCode(error);
    const message = (error as Error)?.message ?? String(error);
    if (code === 'ResourceNotFoundException') {
      return new InvalidArgumentError('rebuildFunction', `no function "${this.options.functionName}" (${message}): set "rebuildFunction" in the config file or ` +
        `${REBUILD_FUNCTION_ENV} to the stack's RebuildFunctionName output, in the stack's region`);
    }
    // Throttled before the function started: nothing ran, so trying again later is safe.
    if (code === 'TooManyRequestsException') return new TransientError(`the rebuild function ${this.options.functionName} was throttled (${message}): run the same command again`, { cause: error });
    if (error instanceof EventlakeError) return error;
    const failed = `invoking the rebuild function ${this.options.functionName} failed: ${code ?? 'Error'}: ${message}`;
    const fix = credentialsFix(error);
    if (fix) return new StorageError(`${failed}: ${fix}`, { cause: error });
    // The connection may have dropped after the function started; a rebuild that did start resumes from its checkpoint.
    if (isThrottled(error) || isConnectionFailure(error)) {
      return new TransientError(`${failed}: run the same command again (a rebuild that started resumes from its last checkpoint)`, { cause: error });
    }
    return new StorageError(failed, { cause: error });
  }
}
