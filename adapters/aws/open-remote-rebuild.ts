// The rebuild function of a deployed stack, ready to invoke: the Lambda client built from the config, and its release.

import { LambdaClient } from '@aws-sdk/client-lambda';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { baseClientConfig, requireRegion } from './aws-clients.ts';
import { REBUILD_FUNCTION_ENV, type AwsEventlakeConfig } from './aws-config.ts';
import { LambdaRebuildInvoker } from './lambda-rebuild-invoker.ts';

/** Longer than the rebuild function's 15-minute timeout (Lambda's maximum), so the function always answers first. */
export const REBUILD_INVOKE_TIMEOUT_MS = 16 * 60_000;

/** An invoker and how to release the client built for it. */
export interface RemoteRebuild {
  readonly invoker: LambdaRebuildInvoker;
  close(): Promise<void>;
}

/**
 * The invoker of `config.rebuildFunction`, for `eventlake rebuild --remote`. A client in `config.clients.lambda` is
 * used as it is (and stays the caller's); otherwise one is built with the config's region and endpoint, with one
 * attempt per invocation: the SDK would retry an invocation whose connection broke while the function was still
 * running, and the retry would start a second rebuild of the same projection beside the first.
 *
 * @example
 * const { invoker, close } = await openRemoteRebuild(awsConfigFrom({ settings, env: process.env }));
 * try { console.log((await invoker.invoke({ projection: 'balances', from: 0, dryRun: true })).report); } finally { await close(); }
 */
export async function openRemoteRebuild(config: AwsEventlakeConfig): Promise<RemoteRebuild> {
  if (!config.rebuildFunction) {
    throw new InvalidArgumentError('rebuildFunction', `eventlake rebuild --remote needs the stack's rebuild function: set "rebuildFunction" in the config file ` +
      `or ${REBUILD_FUNCTION_ENV} (stack output RebuildFunctionName; the CliConfig output includes it)`);
  }
  const owned = config.clients?.lambda === undefined;
  const client = config.clients?.lambda ?? new LambdaClient({
    ...baseClientConfig(config), maxAttempts: 1, requestHandler: { requestTimeout: REBUILD_INVOKE_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  const close = async () => { if (owned) client.destroy(); };
  try {
    await requireRegion(client);
  } catch (error) {
    await close();
    throw error;
  }
  return { invoker: new LambdaRebuildInvoker({ client, functionName: config.rebuildFunction }), close };
}
