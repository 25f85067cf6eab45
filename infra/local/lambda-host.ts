/**
 * Runs functions the way Lambda does. Each execution environment ("instance") is a worker thread
 * with the function's own environment variables and module scope, so whatever a handler keeps
 * at module level (SDK clients, send-email's pacer) is per instance, as on AWS. Instances start
 * lazily up to the function's concurrency, stay warm, and serve one invocation at a time; a
 * caller beyond the concurrency waits for a free one (Lambda would throttle; every local caller
 * would retry anyway). An invocation past the function's timeout fails, and its instance is
 * discarded, as Lambda discards a timed-out environment. So is an instance whose init failed.
 *
 * Function output (stdout and stderr of its workers) goes to `<logDir>/<function>.log` with
 * Lambda's START, END and REPORT lines, not to the runtime's console.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LOCAL_PARTITION } from './local-env.ts';

export interface HostedFunction {
  name: string;
  /** The built bundle (it exports `handler`). */
  bundle: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Instances at most at once. */
  concurrency: number;
  /** The instance's whole process.env. */
  env: Record<string, string>;
}

export interface LambdaHostOptions {
  functions: readonly HostedFunction[];
  logDir: string;
  region: string;
  accountId: string;
}

/** What a failed invocation rejects with: Lambda's errorType and errorMessage. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
    readonly errorStack = '',
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface InvocationStats {
  inflight: number;
  invoked: number;
  failed: number;
  instances: number;
  coldStarts: number;
  /** Billed duration of every invocation so far, as Lambda rounds it (whole ms), summed; init not included. */
  billedMs: number;
  /** AWS operations the function called, as `<X-Amz-Target prefix>.<Operation>`, sorted. */
  awsOperations: string[];
}

export interface LambdaHost {
  /** Invokes synchronously (RequestResponse); resolves with the handler's JSON result. */
  invoke(name: string, event: unknown): Promise<unknown>;
  stats(): Record<string, InvocationStats>;
  inflight(): number;
  /**
   * Fault injection: ends every running instance of the function at once, as a crash of its
   * process would; their invocations fail as Lambda reports a dead runtime. How many ended.
   */
  crash(name: string): number;
  /** Refuses new invocations, lets those under way finish for up to `graceMs`, ends every instance. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/** Lambda's limit for a synchronous invocation's response. */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** Lambda gives an on-demand init 10 s. */
const INIT_TIMEOUT_MS = 10_000;

const WORKER_FILE = join(import.meta.dirname, 'lambda-worker.mjs');

interface WorkerError {
  errorType: string;
  errorMessage: string;
  stack: string;
}

type WorkerMessage =
  | { type: 'ready'; initMs: number; error?: WorkerError }
  | { type: 'aws'; operation: string }
  | { type: 'result'; id: string; ok: true; payload: string; heapBytes: number }
  | { type: 'result'; id: string; ok: false; error: WorkerError; heapBytes: number };

interface Instance {
  worker: Worker;
  busy: boolean;
  ready: Promise<{ initMs: number; error?: WorkerError }>;
  /** Init duration, reported once, on the first invocation (a cold start). */
  initMs?: number;
  pending?: { id: string; settle: (message: WorkerMessage | Error) => void };
  gone: boolean;
}

interface FunctionState {
  spec: HostedFunction;
  instances: Instance[];
  waiting: Array<() => void>;
  stats: InvocationStats;
  log?: WriteStream;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

export function startLambdaHost(opts: LambdaHostOptions): LambdaHost {
  mkdirSync(opts.logDir, { recursive: true });
  const states = new Map<string, FunctionState>(
    opts.functions.map((spec) => [
      spec.name,
      {
        spec,
        instances: [],
        waiting: [],
        stats: {
          inflight: 0,
          invoked: 0,
          failed: 0,
          instances: 0,
          coldStarts: 0,
          billedMs: 0,
          awsOperations: [],
        },
      },
    ]),
  );
  let stopping = false;
  const idleWaiters = new Set<() => void>();

  const logOf = (state: FunctionState): WriteStream => {
    state.log ??= createWriteStream(join(opts.logDir, `${state.spec.name}.log`), { flags: 'a' });
    return state.log;
  };
  const logLine = (state: FunctionState, line: string) => logOf(state).write(`${line}\n`);

  const discard = (state: FunctionState, instance: Instance) => {
    if (instance.gone) return;
    instance.gone = true;
    state.instances = state.instances.filter((i) => i !== instance);
    state.stats.instances = state.instances.length;
    void instance.worker.terminate();
    state.waiting.shift()?.();
  };

  const spawn = (state: FunctionState): Instance => {
    const { spec } = state;
    const worker = new Worker(WORKER_FILE, {
      workerData: { bundle: spec.bundle },
      env: spec.env,
      stdout: true,
      stderr: true,
      // Lambda's memory setting, as a heap limit: a function that needs more fails here too.
      resourceLimits: { maxOldGenerationSizeMb: spec.memoryMb },
      name: spec.name,
    });
    // Written chunk by chunk rather than piped: twenty instances piping into one file stream
    // would stack twenty sets of listeners on it.
    const log = logOf(state);
    worker.stdout.on('data', (chunk: Buffer) => log.write(chunk));
    worker.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    let resolveReady: (r: { initMs: number; error?: WorkerError }) => void = () => {};
    const instance: Instance = {
      worker,
      busy: true,
      gone: false,
      ready: new Promise((resolve) => {
        resolveReady = resolve;
      }),
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolveReady(message);
      else if (message.type === 'aws') {
        if (!state.stats.awsOperations.includes(message.operation))
          state.stats.awsOperations = [...state.stats.awsOperations, message.operation].sort();
      } else if (instance.pending?.id === message.id) instance.pending.settle(message);
    });
    const died = (error: Error) => {
      resolveReady({
        initMs: 0,
        error: { errorType: 'Runtime.ExitError', errorMessage: error.message, stack: '' },
      });
      instance.pending?.settle(error);
      discard(state, instance);
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`Runtime exited with error: exit status ${code}`)));
    state.instances.push(instance);
    state.stats.instances = state.instances.length;
    state.stats.coldStarts++;
    return instance;
  };

  const acquire = async (state: FunctionState): Promise<Instance> => {
    for (;;) {
      if (stopping) throw new FunctionError(state.spec.name, 'Runtime.Stopping', 'the runtime is stopping');
      const idle = state.instances.find((i) => !i.busy && !i.gone);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (state.instances.length < state.spec.concurrency) return spawn(state);
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    }
  };

  const release = (state: FunctionState, instance: Instance) => {
    instance.busy = false;
    state.waiting.shift()?.();
  };

  /** Runs one invocation on an instance; settles with the worker's answer, or a failure of the instance. */
  const run = (state: FunctionState, instance: Instance, id: string, event: string, deadlineMs: number) =>
    new Promise<WorkerMessage | Error>((resolve) => {
      const { spec } = state;
      const timer = setTimeout(() => {
        instance.pending = undefined;
        resolve(
          new FunctionError(
            spec.name,
            'Sandbox.Timedout',
            `Task timed out after ${seconds(spec.timeoutSeconds * 1000)} seconds`,
          ),
        );
      }, deadlineMs - Date.now());
      instance.pending = {
        id,
        settle: (message) => {
          clearTimeout(timer);
          instance.pending = undefined;
          resolve(message);
        },
      };
      instance.worker.postMessage({
        id,
        event,
        context: {
          functionName: spec.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: `arn:${LOCAL_PARTITION}:lambda:${opts.region}:${opts.accountId}:function:${spec.name}`,
          memoryLimitInMB: String(spec.memoryMb),
          awsRequestId: id,
          logGroupName: `/aws/lambda/${spec.name}`,
          logStreamName: 'local',
          deadlineMs,
        },
      });
    });

  const invoke = async (name: string, event: unknown): Promise<unknown> => {
    const state = states.get(name);
    if (!state) throw new Error(`no function ${name}`);
    const { spec, stats } = state;
    const payload = JSON.stringify(event ?? null);
    stats.inflight++;
    stats.invoked++;
    const id = randomUUID();
    let instance: Instance | undefined;
    try {
      instance = await acquire(state);
      const cold = instance.initMs === undefined;
      const ready = cold ? await initOf(instance) : { initMs: instance.initMs ?? 0 };
      instance.initMs = ready.initMs;
      logLine(state, `START RequestId: ${id} Version: $LATEST`);
      if (ready.error) {
        logLine(
          state,
          `${new Date().toISOString()}\tundefined\tERROR\tInit Error\t${JSON.stringify(ready.error)}`,
        );
        discard(state, instance);
        throw new FunctionError(name, ready.error.errorType, ready.error.errorMessage, ready.error.stack);
      }
      const started = performance.now();
      const outcome = await run(state, instance, id, payload, Date.now() + spec.timeoutSeconds * 1000);
      const duration = performance.now() - started;
      stats.billedMs += Math.ceil(duration);
      const memory =
        'heapBytes' in outcome ? `\tMax Memory Used: ${Math.ceil(outcome.heapBytes / 2 ** 20)} MB` : '';
      logLine(state, `END RequestId: ${id}`);
      logLine(
        state,
        `REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${spec.memoryMb} MB${memory}${cold ? `\tInit Duration: ${ready.initMs.toFixed(2)} ms` : ''}`,
      );
      if (outcome instanceof Error) {
        // Timed out, crashed or ran out of memory: this environment is not reused.
        logLine(state, `${new Date().toISOString()} ${id} ${outcome.message}`);
        discard(state, instance);
        throw outcome instanceof FunctionError
          ? outcome
          : new FunctionError(name, 'Runtime.ExitError', outcome.message);
      }
      if (outcome.type !== 'result')
        throw new FunctionError(name, 'Runtime.Unknown', 'unexpected message from the instance');
      if (!outcome.ok) {
        logLine(
          state,
          `${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(outcome.error)}`,
        );
        throw new FunctionError(
          name,
          outcome.error.errorType,
          outcome.error.errorMessage,
          outcome.error.stack,
        );
      }
      if (Buffer.byteLength(outcome.payload) > MAX_RESPONSE_BYTES) {
        throw new FunctionError(
          name,
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        );
      }
      return JSON.parse(outcome.payload) as unknown;
    } catch (error) {
      stats.failed++;
      throw error;
    } finally {
      stats.inflight--;
      if (instance && !instance.gone) release(state, instance);
      if (inflightTotal() === 0) for (const wake of idleWaiters) wake();
    }
  };

  /** The instance's init outcome, or a timeout after Lambda's 10 s. */
  const initOf = (instance: Instance) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ initMs: number; error: WorkerError }>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            initMs: INIT_TIMEOUT_MS,
            error: { errorType: 'Runtime.InitTimeout', errorMessage: 'INIT phase timed out', stack: '' },
          }),
        INIT_TIMEOUT_MS,
      );
    });
    return Promise.race([instance.ready, timeout]).finally(() => clearTimeout(timer));
  };

  const inflightTotal = () => [...states.values()].reduce((n, s) => n + s.stats.inflight, 0);

  return {
    invoke,
    inflight: inflightTotal,
    crash: (name) => {
      const state = states.get(name);
      const running = state ? state.instances.filter((i) => i.busy && !i.gone) : [];
      for (const instance of running) void instance.worker.terminate();
      return running.length;
    },
    stats: () => Object.fromEntries([...states].map(([name, s]) => [name, { ...s.stats }])),
    stop: async ({ graceMs = 10_000 } = {}) => {
      stopping = true;
      for (const state of states.values()) for (const wake of state.waiting.splice(0)) wake();
      if (inflightTotal() > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            idleWaiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, graceMs);
          idleWaiters.add(done);
        });
      }
      const all = [...states.values()].flatMap((s) => s.instances.map((i) => ({ s, i })));
      await Promise.all(all.map(({ i }) => i.worker.terminate()));
      await Promise.all(
        [...states.values()].map((s) =>
          s.log ? new Promise<void>((resolve) => s.log!.end(resolve)) : undefined,
        ),
      );
    },
  };
}

/** The directory of a function's bundle: LAMBDA_TASK_ROOT. */
export const taskRoot = (bundle: string): string => dirname(bundle);
