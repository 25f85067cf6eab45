import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
} from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  compileRoutes,
  flattenClaim,
  type GatewayEvent,
  type GatewayRoute,
  type LocalGateway,
  MAX_REQUEST_BODY_BYTES,
  matchRoute,
  startGateway,
  toReply,
} from '../../../infra/local/gateway.ts';
import { type LocalIssuer, loadOrCreateIssuer } from '../../../infra/local/issuer.ts';
import { routes as topologyRoutes } from '../../../infra/topology.ts';
import { principalOf } from '../../../shared/http/principal.ts';

let root: string;
let issuer: LocalIssuer;
let gateway: LocalGateway;
const calls: Array<{ fn: string; event: GatewayEvent }> = [];
/** What the next invocation of a function returns (or throws). */
let respond: (event: GatewayEvent) => Promise<APIGatewayProxyResultV2> = async () => ({
  statusCode: 200,
  body: 'ok',
});
const logLines: string[] = [];

const route = (method: string, path: string, auth: 'jwt' | 'none', fn: string): GatewayRoute => ({
  method,
  path,
  auth,
  function: fn,
  invoke: async (event) => {
    calls.push({ fn, event });
    return respond(event);
  },
});

const routes: GatewayRoute[] = [
  route('GET', '/health', 'none', 'public-api'),
  route('GET', '/', 'none', 'root'),
  route('GET', '/members/{id}', 'jwt', 'members-by-id'),
  route('GET', '/members/me', 'jwt', 'members-me'),
  route('GET', '/proposals/{id}', 'none', 'proposal'),
  route('POST', '/proposals/{id}/{action}', 'jwt', 'proposal-action'),
  route('POST', '/upload', 'none', 'upload'),
  route('ANY', '/files/{proxy+}', 'none', 'files-any'),
  route('GET', '/files/{proxy+}', 'none', 'files-get'),
  route('GET', '/files/special/{proxy+}', 'none', 'files-special'),
];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gonghui-gateway-'));
  issuer = await loadOrCreateIssuer(join(root, 'issuer'));
  gateway = await startGateway({
    port: 0,
    routes,
    verify: issuer.verify,
    log: (line) => logLines.push(line),
    extra: (req, res) => {
      if (req.url !== '/.well-known/jwks.json') return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
      return true;
    },
  });
});

afterAll(async () => {
  await gateway.stop();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
  respond = async () => ({ statusCode: 200, body: 'ok' });
});

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);
const bearer = async (claims: Parameters<LocalIssuer['sign']>[0] = { sub: 'M0001' }) => ({
  authorization: `Bearer ${await issuer.sign(claims)}`,
});

/** node:http for what fetch cannot do: repeated header lines, HEAD without a body. */
const raw = (
  path: string,
  opts: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      `${gateway.url}${path}`,
      { method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });

describe('route matching', () => {
  const pick = (method: string, path: string) =>
    matchRoute(compileRoutes(routes), method, path)?.compiled.route.function;

  it('prefers literal segments, then parameters, then greedy; a method over ANY', () => {
    expect(pick('GET', '/members/me')).toBe('members-me');
    expect(pick('GET', '/members/M0001')).toBe('members-by-id');
    expect(pick('GET', '/files/a/b.txt')).toBe('files-get');
    expect(pick('PUT', '/files/a/b.txt')).toBe('files-any');
    expect(pick('GET', '/files/special/x')).toBe('files-special');
    expect(pick('GET', '/')).toBe('root');
  });

  it('does not stretch a parameter over several segments, nor match an empty one', () => {
    expect(pick('GET', '/members/a/b')).toBeUndefined();
    expect(pick('GET', '/members/')).toBeUndefined();
    expect(pick('GET', '/files')).toBeUndefined();
    expect(pick('GET', '/files/')).toBeUndefined();
    expect(pick('GET', '/health/')).toBeUndefined();
    expect(pick('GET', '/HEALTH')).toBeUndefined();
  });

  it('puts a catch-all below everything else', () => {
    const all = compileRoutes([
      { method: 'ANY', path: '/{proxy+}' },
      { method: 'GET', path: '/pets/{proxy+}' },
      { method: 'GET', path: '/pets/dog/{id}' },
      { method: 'GET', path: '/pets/dog/1' },
    ]);
    const at = (path: string) => matchRoute(all, 'GET', path)?.compiled.routeKey;
    expect(at('/pets/dog/1')).toBe('GET /pets/dog/1');
    expect(at('/pets/dog/2')).toBe('GET /pets/dog/{id}');
    expect(at('/pets/cat/2')).toBe('GET /pets/{proxy+}');
    expect(at('/other')).toBe('ANY /{proxy+}');
    expect(matchRoute(all, 'GET', '/pets/dog/2')?.pathParameters).toEqual({ id: '2' });
    expect(matchRoute(all, 'GET', '/pets/a/b%20c')?.pathParameters).toEqual({ proxy: 'a/b c' });
  });

  it('compiles the topology’s routes, each reachable by its own path', () => {
    const compiled = compileRoutes(topologyRoutes());
    for (const r of topologyRoutes()) {
      const sample = r.path.replace(/\{[^}]+\}/g, 'sample-1');
      expect(matchRoute(compiled, r.method, sample)?.compiled.routeKey).toBe(`${r.method} ${r.path}`);
    }
  });

  it('refuses route definitions API Gateway would refuse', () => {
    expect(() => compileRoutes([{ method: 'GET', path: '/a/{p+}/b' }])).toThrow(/must be last/);
    expect(() => compileRoutes([{ method: 'GET', path: 'a' }])).toThrow(/start with/);
    expect(() => compileRoutes([{ method: 'GET', path: '/a{b}' }])).toThrow(/invalid segment/);
    expect(() =>
      compileRoutes([
        { method: 'GET', path: '/a' },
        { method: 'get', path: '/a' },
      ]),
    ).toThrow(/duplicate/);
  });
});

describe('the gateway over HTTP', () => {
  it('answers 404 like API Gateway: no route, wrong method, HEAD on a GET route', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/health'],
      ['POST', '/members/me'],
    ] as const) {
      const res = await call(path, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
      expect(res.headers.get('apigw-requestid')).toBeTruthy();
    }
    const head = await raw('/health', { method: 'HEAD' });
    expect(head.status).toBe(404);
    const anyHead = await raw('/files/x', { method: 'HEAD' });
    expect(anyHead.status).toBe(200);
    expect(calls.map((c) => c.fn)).toEqual(['files-any']);
  });

  it('serves local-only paths through extra before routing', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(issuer.jwks);
    expect(calls).toEqual([]);
  });

  describe('JWT routes', () => {
    it('refuse a missing token with 401 and www-authenticate, without invoking the function', async () => {
      const res = await call('/members/me');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const empty = await call('/members/me', { headers: { authorization: 'Bearer ' } });
      expect(empty.status).toBe(401);
      expect(calls).toEqual([]);
    });

    it('refuse invalid tokens: garbage, expired, another issuer’s, another audience', async () => {
      const other = await loadOrCreateIssuer(join(root, 'other'));
      const tokens = {
        garbage: 'abc.def.ghi',
        expired: await issuer.sign({ sub: 'M1' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
        otherKey: await other.sign({ sub: 'M1' }),
        otherAudience: await issuer.sign({ sub: 'M1' }, { audience: 'x' }),
      };
      const descriptions: Record<string, string | null> = {};
      for (const [name, token] of Object.entries(tokens)) {
        const res = await call('/members/me', { headers: { authorization: `Bearer ${token}` } });
        expect(res.status, name).toBe(401);
        expect(await res.json()).toEqual({ message: 'Unauthorized' });
        descriptions[name] = res.headers.get('www-authenticate');
      }
      expect(descriptions.expired).toBe(
        'Bearer scope="" error="invalid_token" error_description="the token has expired"',
      );
      expect(descriptions.otherAudience).toContain('audience');
      expect(descriptions.garbage).toContain('error="invalid_token"');
      expect(calls).toEqual([]);
      // Logs say why, never the token.
      expect(logLines.join('\n')).not.toContain(tokens.expired);
    });

    it('accept a valid token with or without the Bearer prefix', async () => {
      const token = await issuer.sign({ sub: 'M0001' });
      expect((await call('/members/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await call('/members/me', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
      expect((await call('/members/me', { headers: { authorization: token } })).status).toBe(200);
      expect(calls).toHaveLength(3);
    });

    it('pass the claims as strings, the way the HTTP API JWT authorizer does', async () => {
      await call('/members/M0001', {
        headers: await bearer({
          sub: 'M0001',
          groups: ['delegate', 'chair'],
          department: 'D01',
          level: 3,
          active: true,
          nested: { b: 2, a: 'x' },
        }),
      });
      const event = calls[0]!.event as APIGatewayProxyEventV2WithJWTAuthorizer;
      const { claims, scopes } = event.requestContext.authorizer.jwt;
      expect(scopes).toBeNull();
      expect(claims).toMatchObject({
        sub: 'M0001',
        groups: '[delegate chair]',
        department: 'D01',
        level: '3',
        active: 'true',
        nested: 'map[a:x b:2]',
        iss: issuer.issuer,
        aud: issuer.audience,
      });
      expect(claims.exp).toMatch(/^\d+$/);
      // The application reads the flattened form back (shared/http/principal.ts).
      expect(principalOf(event)).toMatchObject({
        sub: 'M0001',
        roles: new Set(['delegate', 'chair']),
        department: 'D01',
      });
      expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    });
  });

  it('builds the exact payload 2.0 event', async () => {
    const token = await issuer.sign({ sub: 'M0001', groups: ['member'] });
    const res = await raw('/members/M%200001?b=x%20y&a=1&a=2&flag', {
      headers: {
        Authorization: `Bearer ${token}`,
        'User-Agent': 'vitest',
        'X-Multi': ['one', 'two'],
        Cookie: ['c1=v1; c2=v2', 'c3=v3'],
      },
    });
    expect(res.status).toBe(200);
    const event = calls[0]!.event as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(Object.keys(event).sort()).toEqual(
      [
        'version',
        'routeKey',
        'rawPath',
        'rawQueryString',
        'cookies',
        'headers',
        'queryStringParameters',
        'requestContext',
        'pathParameters',
        'isBase64Encoded',
      ].sort(),
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /members/{id}',
      rawPath: '/members/M%200001',
      rawQueryString: 'b=x%20y&a=1&a=2&flag',
      cookies: ['c1=v1', 'c2=v2', 'c3=v3'],
      queryStringParameters: { a: '1,2', b: 'x y', flag: '' },
      pathParameters: { id: 'M 0001' },
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    expect(event.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'user-agent': 'vitest',
      'x-multi': 'one,two',
      host: `127.0.0.1:${gateway.port}`,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': String(gateway.port),
    });
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);

    const ctx = event.requestContext;
    expect(ctx).toMatchObject({
      accountId: '000000000000',
      apiId: 'local',
      domainName: `127.0.0.1:${gateway.port}`,
      domainPrefix: '127',
      http: {
        method: 'GET',
        path: '/members/M%200001',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      routeKey: 'GET /members/{id}',
      stage: '$default',
    });
    expect(ctx.requestId).toBe(res.headers['apigw-requestid']);
    expect(ctx.time).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Math.abs(ctx.timeEpoch - Date.now())).toBeLessThan(5_000);
  });

  it('answers the same routes under /api/ as a stage named api would: stage taken off for matching, kept in rawPath', async () => {
    const res = await call('/api/proposals/P1');
    expect(res.status).toBe(200);
    const event = calls[0]!.event as APIGatewayProxyEventV2;
    expect(event.routeKey).toBe('GET /proposals/{id}');
    expect(event.rawPath).toBe('/api/proposals/P1');
    expect(event.requestContext.stage).toBe('api');
    expect(event.pathParameters).toEqual({ id: 'P1' });
    expect((await call('/api/nowhere')).status).toBe(404);
    expect((await call('/apix/health')).status).toBe(404);
  });

  it('leaves out cookies, query and path parameters when there are none, and has no authorizer on open routes', async () => {
    await call('/health');
    const event = calls[0]!.event as APIGatewayProxyEventV2;
    expect(event.cookies).toBeUndefined();
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
    expect('authorizer' in event.requestContext).toBe(false);
  });

  describe('request bodies', () => {
    const post = async (body: string | Buffer, contentType?: string) => {
      calls.length = 0;
      await call('/upload', {
        method: 'POST',
        body,
        headers: contentType ? { 'content-type': contentType } : {},
      });
      return calls[0]!.event;
    };

    it('passes text as text', async () => {
      const json = await post(JSON.stringify({ 名字: '张三' }), 'application/json; charset=utf-8');
      expect(json).toMatchObject({ body: '{"名字":"张三"}', isBase64Encoded: false });
      expect(await post('hello', 'text/plain')).toMatchObject({ body: 'hello', isBase64Encoded: false });
      expect(await post('{}', 'application/problem+json')).toMatchObject({ isBase64Encoded: false });
    });

    it('passes forms, binary and untyped bodies as base64', async () => {
      const form = await post('a=1&b=2', 'application/x-www-form-urlencoded');
      expect(form.isBase64Encoded).toBe(true);
      expect(Buffer.from(form.body!, 'base64').toString()).toBe('a=1&b=2');
      const bytes = Buffer.from([0, 1, 2, 255, 254]);
      const binary = await post(bytes, 'application/octet-stream');
      expect(binary.isBase64Encoded).toBe(true);
      expect(Buffer.from(binary.body!, 'base64')).toEqual(bytes);
      const untyped = await raw('/upload', { method: 'POST', body: Buffer.from('x') });
      expect(untyped.status).toBe(200);
      expect(calls.at(-1)?.event.isBase64Encoded).toBe(true);
    });

    it('refuses a body over 10 MB with 413, before the function', async () => {
      const over = Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 97);
      const res = await call('/upload', {
        method: 'POST',
        body: over,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
      expect(calls).toEqual([]);
      const exactly = Buffer.alloc(MAX_REQUEST_BODY_BYTES, 97);
      const ok = await call('/upload', {
        method: 'POST',
        body: exactly,
        headers: { 'content-type': 'text/plain' },
      });
      expect(ok.status).toBe(200);
      expect(calls[0]?.event.body).toHaveLength(MAX_REQUEST_BODY_BYTES);
    });
  });

  describe('results', () => {
    it('treats a result without statusCode as a 200 JSON body', async () => {
      respond = async () =>
        ({ message: 'hi', body: 'not special without statusCode' }) as APIGatewayProxyResultV2;
      const res = await call('/health');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({ message: 'hi', body: 'not special without statusCode' });
      respond = async () => 'hello';
      expect(await (await call('/health')).text()).toBe('"hello"');
    });

    it('honours statusCode, headers, cookies and base64 bodies, ignoring multiValueHeaders', async () => {
      respond = async () =>
        ({
          statusCode: 201,
          headers: { 'Content-Type': 'image/png', 'X-Count': 5, 'X-Flag': true },
          multiValueHeaders: { 'x-ignored': ['a', 'b'] },
          cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
          body: Buffer.from([137, 80, 78, 71]).toString('base64'),
          isBase64Encoded: true,
        }) as APIGatewayProxyResultV2;
      const res = await raw('/health');
      expect(res.status).toBe(201);
      expect(res.headers).toMatchObject({ 'content-type': 'image/png', 'x-count': '5', 'x-flag': 'true' });
      expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
      expect(res.headers['x-ignored']).toBeUndefined();
      expect(res.headers['apigw-requestid']).toBeTruthy();
      const bytes = await (await call('/health')).arrayBuffer();
      expect(Buffer.from(bytes)).toEqual(Buffer.from([137, 80, 78, 71]));
    });

    it('answers 500 when the function throws or returns an invalid result', async () => {
      for (const bad of [
        async () => {
          throw new Error('boom');
        },
        async () => ({ statusCode: 'two hundred' }),
        async () => ({ statusCode: 200, body: { not: 'a string' } }),
        async () => ({ statusCode: 200, headers: 'nope' }),
        async () => ({ statusCode: 99 }),
      ]) {
        respond = bad as typeof respond;
        const res = await call('/health');
        expect(res.status).toBe(500);
        expect(await res.json()).toEqual({ message: 'Internal Server Error' });
      }
      expect(logLines.some((l) => l.startsWith('500 GET /health -> public-api'))).toBe(true);
    });
  });

  it('counts requests in flight', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    respond = async () => {
      await held;
      return { statusCode: 204 };
    };
    const pending = call('/health');
    while (calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(gateway.inflight()).toBe(1);
    release();
    expect((await pending).status).toBe(204);
    await new Promise((r) => setTimeout(r, 20));
    expect(gateway.inflight()).toBe(0);
  });
});

describe('toReply and flattenClaim', () => {
  it('formats claims like the authorizer', () => {
    expect(flattenClaim('x')).toBe('x');
    expect(flattenClaim(1700000000)).toBe('1700000000');
    expect(flattenClaim(false)).toBe('false');
    expect(flattenClaim(['a', 1, ['b']])).toBe('[a 1 [b]]');
    expect(flattenClaim([])).toBe('[]');
    expect(flattenClaim({ z: 1, a: [2] })).toBe('map[a:[2] z:1]');
  });

  it('serialises null and undefined results as JSON null', () => {
    expect(toReply(undefined).body.toString()).toBe('null');
    expect(toReply(null).status).toBe(200);
  });
});

describe('stop()', () => {
  it('closes the server, keep-alive sockets included', async () => {
    const gw = await startGateway({ port: 0, routes, verify: async () => ({}) });
    const res = await fetch(`${gw.url}/health`); // undici keeps this socket alive
    expect(res.status).toBe(200);
    const began = Date.now();
    await gw.stop();
    expect(Date.now() - began).toBeLessThan(1_000);
    expect(gw.inflight()).toBe(0);
    await expect(fetch(`${gw.url}/health`)).rejects.toThrow();
  });

  it('binds to 127.0.0.1 on the port it is given', async () => {
    const probe = await startGateway({ port: 0, routes: [], verify: async () => ({}) });
    const { port } = probe;
    await probe.stop();
    const gw = await startGateway({ port, routes: [], verify: async () => ({}) });
    expect(gw.url).toBe(`http://127.0.0.1:${port}`);
    await gw.stop();
  });
});
