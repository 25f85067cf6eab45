// One Lambda instance: a worker thread with the function's own environment and module scope.
// It loads the bundle once (the cold start) and runs one invocation at a time.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const { bundle } = workerData;
let handler;
let initError;
try {
  handler = createRequire(bundle)(bundle).handler;
  if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler`);
} catch (error) {
  initError = error;
}

parentPort.on('message', async ({ id, event, context }) => {
  const ctx = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    if (initError) throw initError;
    const result = await handler(event, ctx);
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) },
    });
  }
});
