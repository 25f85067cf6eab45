/**
 * A local EventBridge bus that the real AWS SDK talks to (AWS_ENDPOINT_URL_EVENTBRIDGE points
 * here). It speaks the JSON 1.1 protocol of `AWSEvents.PutEvents`, validates entries the way AWS
 * does, builds the event AWS would deliver, and routes it with the topology's rule patterns.
 *
 * Delivery is synchronous: PutEvents answers only after every matched target accepted the event,
 * so a successful PutEvents means "delivered" and a failed delivery makes that entry fail
 * (InternalFailure, retryable) instead of being lost. AWS retries deliveries on its own for up to
 * 24 h; locally the caller's retry of the failed entry plays that part, and the targets are
 * idempotent consumers anyway (at-least-once everywhere).
 *
 * Signatures are not checked: the SDK signs with local credentials and nothing here is a
 * security boundary. The only endpoint-specific customization the SDK has (EndpointId for global
 * endpoints, which switches to SigV4a) is not used by the application, so plain SigV4 requests to
 * a custom endpoint are all this has to understand.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertValidPattern, matchesPattern } from './event-pattern.ts';
import { LOCAL_PARTITION } from './local-env.ts';

/** The event EventBridge delivers to a target (the shape of aws-lambda's EventBridgeEvent). */
export interface EventBridgeEvent<DetailType extends string = string, Detail = Record<string, unknown>> {
  version: '0';
  id: string;
  'detail-type': DetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

export interface EventBusOptions {
  busName: string;
  region: string;
  accountId: string;
  rules: ReadonlyArray<{ id: string; pattern: Record<string, unknown> }>;
  deliver: (ruleId: string, event: EventBridgeEvent) => Promise<void>;
  log?: (line: string) => void;
}

export interface LocalEventBus {
  endpoint: string;
  stop(): Promise<void>;
  /** Requests being processed right now. */
  inflight(): number;
  /** Entries accepted (and delivered to every matching rule) since start. */
  published(): number;
}

/** AWS: the entries of one PutEvents request may total 256 KB. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const MAX_ENTRIES = 10;
/** How long stop() lets requests under way finish before cutting their connections. */
const STOP_GRACE_MS = 5_000;
/** Far above anything valid; only keeps a runaway client from filling memory. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
  TraceHeader?: unknown;
}

type ResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const utf8Bytes = (value: unknown): number =>
  typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;

/** AWS's documented entry size: Time counts 14 bytes, strings their UTF-8 length. */
export const entrySize = (entry: PutEventsEntry): number =>
  (entry.Time === undefined || entry.Time === null ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (Array.isArray(entry.Resources) ? entry.Resources.reduce((n: number, r) => n + utf8Bytes(r), 0) : 0);

/** EventBridge's time format: ISO 8601 UTC to the second. */
const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const invalid = (parameter: string, reason: string): ResultEntry => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new ApiError('ValidationException', 'Request is too large.', 413));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startEventBus(opts: EventBusOptions): Promise<LocalEventBus> {
  const { busName, region, accountId, rules, deliver, log } = opts;
  // A pattern AWS would refuse must stop the runtime now, not mis-route later.
  for (const rule of rules) assertValidPattern(rule.pattern);
  const busArn = `arn:${LOCAL_PARTITION}:events:${region}:${accountId}:event-bus/${busName}`;

  let inflight = 0;
  let published = 0;

  const busError = (name: unknown): ResultEntry | undefined => {
    // An absent EventBusName means the account's default bus, as in AWS.
    const requested = name === undefined || name === null || name === '' ? 'default' : name;
    if (typeof requested !== 'string') return invalid('EventBusName', 'EventBusName must be a string.');
    const arn = /^arn:aws[\w-]*:events:([^:]+):(\d{12}):event-bus\/(.+)$/.exec(requested);
    const matches = arn
      ? arn[1] === region && arn[2] === accountId && arn[3] === busName
      : requested === busName;
    if (matches) return undefined;
    return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${requested} does not exist.` };
  };

  const buildEvent = (entry: PutEventsEntry): EventBridgeEvent | ResultEntry => {
    if (typeof entry.Source !== 'string' || entry.Source === '') {
      return invalid('Source', 'Source is a required argument.');
    }
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
      return invalid('DetailType', 'DetailType is a required argument.');
    }
    if (typeof entry.Detail !== 'string' || entry.Detail === '') {
      return invalid('Detail', 'Detail is a required argument.');
    }
    if (entry.Source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    const wrongBus = busError(entry.EventBusName);
    if (wrongBus) return wrongBus;
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    // AWS wants a JSON object: a number, an array or a string is as malformed as broken JSON.
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
      return invalid('Resources', 'Resources must be a list of strings.');
    }
    let time = new Date();
    if (entry.Time !== undefined && entry.Time !== null) {
      // The SDK sends a timestamp as epoch seconds (possibly fractional) in JSON 1.1.
      const parsed =
        typeof entry.Time === 'number' ? new Date(entry.Time * 1000) : new Date(String(entry.Time));
      if (Number.isNaN(parsed.getTime())) return invalid('Time', 'Time is not a valid timestamp.');
      time = parsed;
    }
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: accountId,
      time: isoSeconds(time),
      region,
      resources: resources as string[],
      detail: detail as Record<string, unknown>,
    };
  };

  const publish = async (entry: PutEventsEntry): Promise<ResultEntry> => {
    const built = buildEvent(entry);
    if (!('id' in built)) return built;
    const matched = rules.filter((rule) => matchesPattern(rule.pattern, built));
    const outcomes = await Promise.allSettled(matched.map((rule) => deliver(rule.id, built)));
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ rule: matched[i]!.id, o }] : []));
    // Source, detail-type and rule ids only: details may hold personal data.
    log?.(
      `${built.source} ${built['detail-type']} -> ${matched.map((r) => r.id).join(', ') || '(no rule)'}` +
        (failed.length ? ` (delivery failed: ${failed.map((f) => f.rule).join(', ')})` : ''),
    );
    if (failed.length) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal error.' };
    published++;
    return { EventId: built.id };
  };

  const putEvents = async (input: Record<string, unknown>) => {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES} and greater than or equal to 1`,
      );
    }
    if (!entries.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e))) {
      throw new ApiError('ValidationException', 'Entries must be objects.');
    }
    if (input.EndpointId !== undefined) {
      throw new ApiError('ValidationException', 'Global endpoints (EndpointId) are not available locally.');
    }
    const total = (entries as PutEventsEntry[]).reduce((n, e) => n + entrySize(e), 0);
    if (total > MAX_PUT_EVENTS_BYTES) {
      throw new ApiError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results = await Promise.all((entries as PutEventsEntry[]).map(publish));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  };

  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    PutEvents: putEvents,
    DescribeEventBus: (input) => {
      const name = typeof input.Name === 'string' ? input.Name : 'default';
      if (busError(name))
        throw new ApiError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
      return { Name: busName, Arn: busArn };
    },
    ListRules: (input) => {
      if (busError(input.EventBusName)) {
        throw new ApiError(
          'ResourceNotFoundException',
          `Event bus ${String(input.EventBusName)} does not exist.`,
        );
      }
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      return {
        Rules: rules
          .filter((r) => r.id.startsWith(prefix))
          .map((r) => ({
            Name: r.id,
            Arn: `arn:${LOCAL_PARTITION}:events:${region}:${accountId}:rule/${busName}/${r.id}`,
            EventPattern: JSON.stringify(r.pattern),
            State: 'ENABLED',
            EventBusName: busName,
          })),
      };
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown, type?: string) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const action =
      typeof target === 'string' && target.startsWith('AWSEvents.') ? target.slice(10) : undefined;
    const run = action !== undefined && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (req.method !== 'POST' || !run) {
      req.resume();
      const message = `Operation ${String(target ?? req.method)} is not supported by the local event bus.`;
      send(res, 400, { __type: 'UnknownOperationException', message }, 'UnknownOperationException');
      return;
    }
    const body = await readBody(req);
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      throw new ApiError('SerializationException', 'Request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ApiError('SerializationException', 'Request body must be a JSON object.');
    }
    send(res, 200, await run(input as Record<string, unknown>));
  };

  const server: Server = createServer((req, res) => {
    inflight++;
    res.on('close', () => inflight--);
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof ApiError) {
        send(res, error.status, { __type: error.type, message: error.message }, error.type);
      } else {
        log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
        send(res, 500, { __type: 'InternalException', message: 'Internal error.' }, 'InternalException');
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  log?.(`event bus ${busName} on ${endpoint} (${rules.length} rules)`);

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    inflight: () => inflight,
    published: () => published,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Requests under way finish (their PutEvents is answered), within a grace period; idle
        // keep-alive sockets go now.
        server.closeIdleConnections();
        const deadline = Date.now() + STOP_GRACE_MS;
        const drain = setInterval(() => {
          if (inflight === 0 || Date.now() > deadline) {
            clearInterval(drain);
            server.closeAllConnections();
          }
        }, 10);
      });
      return stopping;
    },
  };
}
