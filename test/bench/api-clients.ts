/**
 * The clients of the API latency benchmark, in a process of their own (`api-latency.ts` starts
 * it): real clients are never in the gateway's process, and in it their own work (20 clients'
 * requests, JSON, timers) queued on the event loop that also runs the local gateway, which
 * weighed on the API's path and hardly on the bare GetItem's. Prints its samples as JSON.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { keys } from '../../shared/adapters/keys.ts';

export interface ClientConfig {
  apiUrl: string;
  tableName: string;
  /** DynamoDB Local's client settings (plain JSON: they cross a process boundary). */
  dynamo: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  tokens: string[];
  perClient: number;
  rounds: number;
}

export interface ClientSamples {
  create: number[];
  get: number[];
  list: number[];
  bare: number[];
}

const timed = async (fn: () => Promise<unknown>, into: number[]) => {
  const started = performance.now();
  await fn();
  into.push(performance.now() - started);
};

export const runClients = async (cfg: ClientConfig): Promise<ClientSamples> => {
  const { tokens } = cfg;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${cfg.apiUrl}${path}`, {
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
      for (let i = 0; i < cfg.perClient; i++) {
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
  const db = new DynamoDBClient(cfg.dynamo);
  const bareGet = (id: string) => {
    const key = keys.proposal(id);
    return db.send(
      new GetItemCommand({
        TableName: cfg.tableName,
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
  for (let round = 0; round < cfg.rounds; round++) {
    await eachClient(apiGet, get);
    await eachClient((_, id) => bareGet(id), bare);
  }
  await Promise.all(
    tokens.map(async (t, c) => {
      for (let i = 0; i < cfg.perClient; i++)
        await timed(() => call(t, 'GET', `/proposals?author=BENCH-D${c}&limit=20`), list);
    }),
  );
  db.destroy();
  return { create, get, list, bare };
};

// As a process of its own: the config as JSON on stdin, the samples as JSON on stdout.
if (process.argv[1]?.endsWith('api-clients.ts')) {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const samples = await runClients(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ClientConfig);
  process.stdout.write(JSON.stringify(samples));
}
