/**
 * Per function: the size of its deployment bundle (built with the same esbuild options as the
 * AWS deploy) and its module-initialisation time: a fresh Node process importing the bundle,
 * minus a bare Node process, median of several interleaved runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundling } from '../../infra/bundling.ts';
import { buildBundles } from '../../infra/local/bundles.ts';
import { type FunctionName, functionNames, functions } from '../../infra/topology.ts';
import { ENV, type EnvName } from '../../shared/config/env-names.ts';
import { median } from './machine.ts';

const RUNS = 15;
const LIMIT_MS = 80;

/** Values for every env name (the compiler insists on all), so each bundle's cold-start config check passes. */
const appEnv: Record<EnvName, string> = {
  [ENV.tableName]: 'gonghui',
  [ENV.eventBusName]: 'gonghui',
  [ENV.mailFrom]: 'union@gonghui.local',
  [ENV.mailTransport]: 'ses',
  [ENV.mailMaxSendRate]: '14',
  // Only with the smtp transport; send-email reads them only then.
  [ENV.smtpHost]: '127.0.0.1',
  [ENV.smtpPort]: '587',
  [ENV.smtpTls]: 'starttls',
  [ENV.smtpSecretId]: 'gonghui/smtp',
  [ENV.mailConcurrency]: '2',
  [ENV.mailClaimLeaseSeconds]: '180',
  [ENV.unionContactEmail]: 'union@gonghui.local',
  [ENV.membershipPrefix]: 'GLU',
  [ENV.enrolmentMode]: 'automatic',
  [ENV.dispatchedStaff]: 'enrol',
  [ENV.invitationUrl]: 'http://127.0.0.1:3000/invitations',
  [ENV.congressSession]: '2026',
  [ENV.proposalSecondersRequired]: '2',
  [ENV.proposalMaxReassignments]: '1',
  [ENV.careQueueUrl]: 'http://127.0.0.1:1/000000000000/gonghui-care',
  [ENV.deadLetterQueueUrl]: 'http://127.0.0.1:1/000000000000/gonghui-dlq',
  [ENV.powertoolsServiceName]: 'bench',
  [ENV.logLevel]: 'WARN',
};
const initEnv = {
  ...appEnv,
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

const timeProcess = (args: string[]): number => {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, args, { env: { ...process.env, ...initEnv }, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (out.status !== 0) throw new Error(`${args.join(' ')} failed: ${out.stderr.slice(-600)}`);
  return elapsed;
};

export const benchFunctionInit = async (workDir: string) => {
  const outDir = resolve(workDir, 'bundles');
  mkdirSync(outDir, { recursive: true });
  // Beside the bundles, not among them: the bundler clears its output directory.
  const bare = join(workDir, 'bare.cjs');
  writeFileSync(bare, '');
  const rows: Array<{ fn: FunctionName; bytes: number; initMs: number; bareMs: number; overMs: number }> = [];
  const { bundles } = await buildBundles({
    root: process.cwd(),
    outDir,
    entries: functionNames.map((name) => ({ name, entry: functions[name].entry })),
  });
  for (const fn of functionNames) {
    const outfile = bundles[fn]!;
    const loader = join(outDir, fn, 'load.cjs');
    writeFileSync(
      loader,
      `const m = require('./${bundling.outFile}'); if (typeof m.handler !== 'function') process.exit(3);\n`,
    );
    timeProcess([loader]); // warm the file cache
    const withBundle: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(timeProcess([bare]));
      withBundle.push(timeProcess([loader]));
    }
    const initMs = median(withBundle);
    const bareMs = median(without);
    rows.push({ fn, bytes: statSync(outfile).size, initMs, bareMs, overMs: initMs - bareMs });
  }
  const table = [
    '| function | bundle (KiB) | node + import (ms, median) | bare node (ms, median) | init over bare (ms) | ≤ 80 ms |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.fn} | ${(r.bytes / 1024).toFixed(1)} | ${r.initMs.toFixed(1)} | ${r.bareMs.toFixed(1)} | ${r.overMs.toFixed(1)} | ${r.overMs <= LIMIT_MS ? 'yes' : '**no**'} |`,
    ),
  ].join('\n');
  return {
    title: 'Function bundles and module initialisation',
    body: `${RUNS} runs each, interleaved with a bare \`node empty.cjs\`; bundles built with infra/bundling.ts (esbuild, CommonJS output, minified, source maps).\n\n${table}`,
    ok: rows.every((r) => r.overMs <= LIMIT_MS),
  };
};
