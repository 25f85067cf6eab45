// One Lambda execution environment: a worker thread with the function's own environment and
// module scope. It loads the bundle once (the init phase, timed), then runs one invocation at a
// time. Plain JavaScript because the worker runs the built bundle, without tsx's loader.
import { subscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

// No source maps turned on here: as on AWS, the bundle maps its own stack traces when one is
// printed (shared/observability/lazy-source-maps.ts, injected by infra/bundling.ts).

/** Lambda's error shape: errorType is the error's name, errorMessage its message. */
const describe = (error) => {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, stack: error.stack ?? '' };
  }
  return { errorType: typeof error, errorMessage: String(error), stack: '' };
};

// The AWS operations this function calls, as the host reports them (GET /status): IAM is not
// emulated here, so the e2e run checks them against the topology's declared access instead
// (test/e2e/zz-aws-actions.test.ts). JSON protocols name the operation in X-Amz-Target
// ("DynamoDB_20120810.GetItem"); SES's query protocol names it in the body ("Action=SendEmail").
// (`http.client.request.created` fires before the SDK writes the body; `.start` only after.)
// Each operation is reported once per instance, so the cost is a header read per request.
const reported = new Set();
const report = (operation) => {
  if (reported.has(operation)) return;
  reported.add(operation);
  parentPort.postMessage({ type: 'aws', operation });
};
const sesEndpoint = process.env.AWS_ENDPOINT_URL_SES ? new URL(process.env.AWS_ENDPOINT_URL_SES) : undefined;
const TRANSACT_WRITE = 'DynamoDB_20120810.TransactWriteItems';
// Sending to a queue is granted queue by queue: the queue's name is reported with the operation.
const SQS_SENDS = new Set(['AmazonSQS.SendMessage', 'AmazonSQS.SendMessageBatch']);

/** Calls `read` with the request's body text, whether the SDK sends it by write() or end(). */
const onBody = (request, read) => {
  const { write, end } = request;
  const sniff = (chunk) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    read(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  };
  request.write = function (chunk, ...rest) {
    sniff(chunk);
    return write.call(this, chunk, ...rest);
  };
  request.end = function (chunk, ...rest) {
    sniff(chunk);
    return end.call(this, chunk, ...rest);
  };
};

subscribe('http.client.request.created', ({ request }) => {
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string') {
    report(target);
    // A transaction needs the IAM action of each kind of item it holds (Put, Update, …).
    if (target === TRANSACT_WRITE) {
      onBody(request, (text) => {
        for (const item of JSON.parse(text).TransactItems ?? [])
          for (const kind of Object.keys(item)) report(`${TRANSACT_WRITE}:${kind}`);
      });
    }
    if (SQS_SENDS.has(target)) {
      onBody(request, (text) => {
        const queueUrl = JSON.parse(text).QueueUrl;
        if (typeof queueUrl === 'string') report(`${target}@${queueUrl.split('/').pop()}`);
      });
    }
    return;
  }
  if (sesEndpoint && String(request.getHeader('host')) === sesEndpoint.host) {
    onBody(request, (text) => {
      const action = /(?:^|&)Action=([A-Za-z]+)/.exec(text)?.[1];
      if (action) report(`SimpleEmailService.${action}`);
    });
  }
});

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
