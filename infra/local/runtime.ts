/**
 * The embedded runtime: the whole system on 127.0.0.1, from the same topology as the AWS stack.
 * DynamoDB Local, fauxqs (SQS) and aws-ses-v2-local (SES) are real emulators, and with the smtp
 * mail transport a real SMTP server (smtp.ts) takes SES's place; the bus, the scheduler, the
 * gateway, the event source mappings and Secrets Manager are the small stand-ins beside this file.
 * Handlers run unchanged, bundled as for AWS, each instance in its own worker thread; their SDK
 * clients find the emulators through AWS_ENDPOINT_URL_<SERVICE>.
 *
 * Everything lives under `dataDir` (tables, queues, mail, checkpoints, keys, logs, bundles), so
 * data survives a restart, and two runtimes with different data directories and API ports run
 * side by side. `<dataDir>/runtime.json` says where a running one listens (the CLI reads it).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyResultV2, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import type { MailTransport } from '../../shared/config/mail-transport.ts';
import { ensureWebBuilt, WEB_DIST } from '../../web/tools/build.ts';
import {
  bus,
  deadLetterOnlyQueues,
  deadLetterQueueOf,
  type FunctionName,
  type FunctionSpec,
  functionNames,
  functionSpec,
  type QueueKey,
  routes,
  TIME_ZONE,
  type Trigger,
  table,
  triggersOf,
} from '../topology.ts';
import { buildBundles } from './bundles.ts';
import { type ControlServer, startControlServer } from './control-server.ts';
import { type DynamoMeter, startDynamoMeter } from './dynamo-meter.ts';
import { checkJava, startDynamoDbLocal } from './dynamodb.ts';
import { type LocalEventBus, startEventBus } from './event-bus.ts';
import type { FaultProxy, FaultRules, FaultService } from './fault-proxy.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { type LocalGateway, startGateway } from './gateway.ts';
import { type LocalIssuer, loadOrCreateIssuer } from './issuer.ts';
import {
  type HostedFunction,
  type InvocationStats,
  type LambdaHost,
  startLambdaHost,
  taskRoot,
} from './lambda-host.ts';
import {
  ACCOUNT_ID,
  DEFAULT_SES_MAX_SEND_RATE,
  functionEnvironment,
  LOCAL_CREDENTIALS,
  LOCAL_PARTITION,
  LOCAL_SMTP_SECRET_ID,
  type LocalEndpoints,
  type LocalSettings,
  localEnvValues,
  REGION,
} from './local-env.ts';
import { OIDC_MOUNT, startLocalOidc } from './oidc.ts';
import { assertPortFree, freePort, PortInUseError, sleep } from './ports.ts';
import { type QueuePoller, startQueuePoller } from './queue-poller.ts';
import { ensureQueues, ensureTable, type QueueInfo } from './resources.ts';
import { type LocalScheduler, startScheduler } from './scheduler.ts';
import { startLocalSecrets } from './secrets.ts';
import { startSesLocal } from './ses.ts';
import { startSmtpLocal } from './smtp.ts';
import { startSqsLocal } from './sqs.ts';
import { sqsJson } from './sqs-json.ts';
import { openCheckpoints } from './stream-checkpoints.ts';
import { type StreamPoller, startStreamPoller } from './stream-poller.ts';
import { createWebHost } from './web-host.ts';

export { ACCOUNT_ID, REGION } from './local-env.ts';

export interface RuntimeOptions {
  dataDir: string;
  /** The API's port on 127.0.0.1; 0 takes a free one. Default 3000. */
  port?: number;
  /**
   * `ses` (default: the SES emulator) or `smtp` (a local SMTP server, and no SES: as in aws-cn).
   * GONGHUI_MAIL_TRANSPORT for `npm start`.
   */
  mailTransport?: MailTransport;
  /** The rate send-email paces to (mails per second), whichever the transport. Default 14. */
  mailMaxSendRate?: number;
  /** The same as mailMaxSendRate (its name from when SES was the only transport). */
  sesMaxSendRate?: number;
  /** Overrides every queue's visibility timeout (tests: a poison message reaches its DLQ in seconds). */
  visibilityTimeoutSeconds?: number;
  /**
   * Overrides single queues' on top of it. The notify queue's is also send-email's claim lease:
   * at a low send rate a batch of mails takes longer than 2 s, and must not be redelivered
   * while it is still being sent (on AWS: 720 s against the function's 120).
   */
  visibilityTimeouts?: Partial<Record<QueueKey, number>>;
  /** Puts a counting proxy between the functions and DynamoDB Local (benchmarks). */
  meterDynamo?: boolean;
  /** Runtime events (requests, bus routing, schedules, failed batches); quiet when absent. */
  log?: (line: string) => void;
  /** Settings the AWS stack takes as deployment parameters (enrolment mode, dispatched staff). */
  settings?: LocalSettings;
  /**
   * Puts fault proxies between the functions and DynamoDB and SES (tests, soak runs), and opens
   * the local SMTP server's own fault points: faults are then injected through the control server
   * (POST /faults/<dynamodb|ses|smtp>). See fault-proxy.ts and smtp.ts.
   */
  faults?: boolean;
}

/** `<dataDir>/runtime.json`. */
export interface RuntimeInfo {
  pid: number;
  startedAt: string;
  dataDir: string;
  apiUrl: string;
  /** The web inbox of whichever transport is in use (the SES emulator's, or the SMTP server's). */
  inboxUrl: string;
  /**
   * Where sent mail can be read, whichever the transport: both serve `/store` the same way
   * (`gonghui mail list` and the e2e tests read it through listMail).
   */
  mail: { transport: MailTransport; storeUrl: string; smtp?: { host: string; port: number } };
  controlUrl: string;
  region: string;
  accountId: string;
  tableName: string;
  busName: string;
  /** `ses` only with the ses transport, `secretsmanager` only with smtp. */
  endpoints: { dynamodb: string; sqs: string; ses?: string; eventbridge: string; secretsmanager?: string };
  queues: Record<QueueKey, QueueInfo>;
  issuer: { issuer: string; audience: string; keyFile: string };
  /** Where each function's output goes: `<logDir>/<function>.log`. */
  logDir: string;
}

export interface QueueStatus {
  visible: number;
  inflight: number;
  delayed: number;
  dlqVisible: number;
}

export interface RuntimeStatus {
  /**
   * Nothing left to do: every queue a function consumes empty (DLQs and the stream's on-failure
   * queue aside: they hold dead letters), the stream drained, nothing running.
   */
  idle: boolean;
  queues: Record<QueueKey, QueueStatus>;
  stream: { idle: boolean; lastPollAt: string | null; inflight: number; failedBatches: number };
  bus: { inflight: number; published: number };
  gateway: { inflight: number };
  invocations: Record<FunctionName, InvocationStats>;
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

export class RuntimeAlreadyRunningError extends Error {
  override name = 'RuntimeAlreadyRunningError';
  constructor(dataDir: string, pid: number) {
    super(
      `A runtime is already running on ${dataDir} (pid ${pid}): stop it first, or use another GONGHUI_DATA_DIR`,
    );
  }
}

export { JavaMissingError } from './dynamodb.ts';
export { PortInUseError } from './ports.ts';

/** Instances of a function that is not (only) fed by a queue: enough for a burst of API clients (instances start lazily). */
const DEFAULT_CONCURRENCY = 20;
/** How long stop() lets invocations under way finish before ending their instances. */
const STOP_GRACE_MS = 10_000;
/** How long status() waits for the stream poller to look at every shard once more. */
const STREAM_SETTLE_MS = 1_000;

// ---------------------------------------------------------------------------------------------
// What gets wired: the topology's triggers, by kind. Pure, and tested: every function is wired.

export const wiring = () => ({
  queues: triggersOf('queue'),
  streams: triggersOf('stream'),
  schedules: triggersOf('schedule'),
  routes: routes(),
});

/** Queue mappings scale to their maxConcurrency; other callers share the default. */
export const concurrencyOf = (name: FunctionName): number => {
  const triggers = functionSpec(name).triggers as readonly Trigger[];
  const fromQueues = triggers.reduce((n, t) => n + (t.kind === 'queue' ? t.maxConcurrency : 0), 0);
  return fromQueues + (triggers.some((t) => t.kind !== 'queue') ? DEFAULT_CONCURRENCY : 0);
};

// ---------------------------------------------------------------------------------------------

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Refuses a data directory another live runtime uses (two DynamoDB Locals on one file corrupt it). */
const assertNotRunning = (dataDir: string, infoFile: string) => {
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(infoFile, 'utf8')) as Partial<RuntimeInfo>).pid;
  } catch {
    return;
  }
  if (typeof pid === 'number' && isAlive(pid)) throw new RuntimeAlreadyRunningError(dataDir, pid);
};

const writeAtomically = (file: string, text: string) => {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
};

/**
 * The runtime's own SDK clients, with timeouts: an emulator that hangs must not hang the runtime.
 * `sockets` is the connection pool; the SDK's default (50) suits everything but the pollers.
 */
const clientConfig = (endpoint: string, sockets = 50) => ({
  endpoint,
  region: REGION,
  credentials: LOCAL_CREDENTIALS,
  requestHandler: new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: true, maxSockets: sockets }),
    connectionTimeout: 2_000,
    requestTimeout: 30_000,
  }),
});

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

interface Timed<T> {
  value: T;
  ms: number;
}
const timed = async <T>(promise: Promise<T>): Promise<Timed<T>> => {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
};
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** Resolves when `promise` settles or after `ms`, whichever is first. */
const within = (promise: Promise<unknown>, ms: number) =>
  Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    sleep(ms),
  ]);

const apiRoutesForWeb = () => routes().map(({ method, path, auth }) => ({ method, path, auth }));

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const dataDir = resolve(options.dataDir);
  // A free port is chosen now rather than by the gateway: the functions' environment names the
  // API's URL (invitation links), and it is built before the gateway starts.
  const port = options.port === 0 ? await freePort() : (options.port ?? 3000);
  const log = options.log;
  const infoFile = join(dataDir, 'runtime.json');
  mkdirSync(dataDir, { recursive: true });
  assertNotRunning(dataDir, infoFile);
  // Lambda runs in UTC, and a time zone is per process (a worker's TZ changes nothing), so the
  // process hosting the functions runs in UTC.
  process.env.TZ = 'UTC';
  // Both fail in a second with one line, before anything starts: a taken port, no Java.
  await Promise.all([assertPortFree(port), checkJava()]);

  // Everything started so far, stopped in reverse order if a later step fails.
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };

  try {
    const transport: MailTransport = options.mailTransport ?? 'ses';
    // A crash fault of the SMTP server reaches the lambda host (started below) through this.
    let crashFunction: (fn: string) => void = () => {};
    // The slow parts at once: DynamoDB Local's JVM (~2-3 s) and the bundles (~2 s cold).
    const origin = `http://127.0.0.1:${port}`;
    const [dynamoStart, sqsStart, mailStart, buildStart, issuerStart, webStart] = await Promise.allSettled([
      timed(startDynamoDbLocal({ dataDir })),
      startSqsLocal({ dataDir, region: REGION }),
      transport === 'ses'
        ? startSesLocal({ dataDir }).then((ses) => ({ ses, smtp: undefined }))
        : startSmtpLocal({ dataDir, crash: (fn) => crashFunction(fn) }).then((smtp) => ({
            ses: undefined,
            smtp,
          })),
      timed(
        buildBundles({
          root: PROJECT_ROOT,
          outDir: join(dataDir, 'build'),
          cacheDir: join(PROJECT_ROOT, 'node_modules', '.cache', 'gonghui-local', 'build'),
          entries: functionNames.map((name) => ({ name, entry: functionSpec(name).entry })),
        }),
      ),
      // The local OpenID provider signs with the issuer's key under its own issuer name.
      loadOrCreateIssuer(join(dataDir, 'issuer'), { alsoTrusted: () => [`${origin}${OIDC_MOUNT}`] }),
      // The web app, rebuilt only when its sources changed (seconds when they did).
      timed(ensureWebBuilt()),
    ]);
    // What did start is stopped again if anything else failed.
    if (dynamoStart.status === 'fulfilled') cleanups.push(() => dynamoStart.value.value.stop());
    if (sqsStart.status === 'fulfilled') cleanups.push(() => sqsStart.value.stop());
    if (mailStart.status === 'fulfilled')
      cleanups.push(() => (mailStart.value.ses ?? mailStart.value.smtp)!.stop());
    for (const outcome of [dynamoStart, sqsStart, mailStart, buildStart, issuerStart, webStart]) {
      if (outcome.status === 'rejected') throw outcome.reason;
    }
    const settledValue = <T>(outcome: PromiseSettledResult<T>): T =>
      (outcome as PromiseFulfilledResult<T>).value;
    const { value: dynamo, ms: dynamoMs } = settledValue(dynamoStart);
    const { value: built, ms: buildMs } = settledValue(buildStart);
    const sqsLocal = settledValue(sqsStart);
    const { ses, smtp } = settledValue(mailStart);
    // The SMTP server's account, where send-email reads it on AWS: a secret (with the server's
    // certificate as the CA to trust, as a campus CA would be).
    const secrets = smtp
      ? await startLocalSecrets({
          region: REGION,
          accountId: ACCOUNT_ID,
          secrets: {
            [LOCAL_SMTP_SECRET_ID]: JSON.stringify({ ...smtp.account, ca: smtp.ca }),
          },
        })
      : undefined;
    if (secrets) cleanups.push(secrets.stop);
    const issuer = settledValue(issuerStart);
    const web = settledValue(webStart);
    log?.(
      `DynamoDB Local ready in ${seconds(dynamoMs)} s; functions ${built.how} in ${seconds(buildMs)} s; web app ${web.value} in ${seconds(web.ms)} s`,
    );
    const oidc = await startLocalOidc({ origin, signingKey: issuer.privateJwk, audience: issuer.audience });
    const webHost = createWebHost({
      distDir: WEB_DIST,
      routes: apiRoutesForWeb(),
      config: { ...oidc.webConfig, apiBase: '/api', local: true },
    });

    const meter = options.meterDynamo
      ? await startDynamoMeter(dynamo.endpoint, { indexes: table.indexes })
      : undefined;
    if (meter) cleanups.push(meter.stop);

    const ddb = new DynamoDBClient(clientConfig(dynamo.endpoint));
    const streams = new DynamoDBStreamsClient(clientConfig(dynamo.endpoint));
    const sqs = new SQSClient(clientConfig(sqsLocal.endpoint));
    // Its own pool for the pollers: each long poll holds a connection for up to a second, and the
    // bus's deliveries must not queue behind them.
    const pollingSqs = new SQSClient(clientConfig(sqsLocal.endpoint, 64));
    cleanups.push(async () => {
      ddb.destroy();
      streams.destroy();
      sqs.destroy();
      pollingSqs.destroy();
    });
    const [streamArn, queueInfo] = await Promise.all([
      ensureTable(ddb, table),
      ensureQueues(sqs, sqsLocal.endpoint, {
        ...(options.visibilityTimeoutSeconds !== undefined
          ? { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds }
          : {}),
        ...(options.visibilityTimeouts ? { visibilityTimeouts: options.visibilityTimeouts } : {}),
      }),
    ]);

    // The bus: each rule's target is a queue; the message body is the event, as EventBridge's SQS target sends it.
    const eventBus: LocalEventBus = await startEventBus({
      busName: bus.name,
      region: REGION,
      accountId: ACCOUNT_ID,
      rules: bus.rules,
      deliver: async (ruleId, event) => {
        const rule = bus.rules.find((r) => r.id === ruleId);
        if (!rule) throw new Error(`no rule ${ruleId}`);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueInfo[rule.target.queue].url,
            MessageBody: sqsJson(event),
          }),
        );
      },
      ...(log ? { log: (line: string) => log(`bus: ${line}`) } : {}),
    });
    cleanups.push(eventBus.stop);

    const endpoints: LocalEndpoints = {
      dynamodb: meter?.endpoint ?? dynamo.endpoint,
      dynamodbStreams: dynamo.endpoint,
      sqs: sqsLocal.endpoint,
      ...(ses ? { ses: ses.endpoint } : {}),
      eventbridge: eventBus.endpoint,
      ...(secrets ? { secretsmanager: secrets.endpoint } : {}),
    };
    const logDir = join(dataDir, 'logs');
    // The lambda host exists only below; a crash fault reaches it through crashFunction.
    const proxy = (service: 'dynamodb' | 'ses', upstream: string) =>
      startFaultProxy({ service, upstream, crash: (fn) => crashFunction(fn) });
    const faultProxies = options.faults
      ? {
          dynamodb: await proxy('dynamodb', endpoints.dynamodb),
          ses: ses ? await proxy('ses', ses.endpoint) : undefined,
        }
      : undefined;
    if (faultProxies) {
      cleanups.push(faultProxies.dynamodb.stop);
      if (faultProxies.ses) cleanups.push(faultProxies.ses.stop);
    }
    /** Where faults go, per service: the proxies, and the SMTP server's own fault points. */
    const faultRules: Partial<Record<FaultService, FaultRules | FaultProxy>> = faultProxies
      ? {
          dynamodb: faultProxies.dynamodb,
          ...(faultProxies.ses ? { ses: faultProxies.ses } : {}),
          ...(smtp ? { smtp: smtp.faults } : {}),
        }
      : {};
    const endpointsOf = (name: FunctionName): LocalEndpoints =>
      faultProxies
        ? {
            ...endpoints,
            dynamodb: faultProxies.dynamodb.endpointFor(name),
            ...(faultProxies.ses ? { ses: faultProxies.ses.endpointFor(name) } : {}),
          }
        : meter
          ? { ...endpoints, dynamodb: meter.endpointFor(name) }
          : endpoints;
    /** Where a function's dead letters go (the same queue the stack grants it): '-' for none. */
    const ownDeadLetterQueueUrl = (spec: FunctionSpec): string => {
      if (!spec.access.deadLetters) return '-';
      const target = deadLetterQueueOf(spec);
      return target.dlq ? queueInfo[target.queue].dlqUrl : queueInfo[target.queue].url;
    };
    const notifyVisibility = options.visibilityTimeouts?.notify ?? options.visibilityTimeoutSeconds;
    const hosted: HostedFunction[] = functionNames.map((name) => {
      const spec = functionSpec(name);
      const bundle = built.bundles[name]!;
      return {
        name,
        bundle,
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        concurrency: concurrencyOf(name),
        env: functionEnvironment({
          name,
          spec,
          mailTransport: transport,
          values: localEnvValues({
            functionName: name,
            mailMaxSendRate: options.mailMaxSendRate ?? options.sesMaxSendRate ?? DEFAULT_SES_MAX_SEND_RATE,
            mailTransport: transport,
            ...(smtp ? { smtp: { host: smtp.host, port: smtp.port } } : {}),
            careQueueUrl: queueInfo.care.url,
            deadLetterQueueUrl: ownDeadLetterQueueUrl(spec),
            apiUrl: `http://127.0.0.1:${port}`,
            ...(notifyVisibility !== undefined ? { mailClaimLeaseSeconds: notifyVisibility } : {}),
            ...(options.settings ? { settings: options.settings } : {}),
          }),
          endpoints: endpointsOf(name),
          bundleDir: taskRoot(bundle),
        }),
      };
    });
    const host: LambdaHost = startLambdaHost({
      functions: hosted,
      logDir,
      region: REGION,
      accountId: ACCOUNT_ID,
    });
    cleanups.push(() => host.stop({ graceMs: STOP_GRACE_MS }));
    crashFunction = (fn) => host.crash(fn);
    const invoke = (fn: FunctionName, event: unknown) => host.invoke(fn, event);
    const functionArn = (fn: FunctionName) =>
      `arn:${LOCAL_PARTITION}:lambda:${REGION}:${ACCOUNT_ID}:function:${fn}`;

    const { queues: queueTriggers, streams: streamTriggers, schedules, routes: apiRoutes } = wiring();
    const queuePollers: QueuePoller[] = queueTriggers.map(({ function: fn, trigger }) =>
      startQueuePoller({
        sqs: pollingSqs,
        queueUrl: queueInfo[trigger.queue].url,
        queueArn: queueInfo[trigger.queue].arn,
        region: REGION,
        batchSize: trigger.batchSize,
        maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds,
        maxConcurrency: trigger.maxConcurrency,
        invoke: (event: SQSEvent) => invoke(fn, event),
        ...(log ? { log: (line: string) => log(`${fn}: ${line}`) } : {}),
      }),
    );
    const streamPollers: StreamPoller[] = streamTriggers.map(({ function: fn, trigger }) =>
      startStreamPoller({
        streams,
        streamArn,
        region: REGION,
        functionArn: functionArn(fn),
        batchSize: trigger.batchSize,
        retryAttempts: trigger.retryAttempts,
        filter: trigger.filter,
        checkpoints: openCheckpoints(join(dataDir, 'streams.json'), fn, streamArn),
        invoke: (event: DynamoDBStreamEvent) => invoke(fn, event),
        onFailure: async (failure) => {
          await sqs.send(
            new SendMessageCommand({
              QueueUrl: queueInfo[trigger.onFailure].url,
              MessageBody: sqsJson(failure),
            }),
          );
        },
        ...(log ? { log: (line: string) => log(`${fn}: ${line}`) } : {}),
      }),
    );
    // Stopped before the host ends the instances their invocations run on (see stop()).
    const stopPollers = () =>
      within(Promise.all([...queuePollers, ...streamPollers].map((p) => p.stop())), STOP_GRACE_MS);
    cleanups.push(stopPollers);

    const scheduler: LocalScheduler = startScheduler({
      schedules: schedules.map(({ function: fn, trigger }) => ({
        id: trigger.id,
        cron: trigger.cron,
        timeZone: TIME_ZONE,
        input: trigger.input,
        invoke: async (payload: unknown) => {
          await invoke(fn, payload);
        },
      })),
      stateFile: join(dataDir, 'scheduler.json'),
      // Scheduler's retry policy in the AWS stack: three retries.
      retry: { attempts: 4 },
      ...(log ? { log } : {}),
    });
    cleanups.push(() => within(scheduler.stop(), STOP_GRACE_MS));

    let gateway: LocalGateway;
    try {
      gateway = await startGateway({
        port,
        routes: apiRoutes.map((route) => ({
          method: route.method,
          path: route.path,
          auth: route.auth,
          function: route.function,
          invoke: (event) => invoke(route.function, event) as Promise<APIGatewayProxyResultV2>,
        })),
        verify: async (token) => ({ ...(await issuer.verify(token)) }),
        // The issuer's public keys, where an API Gateway JWT authorizer would fetch them; the
        // local OpenID provider and /dev/sign-in; the web app's pages.
        extra: async (req, res) => {
          if (await oidc.handle(req, res)) return true;
          if (webHost.handle(req, res)) return true;
          if (req.method !== 'GET' || req.url?.split('?')[0] !== '/.well-known/jwks.json') return false;
          const body = JSON.stringify(issuer.jwks);
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
          return true;
        },
        accountId: ACCOUNT_ID,
        ...(log ? { log: (line: string) => log(`api: ${line}`) } : {}),
      });
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new PortInUseError(port) : error;
    }
    cleanups.push(gateway.stop);

    const scheduleList = () =>
      schedules.map(({ function: fn, trigger }) => ({
        id: trigger.id,
        function: fn,
        next: scheduler.next(trigger.id)?.toISOString() ?? null,
      }));

    const queueStatus = async (info: QueueInfo): Promise<QueueStatus> => {
      const counts = async (url: string) =>
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
      const [queue, dlq] = await Promise.all([counts(info.url), counts(info.dlqUrl)]);
      return {
        visible: Number(queue.ApproximateNumberOfMessages ?? 0),
        inflight: Number(queue.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(queue.ApproximateNumberOfMessagesDelayed ?? 0),
        dlqVisible: Number(dlq.ApproximateNumberOfMessages ?? 0),
      };
    };

    /** Everything that moves work along, summed: a change while status() looks means "not idle". */
    const activity = () =>
      eventBus.published() +
      Object.values(host.stats()).reduce((n, s) => n + s.invoked, 0) +
      queuePollers.reduce((n, p) => n + p.stats().received, 0);
    const busy = () =>
      eventBus.inflight() +
      host.inflight() +
      gateway.inflight() +
      queuePollers.reduce((n, p) => n + p.inflight(), 0);

    const status = async (): Promise<RuntimeStatus> => {
      const before = activity();
      const busyBefore = busy();
      const queueKeys = Object.keys(queueInfo) as QueueKey[];
      const counts = await Promise.all(queueKeys.map((key) => queueStatus(queueInfo[key])));
      // After the queues: a record written by a function that already deleted its message is seen here.
      await Promise.all(streamPollers.map((p) => within(p.settled(), STREAM_SETTLE_MS)));
      const streamStates = streamPollers.map((p) => p.status());
      const queues = Object.fromEntries(queueKeys.map((key, i) => [key, counts[i]!])) as Record<
        QueueKey,
        QueueStatus
      >;
      const stream = {
        idle: streamStates.every((s) => s.idle),
        lastPollAt: streamStates.map((s) => s.lastPollAt).sort()[0] ?? null,
        inflight: streamStates.reduce((n, s) => n + s.inflight, 0),
        failedBatches: streamStates.reduce((n, s) => n + s.failedBatches, 0),
      };
      // A stream's on-failure queue has no consumer: what rests there is dead letters, like a DLQ's
      // (gonghui dlq list shows them), not work still to do.
      const deadLetterOnly = new Set<QueueKey>(deadLetterOnlyQueues());
      const queuesEmpty = queueKeys
        .filter((key) => !deadLetterOnly.has(key))
        .every((key) => queues[key].visible + queues[key].inflight + queues[key].delayed === 0);
      const idle = queuesEmpty && stream.idle && busyBefore === 0 && busy() === 0 && activity() === before;
      return {
        idle,
        queues,
        stream,
        bus: { inflight: eventBus.inflight(), published: eventBus.published() },
        gateway: { inflight: gateway.inflight() },
        invocations: host.stats() as Record<FunctionName, InvocationStats>,
      };
    };

    const fireSchedule = (id: string, at?: Date) => scheduler.fire(id, at);
    const control: ControlServer = await startControlServer({
      status,
      schedules: scheduleList,
      fireSchedule,
      ...(faultProxies
        ? {
            faults: {
              services: () => Object.keys(faultRules) as FaultService[],
              inject: (service, rule) => faultRules[service]?.inject(rule),
              clear: () => {
                for (const rules of Object.values(faultRules)) rules.clear();
              },
              injected: () =>
                Object.fromEntries(
                  Object.entries(faultRules).map(([service, rules]) => [service, rules.injected()]),
                ),
            },
          }
        : {}),
    });
    cleanups.push(control.stop);

    const info: RuntimeInfo = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      dataDir,
      apiUrl: gateway.url,
      inboxUrl: ses?.inboxUrl ?? smtp!.inboxUrl,
      mail: {
        transport,
        storeUrl: ses?.endpoint ?? smtp!.httpUrl,
        ...(smtp ? { smtp: { host: smtp.host, port: smtp.port } } : {}),
      },
      controlUrl: control.url,
      region: REGION,
      accountId: ACCOUNT_ID,
      tableName: table.name,
      busName: bus.name,
      endpoints: {
        dynamodb: dynamo.endpoint,
        sqs: sqsLocal.endpoint,
        ...(ses ? { ses: ses.endpoint } : {}),
        eventbridge: eventBus.endpoint,
        ...(secrets ? { secretsmanager: secrets.endpoint } : {}),
      },
      queues: queueInfo,
      issuer: { issuer: issuer.issuer, audience: issuer.audience, keyFile: issuer.keyFile },
      logDir,
    };
    writeAtomically(infoFile, `${JSON.stringify(info, null, 2)}\n`);

    let stopping: Promise<void> | undefined;
    return {
      info,
      issuer,
      ...(meter ? { dynamoMeter: meter } : {}),
      status,
      invoke,
      fireSchedule,
      stop: () => {
        stopping ??= (async () => {
          // First, so no CLI talks to a runtime on its way down.
          rmSync(infoFile, { force: true });
          // Reverse order of start: control, API, scheduler and pollers stop taking work (their
          // invocations finish, bounded), then the bus, the instances, and last the emulators.
          await cleanUp();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
