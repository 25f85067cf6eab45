/**
 * The function's own dead-letter queue (DEAD_LETTER_QUEUE_URL), named after the function.
 * (Loading the SQS client lazily was tried: the dynamic import kept esbuild from tree-shaking it,
 * and the bigger bundles cost more at cold start than the client does; measured with callgrind.)
 */
import { sqsClient } from '../adapters/aws-clients.ts';
import { type DeadLetterQueue, sqsDeadLetterQueue } from '../adapters/dead-letters.ts';
import { logger } from '../observability/logger.ts';
import { readEnv } from './config.ts';
import { ENV } from './env-names.ts';

export const ownDeadLetterQueue = (): DeadLetterQueue =>
  sqsDeadLetterQueue(
    sqsClient(),
    readEnv(ENV.deadLetterQueueUrl),
    // The function's name: the stack and the embedded runtime set it (Powertools reads it too).
    readEnv(ENV.powertoolsServiceName),
    (message, details) => logger.error(message, details),
  );
