/**
 * The chair's dashboard API on the embedded runtime with 20,000 members and a year of their care
 * ledger (seed-console.ts): latency of GET /reports/dashboard through the gateway (JWT checked) to
 * reports-api and DynamoDB Local, the first call (a cold function) and warm ones, for the chair
 * (the whole union) and for an officer (the largest branch), with the DynamoDB requests, items
 * read and read units of one dashboard. Target: the chair's warm p50 within 1 s, so the page's
 * data arrives within a second of asking.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { waitForIdle } from '../../infra/cli/commands/wait.ts';
import { localClientConfig } from '../../infra/cli/runtime-info.ts';
import { startRuntime } from '../../infra/local/runtime.ts';
import { median, percentile } from './machine.ts';
import { type SeedResult, seedConsole } from './seed-console.ts';

const MEMBERS = Number(process.env.BENCH_DASHBOARD_MEMBERS ?? 20_000);
const WARM = 20;
const TARGET_MS = 1000;

const log = (line: string) => process.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${line}\n`);

type Runtime = Awaited<ReturnType<typeof startRuntime>>;

/** Seeds the runtime's table with the console's bench data (seed-console.ts). */
export const seedDashboard = async (runtime: Runtime): Promise<SeedResult> => {
  const { info } = runtime;
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient(localClientConfig(info, info.endpoints.dynamodb)),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  const seed = await seedConsole(db, info.tableName, {
    members: MEMBERS,
    // BENCH_DASHBOARD_LEDGER=0: tallies and totals only (what the dashboard reads), seeded far faster.
    ledgerEntries: process.env.BENCH_DASHBOARD_LEDGER !== '0',
  });
  await waitForIdle(info.controlUrl, 5 * 60_000);
  log(
    `seeded ${seed.members} members, ${seed.grants} grants, ${seed.tallies} tallies, ${seed.proposals} proposals, ${seed.letters} letters in ${seed.seconds.toFixed(0)} s`,
  );
  return seed;
};

/** Measures the dashboard on a seeded runtime (started with `meterDynamo: true`). */
export const measureDashboard = async (runtime: Runtime, seed: SeedResult) => {
  const { info } = runtime;
  const chair = await runtime.issuer.sign({ sub: 'BENCH-CHAIR', groups: ['chair'] });
  const largest = seed.branches[0]!;
  const officer = await runtime.issuer.sign({
    sub: 'BENCH-OFFICER',
    groups: ['officer'],
    branch: largest.code,
  });
  const call = async (token: string) => {
    const started = performance.now();
    const res = await fetch(`${info.apiUrl}/reports/dashboard`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`dashboard answered ${res.status}: ${body.slice(0, 300)}`);
    return { ms, bytes: Buffer.byteLength(body), json: JSON.parse(body) };
  };
  runtime.dynamoMeter!.reset();
  const cold = await call(chair);
  const one = runtime.dynamoMeter!.reading();
  const counted = cold.json.members.total as Record<string, number>;
  const sum = Object.values(counted).reduce((a, b) => a + b, 0);
  if (sum < seed.members) throw new Error(`the dashboard counted ${sum} members of ${seed.members}`);
  const warm: number[] = [];
  for (let i = 0; i < WARM; i++) warm.push((await call(chair)).ms);
  const officerRuns: number[] = [];
  let officerBytes = 0;
  for (let i = 0; i < WARM; i++) {
    const r = await call(officer);
    officerRuns.push(r.ms);
    officerBytes = r.bytes;
  }
  const p50 = median(warm);
  const row = (name: string, xs: number[]) =>
    `| ${name} | ${xs.length} | ${median(xs).toFixed(0)} | ${percentile(xs, 99).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`;
  const body = [
    `${seed.members} members in ${seed.branches.length} branches (the largest ${largest.members}), a year of care up to today (${seed.grants} ledger entries${seed.ledgerWritten ? '' : ', counted in the totals and tallies but not written (BENCH_DASHBOARD_LEDGER=0)'}: every holiday due, a birthday each, a life event for 2%; ${seed.tallies} tallies as grant-care's transactions write them), ${seed.proposals} proposals and ${seed.letters} unanswered letters, written straight into the table in the stores' item shapes (setup, not measured: ${seed.seconds.toFixed(0)} s). Then GET /reports/dashboard through the local gateway (JWT checked) to reports-api and DynamoDB Local, one request at a time: the first call starts the function; then ${WARM} warm calls as the chair (the whole union) and ${WARM} as the officer of the largest branch.`,
    '',
    '| call | requests | p50 (ms) | p99 (ms) | max (ms) |',
    '|---|---:|---:|---:|---:|',
    `| chair, first call (cold function, the calendar's lunar library loaded) | 1 | ${cold.ms.toFixed(0)} | | |`,
    row('chair, warm (whole union)', warm),
    row(`officer, warm (one branch, ${largest.members} members)`, officerRuns),
    '',
    `One chair's dashboard: ${one.totalRequests} DynamoDB requests (${Object.entries(one.requests)
      .map(([op, n]) => `${op} ${n}`)
      .join(
        ', ',
      )}), ${one.itemsRead} items read, ${one.readUnits.toFixed(0)} read units; answer ${(cold.bytes / 1024).toFixed(1)} KiB (the officer's ${(officerBytes / 1024).toFixed(1)} KiB). The ledger's ${seed.grants} entries are not read: the care figures come from the ${seed.tallies} tallies.`,
    '',
    `**chair's warm p50 = ${p50.toFixed(0)} ms** (target ≤ ${TARGET_MS} ms).`,
  ].join('\n');
  return {
    title: `The chair's dashboard API over ${seed.members} members and a year of ledger`,
    body,
    ok: p50 <= TARGET_MS,
  };
};

export const benchDashboard = async (dataDir: string) => {
  const runtime = await startRuntime({ dataDir, port: 0, meterDynamo: true });
  try {
    return await measureDashboard(runtime, await seedDashboard(runtime));
  } finally {
    await runtime.stop();
  }
};
