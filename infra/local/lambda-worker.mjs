// One Lambda execution environment: a worker thread with the function's own environment and
// module scope. It loads the bundle once (the init phase, timed), then runs one invocation at a
// time. Plain JavaScript because the worker runs the built bundle, without tsx's loader.
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

// What CDK's NODE_OPTIONS=--enable-source-maps does on AWS (a worker cannot take that flag).
process.setSourceMapsEnabled(true);

/** Lambda's error shape: errorType is the error's name, errorMessage its message. */
const describe = (error) => {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, stack: error.stack ?? '' };
  }
  return { errorType: typeof error, errorMessage: String(error), stack: '' };
};

const { bundle } = workerData;
let handler;
let initError;
const initStarted = performance.now();
try {
  const exported = createRequire(bundle)(bundle);
  handler = exported.handler;
  if (typeof handler !== 'function') {
    initError = Object.assign(new Error('index.handler is undefined or not exported'), {
      name: 'Runtime.HandlerNotFound',
    });
  }
} catch (error) {
  initError = error;
}
parentPort.postMessage({
  type: 'ready',
  initMs: performance.now() - initStarted,
  ...(initError ? { error: describe(initError) } : {}),
});

parentPort.on('message', async ({ id, event, context }) => {
  const ctx = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
  };
  try {
    const result = await handler(JSON.parse(event), ctx);
    // Lambda hands back JSON: undefined becomes null, a Date a string, a cycle an error.
    let payload;
    try {
      payload = result === undefined ? 'null' : JSON.stringify(result);
    } catch (error) {
      throw Object.assign(new Error(`Unable to stringify response body: ${error.message}`), {
        name: 'Runtime.MarshalError',
      });
    }
    parentPort.postMessage({
      type: 'result',
      id,
      ok: true,
      payload,
      heapBytes: getHeapStatistics().used_heap_size,
    });
  } catch (error) {
    parentPort.postMessage({
      type: 'result',
      id,
      ok: false,
      error: describe(error),
      heapBytes: getHeapStatistics().used_heap_size,
    });
  }
});
