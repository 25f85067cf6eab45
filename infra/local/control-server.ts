/**
 * The runtime's control endpoint on 127.0.0.1 (runtime.json's controlUrl), for the CLI and tests:
 *   GET  /status                 RuntimeStatus as JSON (`gonghui wait` polls it)
 *   GET  /schedules              every schedule with its function and next fire time
 *   POST /schedules/<id>/fire    fires a schedule now, or at body {"at": "<ISO time>"}; answers
 *                                once the function has run (200), or with its error (502)
 * With fault injection on (startRuntime({ faults: true })):
 *   POST /faults/<dynamodb|ses|smtp>  body: a FaultRule (fault-proxy.ts; `reject` for smtp only),
 *                                for a service the runtime has (ses or smtp, by its transport)
 *   DELETE /faults               ends every fault
 *   GET /faults                  faults injected so far, by service and kind
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAULT_KINDS, type FaultKind, type FaultRule, type FaultService } from './fault-proxy.ts';

export interface ControlHandlers {
  status(): Promise<unknown>;
  schedules(): Array<{ id: string; function: string; next: string | null }>;
  fireSchedule(id: string, at?: Date): Promise<void>;
  faults?: {
    /** The services this runtime can fault. */
    services(): FaultService[];
    inject(service: FaultService, rule: FaultRule): void;
    clear(): void;
    injected(): Partial<Record<FaultService, Record<FaultKind, number>>>;
  };
}

export interface ControlServer {
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

const reply = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** The optional fire time of a fire request: `{"at": "2026-09-24T00:00:00Z"}`, or nothing. */
export const parseFireBody = (text: string): { at?: Date } | { error: string } => {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'the body is not JSON' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { error: 'the body is not an object' };
  const at = (body as { at?: unknown }).at;
  if (at === undefined) return {};
  const date = typeof at === 'string' ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime())) return { error: '"at" is not an ISO 8601 time' };
  return { at: date };
};

export async function startControlServer(handlers: ControlHandlers): Promise<ControlServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/status') return reply(res, 200, await handlers.status());
    if (req.method === 'GET' && path === '/schedules')
      return reply(res, 200, { schedules: handlers.schedules() });
    const fire = /^\/schedules\/([^/]+)\/fire$/.exec(path ?? '');
    if (fire && req.method === 'POST') {
      const id = decodeURIComponent(fire[1]!);
      if (!handlers.schedules().some((s) => s.id === id))
        return reply(res, 404, { message: `no schedule ${id}` });
      const parsed = parseFireBody(await readBody(req));
      if ('error' in parsed) return reply(res, 400, { message: parsed.error });
      try {
        await handlers.fireSchedule(id, parsed.at);
      } catch (error) {
        return reply(res, 502, { message: `schedule ${id} failed: ${(error as Error).message}` });
      }
      return reply(res, 200, { id, fired: true, ...(parsed.at ? { at: parsed.at.toISOString() } : {}) });
    }
    const faults = handlers.faults;
    if (faults && path === '/faults' && req.method === 'GET') return reply(res, 200, faults.injected());
    if (faults && path === '/faults' && req.method === 'DELETE') {
      faults.clear();
      return reply(res, 200, { cleared: true });
    }
    const fault = /^\/faults\/([a-z]+)$/.exec(path ?? '');
    if (faults && fault && req.method === 'POST') {
      const service = fault[1] as FaultService;
      if (!faults.services().includes(service))
        return reply(res, 404, {
          message: `no fault point for ${service}; this runtime has ${faults.services().join(', ')}`,
        });
      let rule: FaultRule;
      try {
        rule = JSON.parse(await readBody(req)) as FaultRule;
      } catch {
        return reply(res, 400, { message: 'the body is not JSON' });
      }
      if (!FAULT_KINDS.includes(rule?.kind))
        return reply(res, 400, { message: `kind: one of ${FAULT_KINDS.join(', ')}` });
      if (rule.kind === 'reject' && service !== 'smtp')
        return reply(res, 400, { message: 'kind reject: the SMTP server only' });
      faults.inject(service, rule);
      return reply(res, 200, { injected: rule });
    }
    return reply(res, 404, { message: 'GET /status, GET /schedules, POST /schedules/<id>/fire' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, { message: (error as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
