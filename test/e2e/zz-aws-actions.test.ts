/**
 * Runs after every other e2e file (the sequencer in vitest.config.ts puts `zz-*` last): every AWS
 * operation each function called during the whole run, as the embedded runtime saw it leave the
 * function (infra/local/lambda-worker.mjs), is allowed by that function's declared access. IAM is
 * not emulated locally, so this is what stands between a new call in the code and an
 * AccessDenied in AWS. Sending to a queue is checked queue by queue, as the stack grants it: the
 * queues the access names (sendTo) and the function's own dead-letter queue, no other. (The
 * other direction, nothing granted beyond the code, is test/infra/least-privilege.test.ts.)
 */
import { expect, it } from 'vitest';
import { physicalQueueName } from '../../infra/local/resources.ts';
import {
  dataActionsOf,
  deadLetterQueueOf,
  dlqName,
  type FunctionName,
  functionSpec,
  functions,
  queues,
} from '../../infra/topology.ts';
import { recordFigure } from '../support/figures.ts';
import { runtime } from './support.ts';

/** The IAM action an operation needs; a transaction is reported per item kind instead. */
const iamActionOf = (operation: string): string | undefined => {
  const [service, name] = operation.split('.') as [string, string];
  if (service === 'DynamoDB_20120810') {
    if (name === 'TransactWriteItems') return undefined; // its items, reported as …:Put etc.
    const item = /^TransactWriteItems:(\w+)$/.exec(name)?.[1];
    if (item) return `dynamodb:${item === 'ConditionCheck' ? 'ConditionCheckItem' : `${item}Item`}`;
    if (name === 'TransactGetItems') return 'dynamodb:GetItem';
    return `dynamodb:${name}`;
  }
  if (service === 'AWSEvents') return `events:${name}`;
  if (service === 'AmazonSQS') return name === 'SendMessageBatch' ? 'sqs:SendMessage' : `sqs:${name}`;
  if (service === 'SimpleEmailService') return `ses:${name}`;
  if (service === 'secretsmanager') return `secretsmanager:${name}`;
  return `unknown:${operation}`;
};

/** The queues a function may send to (local physical names), as the stack grants them. */
const sendableQueues = (name: FunctionName): Set<string> => {
  const spec = functionSpec(name);
  const access = spec.access;
  const own = access.deadLetters ? deadLetterQueueOf(spec) : undefined;
  return new Set([
    ...(access.sendTo ?? []).map((key) => physicalQueueName(queues[key].name)),
    ...(own ? [physicalQueueName(own.dlq ? dlqName(queues[own.queue]) : queues[own.queue].name)] : []),
  ]);
};

it('every AWS call a function made in the run is one its declared access allows', async () => {
  const status = (await (await fetch(`${runtime().controlUrl}/status`)).json()) as {
    invocations: Record<FunctionName, { invoked: number; awsOperations: string[] }>;
  };
  const missing: string[] = [];
  let operations = 0;
  let functionsCalling = 0;
  let queueSends = 0;
  const deadLetterSenders = new Set<string>();
  for (const [name, stats] of Object.entries(status.invocations) as Array<
    [FunctionName, { invoked: number; awsOperations: string[] }]
  >) {
    // With the project's transport (e2e-smtp reads the SMTP secret, and may not call SES).
    const allowed = dataActionsOf(functions[name].access, runtime().mail.transport);
    if (stats.awsOperations.length > 0) functionsCalling++;
    for (const reported of stats.awsOperations) {
      // `AmazonSQS.SendMessageBatch@gonghui-hr-dlq`: an operation and the queue it went to.
      const [operation, queue] = reported.split('@') as [string, string | undefined];
      if (queue !== undefined) {
        queueSends++;
        if (queue.endsWith('-dlq') || queue === physicalQueueName(queues.outboxFailures.name))
          deadLetterSenders.add(name);
        if (!sendableQueues(name).has(queue))
          missing.push(`${name}: ${operation} to ${queue} is not granted`);
        continue;
      }
      operations++;
      const action = iamActionOf(operation);
      if (action && !allowed.includes(action)) missing.push(`${name}: ${operation} needs ${action}`);
    }
  }
  recordFigure({
    id: 'aws.least-privilege.run',
    section: 'aws',
    what: 'distinct AWS operations each function called in the full e2e run, checked against its granted actions',
    counts: {
      'functions that called AWS': functionsCalling,
      'distinct operations': operations,
      'sends checked queue by queue': queueSends,
      'functions that dead-lettered a message': deadLetterSenders.size,
      'not granted': missing.length,
    },
    command: 'npm test',
  });
  expect(missing).toEqual([]);
  // A run in which nothing called AWS would prove nothing.
  expect(operations).toBeGreaterThan(5);
  // The bad-input run puts malformed messages on every consumer's queue, and malformed items in
  // the outbox: each consumer sent them to its own dead-letter queue, which the check above saw.
  expect([...deadLetterSenders].sort()).toEqual([
    'enrol-member',
    'grant-care',
    'open-bereavement',
    'publish-outbox',
    'send-email',
  ]);
});
