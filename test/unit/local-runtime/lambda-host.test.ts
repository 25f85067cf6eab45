/**
 * The Lambda host with throwaway handlers (CommonJS files, as the bundles are): instances with
 * their own module scope and environment, reuse while warm, timeouts, errors, init failures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FunctionError,
  type HostedFunction,
  type LambdaHost,
  startLambdaHost,
} from '../../../infra/local/lambda-host.ts';
import { LOCAL_PARTITION } from '../../../infra/local/local-env.ts';

let dir: string;
let host: LambdaHost | undefined;

const HANDLERS: Record<string, string> = {
  counter: `let count = 0;
exports.handler = async (event, context) => ({
  count: ++count,
  secret: process.env.SECRET ?? null,
  home: process.env.HOME ?? null,
  tz: process.env.TZ ?? null,
  functionName: context.functionName,
  arn: context.invokedFunctionArn,
  memory: context.memoryLimitInMB,
  remaining: context.getRemainingTimeInMillis(),
  requestId: context.awsRequestId,
  echo: event,
});`,
  slow: `exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); console.log('slept', event.ms); return { slept: event.ms }; };`,
  throws: `exports.handler = async () => { throw new TypeError('bad input'); };`,
  initFails: `throw new Error('config missing at cold start');`,
  noHandler: `exports.other = () => 1;`,
  dates: `exports.handler = async () => ({ at: new Date(0), nothing: undefined });`,
};

const fn = (name: keyof typeof HANDLERS, extra: Partial<HostedFunction> = {}): HostedFunction => ({
  name,
  bundle: join(dir, `${name}.cjs`),
  timeoutSeconds: 5,
  memoryMb: 256,
  concurrency: 2,
  env: { SECRET: `${name}-secret` },
  ...extra,
});

const start = (functions: HostedFunction[]) => {
  host = startLambdaHost({
    functions,
    logDir: join(dir, 'logs'),
    region: 'ap-east-1',
    accountId: '000000000000',
  });
  return host;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-host-'));
  for (const [name, source] of Object.entries(HANDLERS)) writeFileSync(join(dir, `${name}.cjs`), source);
});
afterEach(async () => {
  await host?.stop({ graceMs: 0 });
  host = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Lambda host', () => {
  it('keeps module scope per warm instance and gives each its own environment and context', async () => {
    const h = start([fn('counter')]);
    const first = (await h.invoke('counter', { n: 1 })) as Record<string, unknown>;
    const second = (await h.invoke('counter', { n: 2 })) as Record<string, unknown>;
    expect(first).toMatchObject({
      count: 1,
      secret: 'counter-secret',
      home: null,
      functionName: 'counter',
      arn: `arn:${LOCAL_PARTITION}:lambda:ap-east-1:000000000000:function:counter`,
      memory: '256',
      echo: { n: 1 },
    });
    expect(first.remaining).toBeGreaterThan(4_000);
    expect(first.requestId).not.toBe(second.requestId);
    expect(second.count).toBe(2);
    expect(h.stats().counter).toMatchObject({ invoked: 2, failed: 0, instances: 1, coldStarts: 1 });
  });

  it('starts instances up to the concurrency, and makes callers beyond it wait', async () => {
    const h = start([fn('slow', { concurrency: 2 })]);
    const started = Date.now();
    await Promise.all([1, 2, 3].map(() => h.invoke('slow', { ms: 300 })));
    const took = Date.now() - started;
    expect(h.stats().slow?.instances).toBe(2);
    expect(took).toBeGreaterThanOrEqual(600);
  });

  it('fails an invocation past the timeout and replaces the instance', async () => {
    const h = start([fn('slow', { timeoutSeconds: 1 })]);
    const error = await h.invoke('slow', { ms: 3_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    await expect(h.invoke('slow', { ms: 1 })).resolves.toEqual({ slept: 1 });
    expect(h.stats().slow).toMatchObject({ failed: 1, coldStarts: 2, instances: 1 });
  });

  it("rejects with the handler's error type and message", async () => {
    const h = start([fn('throws')]);
    await expect(h.invoke('throws', {})).rejects.toMatchObject({
      errorType: 'TypeError',
      message: 'bad input',
    });
  });

  it('fails every invocation of an instance whose init failed, and tries init again on the next', async () => {
    const h = start([fn('initFails'), fn('noHandler')]);
    await expect(h.invoke('initFails', {})).rejects.toThrow('config missing at cold start');
    await expect(h.invoke('initFails', {})).rejects.toThrow('config missing at cold start');
    expect(h.stats().initFails).toMatchObject({ coldStarts: 2, instances: 0 });
    await expect(h.invoke('noHandler', {})).rejects.toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });

  it('hands back JSON, as Lambda does', async () => {
    const h = start([fn('dates')]);
    await expect(h.invoke('dates', {})).resolves.toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it("writes the function's output and Lambda's START, END and REPORT lines to its log", async () => {
    const h = start([fn('slow')]);
    await h.invoke('slow', { ms: 5 });
    await h.stop();
    host = undefined;
    const log = readFileSync(join(dir, 'logs', 'slow.log'), 'utf8');
    expect(log).toMatch(/START RequestId: \S+ Version: \$LATEST/);
    expect(log).toContain('slept 5');
    expect(log).toMatch(
      /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB/,
    );
    expect(log).toContain('Init Duration');
  });
});
