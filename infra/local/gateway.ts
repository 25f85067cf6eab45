/**
 * The local API Gateway HTTP API: routes requests to functions with the Lambda proxy integration,
 * payload format 2.0, and a JWT authorizer on the routes that ask for one.
 *
 * It reproduces what a handler can observe, because handlers never know which runtime they are
 * in: the event's exact shape (lower-cased headers joined with ',', cookies taken out of the
 * headers, query parameters joined with ',', base64 bodies for non-text content types), the JWT
 * authorizer's stringified claims, the route specificity rules, the 2.0 response format with its
 * shortcuts, and the gateway's own 401, 404, 413 and 500 answers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';

export type GatewayEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2;

export interface GatewayRoute {
  /** GET, POST, … or ANY. */
  method: string;
  /** API Gateway path syntax: `/members/{id}`, `/files/{proxy+}`. */
  path: string;
  auth: 'jwt' | 'none';
  function: string;
  invoke: (event: GatewayEvent) => Promise<APIGatewayProxyResultV2>;
}

export interface GatewayOptions {
  port: number;
  host?: '127.0.0.1';
  routes: ReadonlyArray<GatewayRoute>;
  /** Verifies a bearer token and returns its claims; throws when the token is not valid. */
  verify: (token: string) => Promise<Record<string, unknown>>;
  /** Local-only paths (JWKS, the mail inbox) served before routing; true means handled. */
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  log?: (line: string) => void;
  /** requestContext.accountId and apiId; defaults are obviously local values. */
  accountId?: string;
  apiId?: string;
}

export interface LocalGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Requests being processed right now. */
  inflight(): number;
}

/** The stage the web app reaches the API through (same origin, under `/api/`); see infra/aws/web-app.ts. */
export const API_STAGE = 'api';

/** API Gateway's payload limit for HTTP APIs. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
/** Past this, a client still sending an oversized body is cut off instead of drained. */
const MAX_DRAIN_BYTES = 4 * MAX_REQUEST_BODY_BYTES;
const STOP_GRACE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Routes and their specificity.

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

/** Lower ranks are more specific: a literal beats {param}, which beats {proxy+}. */
const RANK = { literal: 0, param: 1, greedy: 2 } as const;

export interface CompiledRoute<R extends { method: string; path: string } = GatewayRoute> {
  route: R;
  method: string;
  segments: Segment[];
  routeKey: string;
}

const parseTemplate = (path: string): Segment[] => {
  if (!path.startsWith('/')) throw new Error(`route path ${path} must start with /`);
  const parts = path === '/' ? [] : path.slice(1).split('/');
  return parts.map((part, i): Segment => {
    const variable = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (variable) {
      if (variable[2] && i !== parts.length - 1)
        throw new Error(`route path ${path}: {${variable[1]}+} must be last`);
      return variable[2] ? { kind: 'greedy', name: variable[1]! } : { kind: 'param', name: variable[1]! };
    }
    if (part === '' || /[{}]/.test(part))
      throw new Error(`route path ${path} has an invalid segment "${part}"`);
    return { kind: 'literal', value: part };
  });
};

export function compileRoutes<R extends { method: string; path: string }>(
  routes: ReadonlyArray<R>,
): CompiledRoute<R>[] {
  const seen = new Set<string>();
  return routes.map((route) => {
    const method = route.method.toUpperCase();
    const routeKey = `${method} ${route.path}`;
    if (seen.has(routeKey)) throw new Error(`duplicate route ${routeKey}`);
    seen.add(routeKey);
    return { route, method, segments: parseTemplate(route.path), routeKey };
  });
}

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const matchSegments = (segments: Segment[], parts: string[]): Record<string, string> | undefined => {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.every((p) => p === '')) return undefined;
      params[segment.name] = rest.map(decodeSegment).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === 'literal') {
      if (decodeSegment(part) !== segment.value) return undefined;
    } else {
      params[segment.name] = decodeSegment(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
};

/** Negative when `a` is more specific than `b`. */
const compareSpecificity = (a: CompiledRoute<{ method: string; path: string }>, b: typeof a): number => {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const ra = a.segments[i] ? RANK[a.segments[i]!.kind] : -1;
    const rb = b.segments[i] ? RANK[b.segments[i]!.kind] : -1;
    if (ra !== rb) return ra - rb;
  }
  // Same shape: a route for the method beats ANY.
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
};

/**
 * The route API Gateway would pick: the most specific match, a method route before ANY. A GET
 * route does not answer HEAD (only an ANY or HEAD route does).
 */
export function matchRoute<R extends { method: string; path: string }>(
  routes: ReadonlyArray<CompiledRoute<R>>,
  method: string,
  rawPath: string,
): { compiled: CompiledRoute<R>; pathParameters: Record<string, string> } | undefined {
  const parts = rawPath === '/' ? [] : rawPath.slice(1).split('/');
  const upper = method.toUpperCase();
  let best: { compiled: CompiledRoute<R>; pathParameters: Record<string, string> } | undefined;
  for (const compiled of routes) {
    if (compiled.method !== upper && compiled.method !== 'ANY') continue;
    const pathParameters = matchSegments(compiled.segments, parts);
    if (!pathParameters) continue;
    if (!best || compareSpecificity(compiled, best.compiled) < 0) best = { compiled, pathParameters };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// JWT claims, as the HTTP API JWT authorizer hands them to the function.

/**
 * The real authorizer passes every claim as a string: numbers and booleans become their text,
 * arrays become a bracketed space-separated list (`["delegate","chair"]` arrives as
 * `[delegate chair]`), objects become `map[key:value …]` (the gateway formats them the way Go
 * prints values). Reproducing it here keeps handler code honest: the application parses both the
 * array and the bracketed form.
 */
export function flattenClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(flattenClaim).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `map[${entries.map(([k, v]) => `${k}:${flattenClaim(v)}`).join(' ')}]`;
}

export const flattenClaims = (claims: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, flattenClaim(v)]));

const bearerToken = (header: string | undefined): string | undefined => {
  // The identity source may hold the bare token or "Bearer <token>".
  const value = header?.trim();
  if (!value) return undefined;
  const match = /^bearer\s+(.+)$/i.exec(value);
  const token = (match ? match[1]! : value).trim();
  return token || undefined;
};

const invalidTokenDescription = (error: unknown): string => {
  const { code, claim } = (error ?? {}) as { code?: string; claim?: string };
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (claim === 'nbf') return 'the token is not valid yet';
  if (claim === 'aud') return 'the token does not have a valid audience';
  if (claim === 'iss') return 'the token does not have a valid issuer';
  return 'the token is not valid';
};

// ---------------------------------------------------------------------------------------------
// The request: event building.

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|javascript|xml|ld\+json|graphql)$/,
  /\+(json|xml)$/,
  /^application\/x-ndjson$/,
];

/** HTTP APIs pass text bodies as text and everything else (forms and files included) as base64. */
const isTextBody = (contentType: string | undefined, contentEncoding: string | undefined): boolean => {
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') return false;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType !== undefined && TEXT_TYPES.some((re) => re.test(mediaType));
};

/** Headers as API Gateway passes them: names lower-cased, repeated headers joined with ','. */
const collectHeaders = (req: IncomingMessage): { headers: Record<string, string>; cookies: string[] } => {
  const values = new Map<string, string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const list = values.get(name) ?? [];
    list.push(req.rawHeaders[i + 1]!);
    values.set(name, list);
  }
  // Format 2.0 moves cookies to their own field; the cookie header is not passed on.
  const cookies = (values.get('cookie') ?? [])
    .flatMap((h) => h.split(';'))
    .map((c) => c.trim())
    .filter(Boolean);
  values.delete('cookie');
  const headers: Record<string, string> = {};
  for (const [name, list] of values) headers[name] = list.join(',');
  return { headers, cookies };
};

const parseQuery = (raw: string): Record<string, string> | undefined => {
  if (!raw) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return Object.keys(params).length ? params : undefined;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** requestContext.time: `24/Nov/2026:00:00:00 +0000`. */
const clfTime = (d: Date) =>
  `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;

/** API Gateway's request ids look like `JDYlQjOYtjMEPJg=`. */
const newRequestId = () => randomBytes(10).toString('base64');

const traceId = (now: Date) =>
  `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

class RequestTooLarge extends Error {}
class ClientAborted extends Error {}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
    });
    // The body is drained, not refused mid-way, so the client reads the 413 instead of a reset.
    req.on('end', () =>
      size > MAX_REQUEST_BODY_BYTES || declared > MAX_REQUEST_BODY_BYTES
        ? reject(new RequestTooLarge())
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new ClientAborted());
    });
  });

// ---------------------------------------------------------------------------------------------
// The response: the 2.0 result format.

export interface GatewayReply {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

class InvalidResult extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const jsonReply = (status: number, body: unknown): GatewayReply => ({
  status,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify(body)),
});

/**
 * Payload format 2.0: a result without statusCode (an object, a string, a number, null) is the
 * JSON body of a 200; a result with statusCode is taken field by field. multiValueHeaders belongs
 * to format 1.0 and is ignored, as API Gateway does.
 */
export function toReply(result: unknown): GatewayReply {
  if (!isRecord(result) || !('statusCode' in result))
    return jsonReply(200, result === undefined ? null : result);
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded = false } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new InvalidResult('statusCode must be an integer from 100 to 599');
  }
  if (!isRecord(headers)) throw new InvalidResult('headers must be an object');
  if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) {
    throw new InvalidResult('cookies must be a list of strings');
  }
  if (body !== undefined && body !== null && typeof body !== 'string')
    throw new InvalidResult('body must be a string');
  if (typeof isBase64Encoded !== 'boolean') throw new InvalidResult('isBase64Encoded must be a boolean');
  const replyHeaders: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw new InvalidResult(`header ${name} is not a value`);
    replyHeaders.push([name.toLowerCase(), String(value)]);
  }
  for (const cookie of cookies as string[]) replyHeaders.push(['set-cookie', cookie]);
  const text = typeof body === 'string' ? body : '';
  if (isBase64Encoded && !/^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s/g, ''))) {
    throw new InvalidResult('body is not base64');
  }
  return {
    status: statusCode,
    headers: replyHeaders,
    body: isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}

// ---------------------------------------------------------------------------------------------
// The server.

export async function startGateway(opts: GatewayOptions): Promise<LocalGateway> {
  const { verify, extra, log } = opts;
  const routes = compileRoutes(opts.routes);
  const accountId = opts.accountId ?? '000000000000';
  const apiId = opts.apiId ?? 'local';
  let inflight = 0;

  const send = (
    res: ServerResponse,
    reply: GatewayReply,
    requestId: string,
    extraHeaders: Array<[string, string]> = [],
  ) => {
    if (res.headersSent || res.destroyed) return;
    const headers = [...reply.headers, ...extraHeaders, ['apigw-requestid', requestId]] as Array<
      [string, string]
    >;
    for (const [name, value] of headers) {
      const existing = res.getHeader(name);
      // Set-Cookie may repeat; any other header takes the last value.
      if (name === 'set-cookie' && existing !== undefined)
        res.setHeader(name, [...[existing].flat().map(String), value]);
      else res.setHeader(name, value);
    }
    res.setHeader('content-length', reply.body.length);
    res.writeHead(reply.status);
    res.end(res.req.method === 'HEAD' ? undefined : reply.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<string> => {
    if (extra && (await extra(req, res))) return 'extra';
    // Both as received, still percent-encoded: rawPath and rawQueryString are raw in AWS too.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = (q < 0 ? target : target.slice(0, q)) || '/';
    const rawQueryString = q < 0 ? '' : target.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    // A second stage named `api`, as the AWS stack has for the web app (CloudFront sends `/api/*`
    // there): HTTP APIs take the stage name off before matching routes, and keep it in rawPath.
    const stage =
      rawPath === `/${API_STAGE}` || rawPath.startsWith(`/${API_STAGE}/`) ? API_STAGE : '$default';
    const routePath = stage === API_STAGE ? rawPath.slice(API_STAGE.length + 1) || '/' : rawPath;

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof ClientAborted) return 'aborted by the client';
      if (!(error instanceof RequestTooLarge)) throw error;
      send(res, jsonReply(413, { message: 'Request Entity Too Large' }), requestId, [
        ['connection', 'close'],
      ]);
      return '413';
    }

    const match = matchRoute(routes, method, routePath);
    if (!match) {
      send(res, jsonReply(404, { message: 'Not Found' }), requestId);
      return `404 ${method}`;
    }
    const { compiled, pathParameters } = match;
    const routeKey = compiled.routeKey;

    let claims: Record<string, string> | undefined;
    if (compiled.route.auth === 'jwt') {
      const token = bearerToken(req.headers.authorization);
      if (!token) {
        send(res, jsonReply(401, { message: 'Unauthorized' }), requestId, [['www-authenticate', 'Bearer']]);
        return `401 ${routeKey} (no token)`;
      }
      try {
        claims = flattenClaims(await verify(token));
      } catch (error) {
        const description = invalidTokenDescription(error);
        send(res, jsonReply(401, { message: 'Unauthorized' }), requestId, [
          ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`],
        ]);
        return `401 ${routeKey} (${description})`;
      }
    }

    const now = new Date();
    const { headers, cookies } = collectHeaders(req);
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    // API Gateway adds these; handlers (and the logger) may read them.
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${sourceIp}`
      : sourceIp;
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    headers['x-forwarded-proto'] = 'http';
    headers['x-amzn-trace-id'] ??= traceId(now);
    const domainName = headers.host ?? `127.0.0.1:${req.socket.localPort}`;
    const text = isTextBody(headers['content-type'], headers['content-encoding']);
    const queryStringParameters = parseQuery(rawQueryString);

    const requestContext: APIGatewayEventRequestContextV2 = {
      accountId,
      apiId,
      domainName,
      domainPrefix: domainName.split('.')[0]!.split(':')[0]!,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage,
      time: clfTime(now),
      timeEpoch: now.getTime(),
    };
    const base: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString,
      ...(cookies.length ? { cookies } : {}),
      headers,
      ...(queryStringParameters ? { queryStringParameters } : {}),
      requestContext,
      ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
      ...(body.length ? { body: body.toString(text ? 'utf8' : 'base64') } : {}),
      isBase64Encoded: body.length > 0 && !text,
    };
    // scopes: null because no route declares authorization scopes (as API Gateway sends it then).
    const event: GatewayEvent = claims
      ? { ...base, requestContext: { ...requestContext, authorizer: { jwt: { claims, scopes: null } } } }
      : base;

    let reply: GatewayReply;
    try {
      reply = toReply(await compiled.route.invoke(event));
    } catch (error) {
      const why = error instanceof InvalidResult ? `invalid result: ${error.message}` : 'function error';
      send(res, jsonReply(500, { message: 'Internal Server Error' }), requestId);
      return `500 ${routeKey} -> ${compiled.route.function} (${why})`;
    }
    send(res, reply, requestId);
    return `${reply.status} ${routeKey} -> ${compiled.route.function}`;
  };

  const server: Server = createServer((req, res) => {
    inflight++;
    const started = Date.now();
    const requestId = newRequestId();
    res.on('close', () => inflight--);
    handle(req, res, requestId)
      .then((summary) => {
        // Route keys and status only: paths and bodies may carry personal data.
        if (summary !== 'extra') log?.(`${summary} ${Date.now() - started}ms`);
      })
      .catch((error: unknown) => {
        log?.(`500 gateway error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) send(res, jsonReply(500, { message: 'Internal Server Error' }), requestId);
        else res.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log?.(`API gateway on ${url} (${routes.length} routes)`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    inflight: () => inflight,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const deadline = Date.now() + STOP_GRACE_MS;
        const drain = setInterval(() => {
          if (inflight === 0 || Date.now() > deadline) {
            clearInterval(drain);
            server.closeAllConnections();
          }
        }, 10);
      });
      return stopping;
    },
  };
}
