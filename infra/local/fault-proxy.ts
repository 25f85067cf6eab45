/**
 * Fault injection for the embedded runtime (tests and soak runs only; `startRuntime({ faults:
 * true })`): a proxy between the functions and an emulator (DynamoDB Local, the SES emulator).
 * Each function reaches it under its own path (`/fn/<function>/`), so a fault can aim at one
 * function's calls. Nothing of this exists in the bundles deployed to AWS: the functions only see
 * another endpoint URL.
 *
 * Faults, each for a number of matching calls or for a stretch of time from the first one:
 *   throttle     answers as the service does when it throttles (DynamoDB ThrottlingException,
 *                SES "Maximum sending rate exceeded"), without passing the call on;
 *   delay        holds the call for `delayMs` before passing it on (past the client's timeout,
 *                a timeout);
 *   crash-after  passes the call on, and when the service has answered, crashes the calling
 *                function's running instances instead of answering: the state is written, the
 *                function never learns it (a crash after the write, before the publish or mail);
 *   reject       (the local SMTP server only, smtp.ts) refuses for good: a 5xx reply.
 * The rules themselves (createFaultRules) are shared with the local SMTP server, which applies
 * them to its own steps (RCPT, DATA) instead of proxying.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind = 'throttle' | 'delay' | 'crash-after' | 'reject';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'delay', 'crash-after', 'reject'];

/** The services faults can be injected into (POST /faults/<service>). */
export type FaultService = 'dynamodb' | 'ses' | 'smtp';

export interface FaultRule {
  kind: FaultKind;
  /** Only calls of this function (`enrol-member`); any function when absent. */
  function?: string;
  /** Only this operation (`TransactWriteItems`, `SendEmail`; the SMTP server's `RCPT`, `DATA`); any when absent. */
  operation?: string;
  /** The SMTP server only: only mail to this address; any when absent. */
  recipient?: string;
  /** How many matching calls to fault (default 1), */
  count?: number;
  /**
   * …or every matching call for this long (ms) from the first one, whichever ends first when both
   * are given. From the first call, not from the injection: on a loaded machine the calls may
   * come seconds later, and a stretch that had run out by then faulted nothing (seen: SES
   * throttling 3 s from the injection, the first welcome mail after it).
   */
  forMs?: number;
  /** delay: how long to hold the call. */
  delayMs?: number;
}

/** Rules injected into one service, and what they injected. */
export interface FaultRules {
  inject(rule: FaultRule): void;
  clear(): void;
  /** Faults injected so far, by kind. */
  injected(): Record<FaultKind, number>;
}

export interface FaultProxy extends FaultRules {
  /** The endpoint one function uses. */
  endpointFor(functionName: string): string;
  stop(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  left: number;
  /** Set at the first matching call when the rule has `forMs`. */
  until: number;
}

/** The bookkeeping of injected rules: `take` says which rule (if any) faults a call, and counts it. */
export const createFaultRules = (): FaultRules & {
  take(fn: string, operation: string, recipients?: readonly string[]): FaultRule | undefined;
} => {
  let rules: ActiveRule[] = [];
  const injected: Record<FaultKind, number> = { throttle: 0, delay: 0, 'crash-after': 0, reject: 0 };
  return {
    take: (fn, operation, recipients) => {
      const now = Date.now();
      rules = rules.filter((r) => r.left > 0 && r.until > now);
      const rule = rules.find(
        (r) =>
          (!r.function || r.function === fn) &&
          (!r.operation || r.operation === operation) &&
          (!r.recipient || (recipients ?? []).includes(r.recipient)),
      );
      if (rule) {
        if (rule.forMs !== undefined && rule.until === Number.POSITIVE_INFINITY)
          rule.until = now + rule.forMs;
        rule.left--;
        injected[rule.kind]++;
      }
      return rule;
    },
    inject: (rule) =>
      rules.push({
        ...rule,
        left: rule.count ?? (rule.forMs !== undefined ? Number.POSITIVE_INFINITY : 1),
        until: Number.POSITIVE_INFINITY,
      }),
    clear: () => {
      rules = [];
    },
    injected: () => ({ ...injected }),
  };
};

const THROTTLED: Record<'dynamodb' | 'ses', { status: number; type: string; body: string }> = {
  dynamodb: {
    status: 400,
    type: 'application/x-amz-json-1.0',
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
      message: 'Rate of requests exceeds the allowed throughput (injected)',
    }),
  },
  ses: {
    status: 400,
    type: 'text/xml',
    body: '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>injected</RequestId></ErrorResponse>',
  },
};

const operationOf = (req: IncomingMessage, body: Buffer): string => {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? '';
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('latin1', 0, 200))?.[1] ?? '';
};

export const startFaultProxy = async (opts: {
  service: 'dynamodb' | 'ses';
  upstream: string;
  /** Crashes the running instances of a function (the lambda host's crash). */
  crash: (functionName: string) => void;
}): Promise<FaultProxy> => {
  const upstream = new URL(opts.upstream);
  const rules = createFaultRules();
  const take = rules.take;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const match = /^\/fn\/([^/]+)(\/.*)?$/.exec(req.url ?? '');
      const fn = match?.[1] ?? '';
      const path = match?.[2] ?? req.url ?? '/';
      const rule = take(fn, operationOf(req, body));
      if (rule?.kind === 'throttle') {
        const t = THROTTLED[opts.service];
        res.writeHead(t.status, { 'content-type': t.type, 'content-length': Buffer.byteLength(t.body) });
        res.end(t.body);
        return;
      }
      if (rule?.kind === 'delay') await new Promise((r) => setTimeout(r, rule.delayMs ?? 15_000));
      if (res.destroyed) return;
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path,
          headers: { ...req.headers, host: upstream.host },
        },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            if (rule?.kind === 'crash-after') {
              // The service has done it; the function dies before it hears so.
              opts.crash(fn);
              res.destroy();
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(out));
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpointFor: (fn) => `http://127.0.0.1:${port}/fn/${fn}`,
    inject: rules.inject,
    clear: rules.clear,
    injected: rules.injected,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
