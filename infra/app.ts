// The CDK app of `cdk deploy` / `npm run synth`: one EventLakeStack, props from `-c eventlake:<name>=<value>`, cdk-nag on.

import { App, Duration } from 'aws-cdk-lib';
import { pathToFileURL } from 'node:url';
import { EventlakeError, InvalidArgumentError } from '../domain/errors.ts';
import { DEFAULT_LIFECYCLE, type LifecyclePolicy } from '../domain/ports/archive-tier.ts';
import { EventLakeStack } from './event-lake-stack.ts';
import { addNagChecks } from './nag.ts';
import { checkTopicArn, type EventLakeProps } from './props.ts';

/** Context keys the app reads (all optional), e.g. `cdk deploy -c eventlake:objectLockMode=COMPLIANCE`. */
export const CONTEXT = {
  stackName: 'eventlake:stackName',
  prefix: 'eventlake:prefix',
  glacierAfterDays: 'eventlake:glacierAfterDays',
  deepArchiveAfterDays: 'eventlake:deepArchiveAfterDays',
  archiveSmallObjects: 'eventlake:archiveSmallObjects',
  objectLockMode: 'eventlake:objectLockMode',
  objectLockDays: 'eventlake:objectLockDays',
  projections: 'eventlake:projections',
  busArchiveRetentionDays: 'eventlake:busArchiveRetentionDays',
  bytesScannedCutoffPerQuery: 'eventlake:bytesScannedCutoffPerQuery',
  maxEventAgeHours: 'eventlake:maxEventAgeHours',
  firstYear: 'eventlake:firstYear',
  schemaFolders: 'eventlake:schemaFolders',
  extensions: 'eventlake:extensions',
  alarmTopicArn: 'eventlake:alarmTopicArn',
} as const;

/** A lifecycle with one or both days given; a missing DEEP_ARCHIVE day keeps the default or S3's 90-day minimum. */
function lifecycleFrom(glacier: number | undefined, deep: number | undefined): LifecyclePolicy {
  const glacierAfterDays = glacier ?? DEFAULT_LIFECYCLE.glacierAfterDays;
  return { glacierAfterDays, deepArchiveAfterDays: deep ?? Math.max(DEFAULT_LIFECYCLE.deepArchiveAfterDays, glacierAfterDays + 90) };
}

/** EventLakeProps from context values (strings on the command line, JSON values in cdk.json). */
export function propsFromContext(get: (key: string) => unknown): EventLakeProps {
  const str = (key: string) => { const v = get(key); return v === undefined ? undefined : String(v); };
  const int = (key: string) => {
    const v = str(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(key, `must be a whole number, got "${v}"`);
    return n;
  };
  const glacier = int(CONTEXT.glacierAfterDays);
  const deep = int(CONTEXT.deepArchiveAfterDays);
  const mode = str(CONTEXT.objectLockMode);
  if (mode !== undefined && mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') throw new InvalidArgumentError(CONTEXT.objectLockMode, `must be COMPLIANCE or GOVERNANCE, got "${mode}"`);
  const lockDays = int(CONTEXT.objectLockDays);
  if (mode && lockDays === undefined) throw new InvalidArgumentError(CONTEXT.objectLockDays, 'is required with an Object Lock mode');
  const maxAge = int(CONTEXT.maxEventAgeHours);
  const topic = str(CONTEXT.alarmTopicArn)?.trim() || undefined;
  if (topic !== undefined) checkTopicArn(CONTEXT.alarmTopicArn, topic);
  const set = <K extends keyof EventLakeProps>(k: K, v: EventLakeProps[K] | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    ...set('prefix', str(CONTEXT.prefix)),
    ...(glacier !== undefined || deep !== undefined ? { lifecycle: lifecycleFrom(glacier, deep) } : {}),
    ...set('archiveSmallObjects', str(CONTEXT.archiveSmallObjects) === undefined ? undefined : str(CONTEXT.archiveSmallObjects) === 'true'),
    ...(mode && lockDays !== undefined ? { objectLock: { mode, retentionDays: lockDays } } : {}),
    ...set('projections', str(CONTEXT.projections)?.split(',').map((p) => p.trim()).filter(Boolean)),
    ...set('busArchiveRetentionDays', int(CONTEXT.busArchiveRetentionDays)),
    ...set('bytesScannedCutoffPerQuery', int(CONTEXT.bytesScannedCutoffPerQuery)),
    ...set('maxEventAge', maxAge === undefined ? undefined : Duration.hours(maxAge)),
    ...set('firstYear', int(CONTEXT.firstYear)),
    ...set('schemaFolders', str(CONTEXT.schemaFolders)?.split(',').map((p) => p.trim()).filter(Boolean)),
    ...set('extensions', str(CONTEXT.extensions)?.trim() || undefined),
    ...set('alarmTopicArn', topic),
  };
}

/**
 * The app: account and region from the CLI's environment (CDK_DEFAULT_*), or environment-agnostic when unset.
 *
 * @example
 * const { app, stack } = createApp({ outdir: 'cdk.out' }); app.synth();
 */
export function createApp(options: { outdir?: string; context?: Record<string, unknown>; lake?: EventLakeProps } = {}): { app: App; stack: EventLakeStack } {
  // No CDKMetadata resource: the template reports nothing about this app to AWS.
  const app = new App({ analyticsReporting: false, ...(options.outdir ? { outdir: options.outdir } : {}), ...(options.context ? { context: options.context } : {}) });
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stackName = String(app.node.tryGetContext(CONTEXT.stackName) ?? 'EventLake');
  const stack = new EventLakeStack(app, stackName, {
    ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
    lake: { ...propsFromContext((k) => app.node.tryGetContext(k)), ...options.lake },
  });
  addNagChecks(app);
  return { app, stack };
}

/**
 * Run a synth entry: an eventlake error (a prop or context value to fix, its message naming it) is printed as one line
 * on stderr and exits 1, as the CLI prints it, and is the last thing printed; a stack trace would bury the fix. Any
 * other error keeps its stack, and a synth that succeeds is left as it is (CDK's own output included).
 *
 * @example
 * runSynth(() => { const app = new App(); new EventLake(new Stack(app, 'Payments'), 'Lake', props); app.synth(); });
 */
export function runSynth(synth: () => void): void {
  const before = new Set(process.listeners('beforeExit'));
  try {
    synth();
  } catch (error) {
    if (!(error instanceof EventlakeError)) throw error;
    // An App made under `cdk synth` (CDK_OUTDIR set) synthesizes itself at exit from a beforeExit listener. After a
    // refusal that is the half-built app: it would write an assembly and print CDK's empty-stack warning under the
    // error, which reads as a second problem. So the listeners this synth added go; those added before it stay.
    for (const listener of process.listeners('beforeExit')) {
      if (!before.has(listener)) process.removeListener('beforeExit', listener);
    }
    process.stderr.write(`eventlake: ${error.code}: ${error.message}\n`);
    process.exitCode = 1;
  }
}

// Run by the CDK CLI (`cdk deploy --app "node --import tsx infra/app.ts"`), which passes outdir and context by env.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runSynth(() => createApp().app.synth());
