/**
 * Proposals API latency on the embedded runtime: p50 and p99 of create, get and list with 20
 * concurrent clients, next to a bare DynamoDB GetItem (same table, same 20 clients) measured in
 * the same run. Target: the API's get p99 within three times the bare GetItem's p99. The clients
 * run in a process of their own (api-clients.ts), as real clients would.
 */
import { spawn } from 'node:child_process';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import type { ClientConfig, ClientSamples } from './api-clients.ts';
import { percentile } from './machine.ts';

const CLIENTS = 20;
const PER_CLIENT = 25;
/** Rounds of gets, API and bare alternating: 20 × 25 × 4 = 2000 samples of each. */
const ROUNDS = 4;

/** Runs the clients in a child process (this Node, with tsx) and returns their samples. */
const runClientProcess = (cfg: ClientConfig): Promise<ClientSamples> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./api-clients.ts', import.meta.url).pathname],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as ClientSamples)
        : reject(new Error(`api clients exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(cfg));
  });

export const benchApiLatency = async (dataDir: string) => {
  const runtime = await startRuntime({ dataDir, port: 0 });
  try {
    const { info } = runtime;
    const tokens = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        runtime.issuer.sign({ sub: `BENCH-D${i}`, groups: ['delegate'] }),
      ),
    );
    const { create, get, list, bare } = await runClientProcess({
      apiUrl: info.apiUrl,
      tableName: info.tableName,
      dynamo: localClientConfig(info, info.endpoints.dynamodb),
      tokens,
      perClient: PER_CLIENT,
      rounds: ROUNDS,
    });
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`;
    const ratio = percentile(get, 99) / percentile(bare, 99);
    const body = [
      `${CLIENTS} concurrent clients, ${PER_CLIENT} creates and ${PER_CLIENT} lists each, and ${ROUNDS} rounds of ${PER_CLIENT} gets each, in a process of their own, through the local API gateway (JWT checked) to proposals-api (warm instances) and DynamoDB Local. The same GetItem straight against DynamoDB Local alternates with the API's gets round by round, after one unmeasured pass of each, so both meet the same machine.`,
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
