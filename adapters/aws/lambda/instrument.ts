// Powertools around a handler: Lambda context in logs, a traced subsegment, metrics flushed after every invocation.

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/** The three Powertools utilities of a function. */
export interface Powertools {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Logger, Metrics (EMF, namespace from POWERTOOLS_METRICS_NAMESPACE, default `eventlake`) and Tracer of a function.
 *
 * @example
 * const tools = createPowertools('eventlake-projector', { projection: 'balances' });
 */
export function createPowertools(serviceName: string, defaultDimensions: Record<string, string> = {}): Powertools {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'eventlake', defaultDimensions }),
    tracer: new Tracer({ serviceName }),
  };
}

/**
 * Wrap `run` the way Powertools' middleware would (the manual pattern of its docs, so no middy dependency).
 *
 * @example
 * export const handler = instrument('indexer', createIndexer(deps), { logger, metrics, tracer });
 */
export function instrument<E, R>(name: string, run: (event: E, context?: Context) => Promise<R>, tools: Powertools): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    tools.logger.addContext(context);
    const segment = tools.tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) tools.tracer.setSegment(subsegment);
    tools.tracer.annotateColdStart();
    tools.tracer.addServiceNameAnnotation();
    tools.metrics.captureColdStartMetric();
    try {
      return await run(event, context);
    } catch (error) {
      tools.tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tools.tracer.setSegment(segment);
      tools.metrics.publishStoredMetrics();
    }
  };
}
