/**
 * A counting proxy in front of DynamoDB Local, for benchmarks: it counts requests per operation
 * and asks DynamoDB for the capacity each one consumed (ReturnConsumedCapacity: TOTAL, added when
 * the caller did not ask), so a benchmark can report requests and write units per business
 * operation. Off by default: it adds a hop to every request.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';

/** Operations that accept ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

export interface MeterReading {
  requests: Record<string, number>;
  totalRequests: number;
  /** Capacity units as DynamoDB Local reports them, for write operations and for read operations. */
  writeUnits: number;
  readUnits: number;
  /** Items written inside transactions: real DynamoDB charges them twice (prepare and commit). */
  transactionalItems: number;
  /** Items DynamoDB read to answer: ScannedCount of queries, items returned by gets. */
  itemsRead: number;
  /** Requests per calling function and operation (functions reach the meter under `/fn/<name>`). */
  byFunction: Record<string, Record<string, number>>;
  /** Requests DynamoDB refused, per calling function, operation and error (`TransactWriteItems TransactionCanceledException`). */
  failures: Record<string, Record<string, number>>;
}

export interface DynamoMeter {
  endpoint: string;
  /** The endpoint one function uses, so that its requests are counted as its own. */
  endpointFor(functionName: string): string;
  reading(): MeterReading;
  reset(): void;
  stop(): Promise<void>;
}

const sumCapacity = (consumed: unknown): number => {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((sum, c) => sum + Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
};

const itemsReadBy = (operation: string, json: Record<string, unknown>): number => {
  if (operation === 'Query' || operation === 'Scan') return Number(json.ScannedCount ?? 0);
  if (operation === 'GetItem') return json.Item ? 1 : 0;
  if (operation === 'BatchGetItem' || operation === 'TransactGetItems') {
    const responses = (json.Responses ?? {}) as Record<string, unknown[]> | unknown[];
    return Array.isArray(responses)
      ? responses.length
      : Object.values(responses).reduce((n, items) => n + items.length, 0);
  }
  return 0;
};

export const startDynamoMeter = async (target: string): Promise<DynamoMeter> => {
  const upstream = new URL(target);
  let reading: MeterReading;
  const reset = () => {
    reading = {
      requests: {},
      totalRequests: 0,
      writeUnits: 0,
      readUnits: 0,
      transactionalItems: 0,
      itemsRead: 0,
      byFunction: {},
      failures: {},
    };
  };
  reset();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      let body = Buffer.concat(chunks);
      let added = false;
      if (CAPACITY_OPERATIONS.has(operation)) {
        try {
          const json = JSON.parse(body.toString('utf8'));
          if (operation === 'TransactWriteItems')
            reading.transactionalItems += json.TransactItems?.length ?? 0;
          if (!json.ReturnConsumedCapacity || json.ReturnConsumedCapacity === 'NONE') {
            json.ReturnConsumedCapacity = 'TOTAL';
            added = true;
            body = Buffer.from(JSON.stringify(json));
          }
        } catch {
          // Not JSON: pass it on untouched and let DynamoDB answer.
        }
      }
      reading.totalRequests++;
      reading.requests[operation] = (reading.requests[operation] ?? 0) + 1;
      const fn = /^\/fn\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '(other)';
      const mine = reading.byFunction[fn] ?? {};
      mine[operation] = (mine[operation] ?? 0) + 1;
      reading.byFunction[fn] = mine;
      const path = (req.url ?? '/').replace(/^\/fn\/[^/?]+/, '') || '/';
      // The signature covers the body, so a changed body needs a fresh one; DynamoDB Local does not check it.
      const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            let payload = Buffer.concat(out);
            try {
              const json = JSON.parse(payload.toString('utf8'));
              const units = sumCapacity(json.ConsumedCapacity);
              if (WRITE_OPERATIONS.has(operation)) reading.writeUnits += units;
              else reading.readUnits += units;
              reading.itemsRead += itemsReadBy(operation, json);
              if ((up.statusCode ?? 500) >= 400) {
                const error = `${operation} ${String(json.__type ?? 'Error')
                  .split('#')
                  .pop()}`;
                const failed = reading.failures[fn] ?? {};
                failed[error] = (failed[error] ?? 0) + 1;
                reading.failures[fn] = failed;
              }
              if (added) {
                delete json.ConsumedCapacity;
                payload = Buffer.from(JSON.stringify(json));
              }
            } catch {
              // Not JSON (an error page): hand it back as it came.
            }
            // The body may have changed: its length changes and DynamoDB's CRC no longer holds.
            const { 'x-amz-crc32': _crc, ...rest } = up.headers as Record<
              string,
              string | string[] | undefined
            >;
            const responseHeaders = { ...rest, 'content-length': String(payload.length) };
            res.writeHead(up.statusCode ?? 500, responseHeaders);
            res.end(payload);
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'ProxyError', message: error.message }));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    endpointFor: (fn) => `http://127.0.0.1:${port}/fn/${fn}`,
    reading: () => structuredClone(reading),
    reset,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
