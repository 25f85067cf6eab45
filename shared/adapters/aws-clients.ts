/**
 * One SDK client per service, created once per module scope and reused across invocations.
 * Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables (the embedded runtime
 * sets them); every client has timeouts because an emulator that does not know an action can
 * hang instead of answering.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const requestHandler = () => new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 });

let dynamo: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let ses: SESClient | undefined;
let sqs: SQSClient | undefined;
let secrets: SecretsManagerClient | undefined;

export const dynamoDocumentClient = (): DynamoDBDocumentClient => {
  dynamo ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ requestHandler: requestHandler(), maxAttempts: 5 }),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return dynamo;
};

export const eventBridgeClient = (): EventBridgeClient => {
  events ??= new EventBridgeClient({ requestHandler: requestHandler(), maxAttempts: 5 });
  return events;
};

export const sesClient = (): SESClient => {
  // Throttling is handled by the caller (backoff + pacing), so the SDK does not retry on its own.
  ses ??= new SESClient({ requestHandler: requestHandler(), maxAttempts: 1 });
  return ses;
};

export const sqsClient = (): SQSClient => {
  sqs ??= new SQSClient({ requestHandler: requestHandler(), maxAttempts: 5 });
  return sqs;
};

export const secretsManagerClient = (): SecretsManagerClient => {
  secrets ??= new SecretsManagerClient({ requestHandler: requestHandler(), maxAttempts: 5 });
  return secrets;
};
