/**
 * Runs the topology's functions as Lambda would: each function is bundled with the deploy's
 * esbuild options, and each instance is a worker thread with only that function's environment
 * and its own module scope (send-email's pacer is per instance, as in Lambda). Instances start
 * lazily up to the function's concurrency and serve one invocation at a time; an invocation
 * past the function's timeout fails and its instance is replaced.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { bundling } from '../bundling.ts';
import { type FunctionName, functionNames, functions, type Trigger } from '../topology.ts';

export interface InvokeError extends Error {
  functionError: true;
}

interface Instance {
  worker: Worker;
  busy: boolean;
  pending?: { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; id: string };
}

export interface FunctionStats {
  inflight: number;
  invoked: number;
  failed: number;
  instances: number;
}

const WORKER = resolve(import.meta.dirname, 'lambda-worker.mjs');

/**
 * How many instances a function may have at once: its queue mapping's cap; otherwise enough
 * for a burst of API clients (Lambda would scale further; instances start lazily here).
 */
const concurrencyOf = (name: FunctionName): number => {
  const queue = (functions[name].triggers as readonly Trigger[]).find((t) => t.kind === 'queue');
  return queue && queue.kind === 'queue' ? queue.maxConcurrency : 20;
};

export const buildFunctions = async (outDir: string): Promise<Record<FunctionName, string>> => {
  const out = {} as Record<FunctionName, string>;
  await Promise.all(
    functionNames.map(async (name) => {
      const outfile = join(outDir, name, bundling.outFile);
      await build({
        entryPoints: [resolve(functions[name].entry)],
        outfile,
        bundle: true,
        format: bundling.format,
        platform: bundling.platform,
        target: bundling.target,
        minify: bundling.minify,
        sourcemap: bundling.sourcemap,
        mainFields: [...bundling.mainFields],
        logLevel: 'error',
      });
      out[name] = outfile;
    }),
  );
  return out;
};

export class LambdaHost {
  private readonly instances = new Map<FunctionName, Instance[]>();
  private readonly waiting = new Map<FunctionName, Array<() => void>>();
  private readonly stats = new Map<FunctionName, FunctionStats>();
  private readonly logs = new Map<FunctionName, WriteStream>();
  private stopped = false;

  constructor(
    private readonly bundles: Record<FunctionName, string>,
    private readonly envOf: (name: FunctionName) => Record<string, string>,
    private readonly logDir: string,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    for (const name of functionNames)
      this.stats.set(name, { inflight: 0, invoked: 0, failed: 0, instances: 0 });
  }

  stat(): Record<string, FunctionStats> {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }

  inflight(): number {
    return [...this.stats.values()].reduce((n, s) => n + s.inflight, 0);
  }

  private log(name: FunctionName): WriteStream {
    let stream = this.logs.get(name);
    if (!stream) {
      stream = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, stream);
    }
    return stream;
  }

  private spawn(name: FunctionName): Instance {
    const worker = new Worker(WORKER, {
      workerData: { bundle: this.bundles[name] },
      env: this.envOf(name),
      stdout: true,
      stderr: true,
      execArgv: ['--enable-source-maps'],
    });
    worker.stdout.pipe(this.log(name), { end: false });
    worker.stderr.pipe(this.log(name), { end: false });
    const instance: Instance = { worker, busy: false };
    worker.on(
      'message',
      (msg: { id: string; ok: boolean; result?: unknown; error?: { name: string; message: string } }) => {
        const p = instance.pending;
        if (!p || p.id !== msg.id) return;
        clearTimeout(p.timer);
        instance.pending = undefined;
        if (msg.ok) p.resolve(msg.result);
        else
          p.reject(
            Object.assign(new Error(msg.error?.message), {
              name: msg.error?.name ?? 'Error',
              functionError: true,
            }),
          );
      },
    );
    worker.on('error', (error) => {
      const p = instance.pending;
      instance.pending = undefined;
      if (p) {
        clearTimeout(p.timer);
        p.reject(Object.assign(error, { functionError: true }));
      }
      this.remove(name, instance);
    });
    worker.on('exit', () => this.remove(name, instance));
    const list = this.instances.get(name) ?? [];
    list.push(instance);
    this.instances.set(name, list);
    this.stats.get(name)!.instances = list.length;
    return instance;
  }

  private remove(name: FunctionName, instance: Instance) {
    const list = (this.instances.get(name) ?? []).filter((i) => i !== instance);
    this.instances.set(name, list);
    this.stats.get(name)!.instances = list.length;
    this.release(name);
  }

  private release(name: FunctionName) {
    const next = this.waiting.get(name)?.shift();
    if (next) next();
  }

  private async acquire(name: FunctionName): Promise<Instance> {
    for (;;) {
      if (this.stopped) throw new Error('runtime stopping');
      const list = this.instances.get(name) ?? [];
      const idle = list.find((i) => !i.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (list.length < concurrencyOf(name)) {
        const fresh = this.spawn(name);
        fresh.busy = true;
        return fresh;
      }
      await new Promise<void>((resolveWait) => {
        const queue = this.waiting.get(name) ?? [];
        queue.push(resolveWait);
        this.waiting.set(name, queue);
      });
    }
  }

  async invoke(name: FunctionName, event: unknown): Promise<unknown> {
    const spec = functions[name];
    const stats = this.stats.get(name)!;
    const instance = await this.acquire(name);
    stats.inflight++;
    stats.invoked++;
    const id = randomUUID();
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    try {
      return await new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => {
          instance.pending = undefined;
          reject(
            Object.assign(new Error(`Task timed out after ${spec.timeoutSeconds} seconds`), {
              functionError: true,
            }),
          );
          // A timed-out instance may still be running: replace it, as Lambda does.
          void instance.worker.terminate();
        }, spec.timeoutSeconds * 1000);
        instance.pending = { resolve: resolvePromise, reject, timer, id };
        instance.worker.postMessage({
          id,
          event,
          context: {
            functionName: name,
            functionVersion: '$LATEST',
            invokedFunctionArn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`,
            memoryLimitInMB: String(spec.memoryMb),
            awsRequestId: id,
            logGroupName: `/aws/lambda/${name}`,
            logStreamName: 'local',
            deadline,
          },
        });
      });
    } catch (error) {
      stats.failed++;
      throw error;
    } finally {
      stats.inflight--;
      instance.busy = false;
      this.release(name);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiters of this.waiting.values()) for (const w of waiters.splice(0)) w();
    const all = [...this.instances.values()].flat();
    await Promise.all(all.map((i) => i.worker.terminate()));
    await Promise.all([...this.logs.values()].map((s) => new Promise<void>((r) => s.end(r))));
  }
}
