/**
 * Proposals API latency on the embedded runtime: p50 and p99 of create, get and list with 20
 * concurrent clients, next to a bare DynamoDB GetItem (same table, same 20 clients) measured in
 * the same run. Target: the API's get p99 within three times the bare GetItem's p99.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/adapters/keys.ts';
import { percentile } from './machine.ts';

const CLIENTS = 20;
const PER_CLIENT = 25;

const timed = async (fn: () => Promise<unknown>, into: number[]) => {
  const started = performance.now();
  await fn();
  into.push(performance.now() - started);
};

export const benchApiLatency = async (dataDir: string) => {
  const runtime = await startRuntime({ dataDir, port: 0 });
  try {
    const { info } = runtime;
    const tokens = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        runtime.issuer.sign({ sub: `BENCH-D${i}`, groups: ['delegate'] }),
      ),
    );
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${info.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as { id: string };
    };
    // Warm every instance first: cold starts are measured by the init benchmark, not here.
    await Promise.all(tokens.map((t) => call(t, 'GET', '/proposals?limit=1')));

    const create: number[] = [];
    const get: number[] = [];
    const list: number[] = [];
    const ids: string[][] = tokens.map(() => []);
    await Promise.all(
      tokens.map(async (t, c) => {
        for (let i = 0; i < PER_CLIENT; i++) {
          await timed(async () => {
            ids[c]!.push(
              (
                await call(t, 'POST', '/proposals', {
                  title: `提案 ${c}-${i}`,
                  content: '内容'.repeat(50),
                  session: 'BENCH',
                })
              ).id,
            );
          }, create);
        }
      }),
    );
    await Promise.all(
      tokens.map(async (t, c) => {
        for (const id of ids[c]!) await timed(() => call(t, 'GET', `/proposals/${id}`), get);
      }),
    );
    await Promise.all(
      tokens.map(async (t, c) => {
        for (let i = 0; i < PER_CLIENT; i++)
          await timed(() => call(t, 'GET', `/proposals?author=BENCH-D${c}&limit=20`), list);
      }),
    );
    // The same reads straight from DynamoDB Local, as the floor the API stands on.
    const db = new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb));
    const bare: number[] = [];
    await Promise.all(
      ids.map(async (mine) => {
        for (const id of mine) {
          const key = keys.proposal(id);
          await timed(
            () =>
              db.send(
                new GetItemCommand({
                  TableName: info.tableName,
                  Key: { PK: { S: key.PK }, SK: { S: key.SK } },
                  ConsistentRead: true,
                }),
              ),
            bare,
          );
        }
      }),
    );
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`;
    const ratio = percentile(get, 99) / percentile(bare, 99);
    const body = [
      `${CLIENTS} concurrent clients, ${PER_CLIENT} requests each per operation, through the local API gateway (JWT checked) to proposals-api (warm instances) and DynamoDB Local; then the same GetItem straight against DynamoDB Local.`,
      '',
      '| operation | requests | p50 (ms) | p99 (ms) |',
      '|---|---:|---:|---:|',
      row('POST /proposals (create)', create),
      row('GET /proposals/{id}', get),
      row('GET /proposals?author= (list)', list),
      row('bare DynamoDB GetItem', bare),
      '',
      `**get p99 / bare GetItem p99 = ${ratio.toFixed(2)}** (target ≤ 3).`,
    ].join('\n');
    return { title: 'Proposals API latency at 20 concurrent clients', body, ok: ratio <= 3 };
  } finally {
    await runtime.stop();
  }
};
