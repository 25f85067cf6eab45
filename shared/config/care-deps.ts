/** The care context's adapters, built once at cold start, shared by the planner and the worker. */
import { dynamoDocumentClient, sqsClient } from '../adapters/aws-clients.ts';
import { sqsCareQueue } from '../adapters/care-queue-sqs.ts';
import { dynamoCareStore } from '../adapters/care-store-dynamodb.ts';
import type { CareDeps } from '../domain/care/grants.ts';
import { newId } from '../domain/ids.ts';
import { readEnv } from './config.ts';
import { ENV } from './env-names.ts';

export const careDeps = (): CareDeps => ({
  store: dynamoCareStore(dynamoDocumentClient(), readEnv(ENV.tableName)),
  queue: sqsCareQueue(sqsClient(), readEnv(ENV.careQueueUrl)),
  now: () => new Date(),
  newId,
});
