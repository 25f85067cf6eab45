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
  /** Capacity units as DynamoDB Local reports them (table and indexes), for write operations and for read operations. */
  writeUnits: number;
  readUnits: number;
  /**
   * Write request units as on-demand DynamoDB bills them: DynamoDB Local's units for the table and
   * each index (right for single writes and batches). For TransactWriteItems DynamoDB Local's
   * figure is wrong (it reports a 50-item transaction as if it held two items), so the meter counts
   * them itself: each item's size (a put's from the request, an update's from the item as it is
   * after the transaction) twice for the table (prepare and commit) and once per index it is in.
   */
  billedWriteUnits: number;
  /** Read request units, as DynamoDB Local reports them (strong reads 1 per 4 KB, eventual ½). */
  billedReadUnits: number;
  /** Billed write and read request units per calling function. */
  unitsByFunction: Record<string, { write: number; read: number }>;
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
  /** Sizes the items committed transactions updated and adds their units (call before reading()). */
  settled(): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const capacities = (consumed: unknown): Capacity[] =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Capacity[];

const sumCapacity = (consumed: unknown): number =>
  capacities(consumed).reduce((sum, c) => sum + Number(c.CapacityUnits ?? 0), 0);

/** Units as billed: the table's part twice for a transaction's writes, the indexes' once. */
const billedUnits = (consumed: unknown, transactional: boolean): number =>
  capacities(consumed).reduce((sum, c) => {
    if (!c.Table) return sum + Number(c.CapacityUnits ?? 0) * (transactional ? 2 : 1);
    const indexes = Object.values(c.GlobalSecondaryIndexes ?? {}).reduce(
      (n, i) => n + Number(i.CapacityUnits ?? 0),
      0,
    );
    return sum + Number(c.Table.CapacityUnits ?? 0) * (transactional ? 2 : 1) + indexes;
  }, 0);

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

type AttributeValue = Record<string, unknown>;

/** DynamoDB's size of an attribute value in its JSON form (names and values as UTF-8, numbers ~1 byte per 2 digits). */
const valueSize = (v: AttributeValue): number => {
  const [type, value] = Object.entries(v)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(value), 'utf8');
    case 'N':
      return Math.ceil(String(value).replace(/[-.]/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(value), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (value as string[]).reduce((n, x) => n + valueSize({ [type[0]!]: x }), 0);
    case 'M':
      return 3 + itemSize(value as Record<string, AttributeValue>) + Object.keys(value as object).length;
    case 'L':
      return 3 + (value as AttributeValue[]).reduce((n, x) => n + 1 + valueSize(x), 0);
    default:
      return 1;
  }
};

export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name, 'utf8') + valueSize(v), 0);

export interface MeterIndex {
  partitionKey: string;
  sortKey?: string;
}

/** Units of one transactional write of an item (its size, the indexes it is in). */
export const transactionalUnits = (
  item: Record<string, AttributeValue>,
  indexes: readonly MeterIndex[],
): number => {
  const units = Math.max(1, Math.ceil(itemSize(item) / 1024));
  const indexed = indexes.filter((i) => item[i.partitionKey] && (!i.sortKey || item[i.sortKey])).length;
  return units * 2 + units * indexed;
};

export const startDynamoMeter = async (
  target: string,
  opts: { indexes?: readonly MeterIndex[] } = {},
): Promise<DynamoMeter> => {
  const indexes = opts.indexes ?? [];
  const upstream = new URL(target);
  let reading: MeterReading;
  const reset = () => {
    reading = {
      requests: {},
      totalRequests: 0,
      writeUnits: 0,
      readUnits: 0,
      billedWriteUnits: 0,
      billedReadUnits: 0,
      unitsByFunction: {},
      transactionalItems: 0,
      itemsRead: 0,
      byFunction: {},
      failures: {},
    };
  };
  reset();

  /**
   * Items committed transactions updated, to be sized when the bench asks (settled()): read back
   * then, not while the bench runs, so the meter's own reads do not load what it measures.
   */
  let deferred: Array<{ table: string; key: Record<string, unknown>; into: MeterReading; fn: string }> = [];
  const readBack = async (keys: Array<{ table: string; key: Record<string, unknown> }>) => {
    const found: Array<Record<string, AttributeValue>> = [];
    for (let i = 0; i < keys.length; i += 100) {
      const byTable: Record<string, { Keys: Array<Record<string, unknown>>; ConsistentRead: boolean }> = {};
      for (const { table, key } of keys.slice(i, i + 100)) {
        byTable[table] ??= { Keys: [], ConsistentRead: true };
        byTable[table].Keys.push(key);
      }
      const body = JSON.stringify({ RequestItems: byTable });
      const json = await new Promise<{ Responses?: Record<string, Array<Record<string, AttributeValue>>> }>(
        (resolve) => {
          const r = httpRequest(
            {
              host: upstream.hostname,
              port: upstream.port,
              method: 'POST',
              path: '/',
              headers: {
                'content-type': 'application/x-amz-json-1.0',
                'x-amz-target': 'DynamoDB_20120810.BatchGetItem',
                authorization:
                  'AWS4-HMAC-SHA256 Credential=meter/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
                'content-length': String(Buffer.byteLength(body)),
              },
            },
            (up) => {
              const out: Buffer[] = [];
              up.on('data', (c: Buffer) => out.push(c));
              up.on('end', () => {
                try {
                  resolve(JSON.parse(Buffer.concat(out).toString('utf8')));
                } catch {
                  resolve({});
                }
              });
            },
          );
          r.on('error', () => resolve({}));
          r.end(body);
        },
      );
      for (const items of Object.values(json.Responses ?? {})) found.push(...items);
    }
    return found;
  };
  /** A committed transaction's write units for its puts (now) and deletes; its updates are deferred. */
  const transactionUnits = (
    tx: { TransactItems?: Array<Record<string, Record<string, unknown>>> },
    into: MeterReading,
    fn: string,
  ): number => {
    let units = 0;
    for (const entry of tx.TransactItems ?? []) {
      if (entry.Put) units += transactionalUnits(entry.Put.Item as Record<string, AttributeValue>, indexes);
      else if (entry.Update)
        deferred.push({
          table: String(entry.Update.TableName),
          key: entry.Update.Key as Record<string, unknown>,
          into,
          fn,
        });
      // A delete: its index entries go too, but its size is gone with it; counted as one unit, twice.
      else if (entry.Delete) units += 2;
    }
    return units;
  };

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
      let transaction: { TransactItems?: Array<Record<string, Record<string, unknown>>> } | undefined;
      if (CAPACITY_OPERATIONS.has(operation)) {
        try {
          const json = JSON.parse(body.toString('utf8'));
          if (operation === 'TransactWriteItems') {
            reading.transactionalItems += json.TransactItems?.length ?? 0;
            transaction = json;
          }
          if (!json.ReturnConsumedCapacity || json.ReturnConsumedCapacity === 'NONE') {
            // INDEXES: the table's and each index's share, so transactions can be billed as DynamoDB does.
            json.ReturnConsumedCapacity = 'INDEXES';
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
              const billed = billedUnits(json.ConsumedCapacity, false);
              const mine = reading.unitsByFunction[fn] ?? { write: 0, read: 0 };
              if (transaction && (up.statusCode ?? 500) < 300) {
                reading.writeUnits += units;
                const n = transactionUnits(transaction, reading, fn);
                reading.billedWriteUnits += n;
                mine.write += n;
              } else if (WRITE_OPERATIONS.has(operation)) {
                reading.writeUnits += units;
                reading.billedWriteUnits += billed;
                mine.write += billed;
              } else {
                reading.readUnits += units;
                reading.billedReadUnits += billed;
                mine.read += billed;
              }
              reading.unitsByFunction[fn] = mine;
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
    settled: async () => {
      const waiting = deferred;
      deferred = [];
      // Each item once (a counter is in every enrolment transaction; BatchGetItem refuses duplicates).
      const unique = new Map(waiting.map((d) => [JSON.stringify([d.table, d.key.PK, d.key.SK]), d]));
      const items = await readBack([...unique.values()]);
      const size = new Map(items.map((item) => [JSON.stringify([item.PK, item.SK]), item]));
      for (const d of waiting) {
        const item = size.get(JSON.stringify([d.key.PK, d.key.SK]));
        // Gone since (deleted later): one unit, twice.
        const n = item ? transactionalUnits(item, indexes) : 2;
        d.into.billedWriteUnits += n;
        const mine = d.into.unitsByFunction[d.fn] ?? { write: 0, read: 0 };
        mine.write += n;
        d.into.unitsByFunction[d.fn] = mine;
      }
    },
    reset,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
