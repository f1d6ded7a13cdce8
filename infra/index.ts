// `eventlake/infra`: the EventLake construct, its stack and props, and the helpers users compose it with.

export { EventLake } from './event-lake.ts';
export { EventLakeStack } from './event-lake-stack.ts';
export type { EventLakeStackProps } from './event-lake-stack.ts';
export { DEFAULTS } from './props.ts';
export type { EventLakeProps, ObjectLockProps } from './props.ts';
export { eventLogLifecycle } from './lifecycle.ts';
export { defaultDispatchRules, toCdkPattern } from './dispatch.ts';
export { WRITE_ONCE_SID } from './storage.ts';
export { tableNames } from './tables.ts';
export { cliConfigJson } from './outputs.ts';
export { addNagChecks, nagReport, acknowledgementsUnder } from './nag.ts';
export type { NagAcknowledgement } from './nag.ts';
export { createApp, propsFromContext, runSynth, CONTEXT } from './app.ts';
