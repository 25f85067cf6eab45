/**
 * The embedded runtime: the whole system on 127.0.0.1, from the same topology as the AWS stack.
 * DynamoDB Local, fauxqs (SQS) and aws-ses-v2-local (SES) are the real emulators; the bus, the
 * scheduler, the event source mappings, the stream poller and the HTTP gateway are small
 * stand-ins in this directory. Handlers run unchanged, bundled as for AWS, each instance in its
 * own worker thread; their SDK clients find the emulators through AWS_ENDPOINT_URL_<SERVICE>.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { ENV, type EnvName } from '../../shared/config/env-names.ts';
import {
  APP_NAME,
  bus,
  dlqName,
  type FunctionName,
  functions,
  mailConcurrency,
  type QueueKey,
  queues,
  routes,
  TIME_ZONE,
  table,
  triggersOf,
} from '../topology.ts';
import { type DynamoMeter, startDynamoMeter } from './dynamo-meter.ts';
import { startDynamoLocal } from './dynamodb.ts';
import { type LocalEventBus, startEventBus } from './event-bus.ts';
import { type LocalGateway, startGateway } from './gateway.ts';
import { type LocalIssuer, loadOrCreateIssuer } from './issuer.ts';
import { buildFunctions, LambdaHost } from './lambda-host.ts';
import { QueuePoller } from './queue-poller.ts';
import { type LocalScheduler, startScheduler } from './scheduler.ts';
import { startSesLocal } from './ses.ts';
import { startSqsLocal } from './sqs.ts';
import { StreamPoller } from './stream-poller.ts';

export const REGION = 'ap-east-1';
export const ACCOUNT_ID = '000000000000';

export interface RuntimeOptions {
  dataDir: string;
  /** API port; 0 takes a free one. Default 3000. */
  port?: number;
  /** The SES maximum send rate send-email paces to (mails per second). Default 14. */
  sesMaxSendRate?: number;
  /** Shorter visibility timeouts (tests: a poison message reaches its DLQ within seconds). */
  visibilityTimeoutSeconds?: number;
  /** Put a counting proxy in front of DynamoDB Local (benchmarks). */
  meterDynamo?: boolean;
  log?: (line: string) => void;
}

export interface RuntimeInfo {
  pid: number;
  startedAt: string;
  dataDir: string;
  apiUrl: string;
  inboxUrl: string;
  controlUrl: string;
  region: string;
  accountId: string;
  tableName: string;
  busName: string;
  endpoints: { dynamodb: string; sqs: string; ses: string; eventbridge: string };
  queues: Record<QueueKey, { name: string; url: string; dlqUrl: string; arn: string }>;
  issuer: { issuer: string; audience: string; keyFile: string };
}

export interface RuntimeStatus {
  idle: boolean;
  queues: Record<string, { visible: number; inflight: number; delayed: number; dlqVisible: number }>;
  stream: { idle: boolean; lastPollAt: string };
  bus: { inflight: number; published: number };
  invocations: Record<string, { inflight: number; invoked: number; failed: number; instances: number }>;
}

export interface Runtime {
  info: RuntimeInfo;
  issuer: LocalIssuer;
  dynamoMeter?: DynamoMeter;
  status(): Promise<RuntimeStatus>;
  invoke(fn: FunctionName, event: unknown): Promise<unknown>;
  fireSchedule(id: string, at?: Date): Promise<void>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const queueName = (name: string) => `${APP_NAME}-${name}`;
const queueEnv: Partial<Record<EnvName, QueueKey>> = { [ENV.careQueueUrl]: 'care' };

const ensureTable = async (ddb: DynamoDBClient) => {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: table.name }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Set<string>([
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  await ddb.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream },
    }),
  );
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: table.name,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  );
};

const ensureQueues = async (sqs: SQSClient, visibilityOverride?: number) => {
  const result = {} as RuntimeInfo['queues'];
  for (const key of Object.keys(queues) as QueueKey[]) {
    const spec = queues[key];
    const retention = String(spec.retentionDays * 86_400);
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName(dlqName(spec)),
        Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
      }),
    );
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: queueName(spec.name),
        Attributes: {
          VisibilityTimeout: String(visibilityOverride ?? spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: retention,
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: spec.maxReceiveCount,
          }),
        },
      }),
    );
    const arn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn;
    result[key] = { name: queueName(spec.name), url: queue.QueueUrl!, dlqUrl: dlq.QueueUrl!, arn: arn! };
  }
  return result;
};

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const log = options.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => log(`stop: ${e.message}`));
  };
  try {
    const [dynamo, sqsLocal, sesLocal, bundles, issuer] = await Promise.all([
      startDynamoLocal(dataDir),
      startSqsLocal(dataDir, REGION),
      startSesLocal(dataDir),
      buildFunctions(join(dataDir, 'build')),
      loadOrCreateIssuer(join(dataDir, 'issuer')),
    ]);
    stops.push(dynamo.stop, sqsLocal.stop, sesLocal.stop);
    const meter = options.meterDynamo ? await startDynamoMeter(dynamo.endpoint) : undefined;
    if (meter) stops.push(meter.stop);
    const dynamoEndpoint = meter?.endpoint ?? dynamo.endpoint;

    const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
    const sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: REGION, credentials });
    const streams = new DynamoDBStreamsClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
    stops.push(async () => {
      ddb.destroy();
      sqs.destroy();
      streams.destroy();
    });
    const [, queueInfo] = await Promise.all([
      ensureTable(ddb),
      ensureQueues(sqs, options.visibilityTimeoutSeconds),
    ]);

    const eventBus: LocalEventBus = await startEventBus({
      busName: bus.name,
      region: REGION,
      accountId: ACCOUNT_ID,
      rules: bus.rules,
      deliver: async (ruleId, event) => {
        const rule = bus.rules.find((r) => r.id === ruleId)!;
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueInfo[rule.target.queue].url,
            MessageBody: JSON.stringify(event),
          }),
        );
      },
      log,
    });
    stops.push(eventBus.stop);

    const envValues: Record<EnvName, string> = {
      [ENV.tableName]: table.name,
      [ENV.eventBusName]: bus.name,
      [ENV.mailFrom]: '"工会 Gonghui" <union@gonghui.local>',
      [ENV.sesMaxSendRate]: String(options.sesMaxSendRate ?? 14),
      [ENV.mailConcurrency]: String(mailConcurrency()),
      [ENV.unionContactEmail]: 'union@gonghui.local',
      [ENV.membershipPrefix]: 'GLU',
      [ENV.congressSession]: String(new Date().getFullYear()),
      [ENV.proposalSecondersRequired]: '2',
      [ENV.proposalMaxReassignments]: '1',
      [ENV.careQueueUrl]: queueInfo.care.url,
      [ENV.powertoolsServiceName]: '',
      [ENV.logLevel]: 'INFO',
    };
    const envOf = (name: FunctionName): Record<string, string> => ({
      ...Object.fromEntries(
        (functions[name].environment as readonly EnvName[]).map((e) => [
          e,
          e === ENV.powertoolsServiceName ? name : queueEnv[e] ? queueInfo[queueEnv[e]!].url : envValues[e],
        ]),
      ),
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsLocal.endpoint,
      AWS_ENDPOINT_URL_SES: sesLocal.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBus.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(functions[name].memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      TZ: 'UTC',
    });
    const host = new LambdaHost(bundles, envOf, join(dataDir, 'logs'), REGION, ACCOUNT_ID);
    stops.push(() => host.stop());

    const queuePollers = triggersOf('queue').map(
      ({ function: fn, trigger }) =>
        new QueuePoller({
          sqs,
          queueUrl: queueInfo[trigger.queue].url,
          queueArn: queueInfo[trigger.queue].arn,
          region: REGION,
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          visibilityTimeoutSeconds:
            options.visibilityTimeoutSeconds ?? queues[trigger.queue].visibilityTimeoutSeconds,
          invoke: (event: SQSEvent) => host.invoke(fn, event),
          log,
        }),
    );
    stops.push(async () => {
      await Promise.all(queuePollers.map((p) => p.stop()));
    });

    const streamArn = (await ddb.send(new DescribeTableCommand({ TableName: table.name }))).Table
      ?.LatestStreamArn;
    if (!streamArn) throw new Error('the table has no stream');
    const streamPollers = triggersOf('stream').map(
      ({ function: fn, trigger }) =>
        new StreamPoller({
          streams,
          streamArn,
          region: REGION,
          batchSize: trigger.batchSize,
          retryAttempts: trigger.retryAttempts,
          filter: trigger.filter,
          checkpointFile: join(dataDir, `streams-${fn}.json`),
          onFailure: { sqs, queueUrl: queueInfo[trigger.onFailure].url },
          invoke: (event) => host.invoke(fn, event),
          log,
        }),
    );
    stops.push(async () => {
      await Promise.all(streamPollers.map((p) => p.stop()));
    });

    const scheduler: LocalScheduler = startScheduler({
      schedules: triggersOf('schedule').map(({ function: fn, trigger }) => ({
        id: trigger.id,
        cron: trigger.cron,
        timeZone: TIME_ZONE,
        input: trigger.input,
        invoke: async (payload: unknown) => {
          await host.invoke(fn, payload);
        },
      })),
      stateFile: join(dataDir, 'scheduler.json'),
      log,
    });
    stops.push(() => scheduler.stop());

    const gateway: LocalGateway = await startGateway({
      port: options.port ?? 3000,
      routes: routes().map((r) => ({
        method: r.method,
        path: r.path,
        auth: r.auth,
        function: r.function,
        invoke: (event) => host.invoke(r.function, event) as Promise<never>,
      })),
      verify: (token) => issuer.verify(token),
      extra: (req, res) => {
        if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(issuer.jwks));
          return true;
        }
        return false;
      },
      accountId: ACCOUNT_ID,
      log,
    });
    stops.push(gateway.stop);

    const status = async (): Promise<RuntimeStatus> => {
      const queueStatus: RuntimeStatus['queues'] = {};
      for (const key of Object.keys(queueInfo) as QueueKey[]) {
        const attrs = async (url: string) =>
          (
            await sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: url,
                AttributeNames: [
                  'ApproximateNumberOfMessages',
                  'ApproximateNumberOfMessagesNotVisible',
                  'ApproximateNumberOfMessagesDelayed',
                ],
              }),
            )
          ).Attributes ?? {};
        const [q, d] = await Promise.all([attrs(queueInfo[key].url), attrs(queueInfo[key].dlqUrl)]);
        queueStatus[key] = {
          visible: Number(q.ApproximateNumberOfMessages ?? 0),
          inflight: Number(q.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(q.ApproximateNumberOfMessagesDelayed ?? 0),
          dlqVisible: Number(d.ApproximateNumberOfMessages ?? 0),
        };
      }
      const stream = streamPollers[0]?.status() ?? { idle: true, lastPollAt: '' };
      const busy =
        Object.values(queueStatus).some((q) => q.visible + q.inflight + q.delayed > 0) ||
        !stream.idle ||
        eventBus.inflight() > 0 ||
        host.inflight() > 0 ||
        queuePollers.some((p) => p.inflight() > 0);
      return {
        idle: !busy,
        queues: queueStatus,
        stream,
        bus: { inflight: eventBus.inflight(), published: eventBus.published() },
        invocations: host.stat(),
      };
    };

    const control: Server = createServer(async (req, res) => {
      try {
        if (req.method === 'GET' && req.url === '/status') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(await status()));
          return;
        }
        const fire = /^\/schedules\/([\w-]+)\/fire$/.exec(req.url ?? '');
        if (req.method === 'POST' && fire) {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const body = chunks.length
            ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { at?: string })
            : {};
          await scheduler.fire(fire[1]!, body.at ? new Date(body.at) : undefined);
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end('{"fired":true}');
          return;
        }
        res.writeHead(404).end();
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: (error as Error).message }));
      }
    });
    await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
    stops.push(
      () =>
        new Promise<void>((r) => {
          control.close(() => r());
          control.closeAllConnections();
        }),
    );
    const controlPort = (control.address() as { port: number }).port;

    const info: RuntimeInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      dataDir,
      apiUrl: gateway.url,
      inboxUrl: `${sesLocal.endpoint}/`,
      controlUrl: `http://127.0.0.1:${controlPort}`,
      region: REGION,
      accountId: ACCOUNT_ID,
      tableName: table.name,
      busName: bus.name,
      endpoints: {
        dynamodb: dynamoEndpoint,
        sqs: sqsLocal.endpoint,
        ses: sesLocal.endpoint,
        eventbridge: eventBus.endpoint,
      },
      queues: queueInfo,
      issuer: { issuer: issuer.issuer, audience: issuer.audience, keyFile: issuer.keyFile },
    };
    const infoFile = join(dataDir, 'runtime.json');
    writeFileSync(infoFile, JSON.stringify(info, null, 2));

    let stopping: Promise<void> | undefined;
    return {
      info,
      issuer,
      ...(meter ? { dynamoMeter: meter } : {}),
      status,
      invoke: (fn, event) => host.invoke(fn, event),
      fireSchedule: (id, at) => scheduler.fire(id, at),
      stop: () => {
        stopping ??= (async () => {
          rmSync(infoFile, { force: true });
          await stopAll();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
