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
/** Rounds of gets, API and bare alternating: 20 × 25 × 4 = 2000 samples of each. */
const ROUNDS = 4;

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
    // Gets through the API and bare GetItems alternate in rounds, so both meet the same machine:
    // these machines are shared, and a burst of load in one phase only would skew the ratio.
    const db = new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb));
    const bareGet = (id: string) => {
      const key = keys.proposal(id);
      return db.send(
        new GetItemCommand({
          TableName: info.tableName,
          Key: { PK: { S: key.PK }, SK: { S: key.SK } },
          ConsistentRead: true,
        }),
      );
    };
    const apiGet = (c: number, id: string) => call(tokens[c]!, 'GET', `/proposals/${id}`);
    const eachClient = (fn: (c: number, id: string) => Promise<unknown>, into?: number[]) =>
      Promise.all(
        ids.map(async (mine, c) => {
          for (const id of mine) {
            if (into) await timed(() => fn(c, id), into);
            else await fn(c, id);
          }
        }),
      );
    // One unmeasured pass of each warms both paths (connections, and the JIT of every instance).
    await eachClient(apiGet);
    await eachClient((_, id) => bareGet(id));
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await eachClient(apiGet, get);
      await eachClient((_, id) => bareGet(id), bare);
    }
    await Promise.all(
      tokens.map(async (t, c) => {
        for (let i = 0; i < PER_CLIENT; i++)
          await timed(() => call(t, 'GET', `/proposals?author=BENCH-D${c}&limit=20`), list);
      }),
    );
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`;
    const ratio = percentile(get, 99) / percentile(bare, 99);
    const body = [
      `${CLIENTS} concurrent clients, ${PER_CLIENT} creates and ${PER_CLIENT} lists each, and ${ROUNDS} rounds of ${PER_CLIENT} gets each, through the local API gateway (JWT checked) to proposals-api (warm instances) and DynamoDB Local. The same GetItem straight against DynamoDB Local alternates with the API's gets round by round, after one unmeasured pass of each, so both meet the same machine.`,
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
