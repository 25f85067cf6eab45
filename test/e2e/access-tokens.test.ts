/**
 * Tokens at the gateway, as API Gateway's JWT authorizer would judge them: every way a token can
 * be wrong gets 401 before any function runs; health and the OpenAPI document need none.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

type SigningKey = Parameters<SignJWT['sign']>[0];

import { expect, it } from 'vitest';
import { apiOperations } from '../../shared/http/api-operations.ts';
import { recordFigure } from '../support/figures.ts';
import { runtime } from './support.ts';

const ROUTE = '/proposals?limit=1';

const call = async (authorization?: string, path = ROUTE, method = 'GET') =>
  (
    await fetch(`${runtime().apiUrl}${path}`, {
      method,
      headers: authorization === undefined ? {} : { authorization },
    })
  ).status;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

it('refuses every malformed, foreign, stale or unsigned token with 401, and serves the public routes without one', async () => {
  const info = runtime();
  const jwk = JSON.parse(readFileSync(info.issuer.keyFile, 'utf8')) as JWK;
  const key = await importJWK(jwk, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'TOKEN-T1', groups: ['delegate'] };
  const sign = (
    opts: {
      iss?: string;
      aud?: string;
      exp?: number | null;
      nbf?: number;
      signWith?: SigningKey;
      alg?: string;
      kid?: string;
      claims?: Record<string, unknown>;
    } = {},
  ) => {
    const jwt = new SignJWT(opts.claims ?? claims)
      .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? jwk.kid!, typ: 'JWT' })
      .setIssuer(opts.iss ?? info.issuer.issuer)
      .setAudience(opts.aud ?? info.issuer.audience)
      .setIssuedAt(now - 60)
      .setNotBefore(opts.nbf ?? now - 60);
    if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 600);
    return jwt.sign(opts.signWith ?? key);
  };

  const good = await sign();
  expect(await call(`Bearer ${good}`)).toBe(200);
  // As API Gateway's JWT authorizer does, the bare token (no "Bearer ") is taken too: "The
  // identitySource can include only the token, or the token prefixed with Bearer" (API Gateway
  // developer guide, HTTP API JWT authorizers). Refusing it locally would pass tests that the
  // deployed API does not; any other scheme, or a bad bare token, is a 401 (below).
  expect(await call(good)).toBe(200);
  expect(await call(`bearer ${good}`)).toBe(200);

  const other = await generateKeyPair('RS256');
  const publicPem = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const [header, payload] = good.split('.');
  const cases: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['expired', `Bearer ${await sign({ exp: now - 600 })}`],
    ['not yet valid (nbf in ten minutes)', `Bearer ${await sign({ nbf: now + 600 })}`],
    ['signed by another key under the same kid', `Bearer ${await sign({ signWith: other.privateKey })}`],
    ['for another audience', `Bearer ${await sign({ aud: 'someone-else' })}`],
    ['from another issuer', `Bearer ${await sign({ iss: 'https://evil.example' })}`],
    ['alg: none', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
    [
      'HS256 with the public key as its secret',
      `Bearer ${await sign({ alg: 'HS256', signWith: new TextEncoder().encode(publicPem) })}`,
    ],
    [
      'a signature from another token',
      `Bearer ${header}.${b64({ ...claims, iss: info.issuer.issuer, aud: info.issuer.audience, exp: now + 600, sub: 'ADMIN', groups: ['admin'] })}.${good.split('.')[2]}`,
    ],
    ['without an expiry', `Bearer ${await sign({ exp: null })}`],
    ['without a subject', `Bearer ${await sign({ claims: { groups: ['admin'] } })}`],
    ['an unknown key id', `Bearer ${await sign({ kid: 'someone-elses-key' })}`],
    ['expired, without the Bearer prefix', await sign({ exp: now - 600 })],
    ['another scheme (Token)', `Token ${good}`],
    ['another scheme (JWT)', `JWT ${good}`],
    ['two tokens', `Bearer ${good} Bearer ${good}`],
    ['Bearer and nothing else', 'Bearer'],
    ['a truncated signature', `Bearer ${good.slice(0, -10)}`],
    [
      'a payload that is not JSON',
      `Bearer ${header}.${Buffer.from('not json').toString('base64url')}.${good.split('.')[2]}`,
    ],
    [
      'a header that is not JSON',
      `Bearer ${Buffer.from('{"alg":').toString('base64url')}.${payload}.${good.split('.')[2]}`,
    ],
    ['not a JWT', 'Bearer abc.def'],
    ['empty bearer', 'Bearer '],
    ['Basic credentials', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['a token with a NUL in it', `Bearer ${good}\u0000`.replace('\u0000', '%00')],
  ];
  // Every bad token on every operation that needs one (each answered by the gateway, before any
  // function runs), path parameters filled with a placeholder.
  const guarded = apiOperations
    .filter((o) => o.auth)
    .map((o) => ({ method: o.method.toUpperCase(), path: o.path.replace(/\{[^}]+\}/g, 'X') }));
  const wrong: string[] = [];
  let tried = 0;
  for (const [name, authorization] of cases) {
    const statuses = await Promise.all(guarded.map(({ method, path }) => call(authorization, path, method)));
    tried += statuses.length;
    statuses.forEach((status, i) => {
      if (status !== 401) wrong.push(`${name} on ${guarded[i]!.method} ${guarded[i]!.path}: ${status}`);
    });
  }
  const open = [await call(undefined, '/health'), await call(undefined, '/openapi.json')];
  recordFigure({
    id: 'access.tokens',
    section: 'access',
    what: 'bad tokens on every operation that needs one (expired, not yet valid, no exp or sub, another key or kid, wrong audience or issuer, alg none, HS256 with the public key, forged payload, malformed, another scheme) and the two public routes',
    counts: {
      'bad tokens': cases.length,
      'requests (bad token × operation)': tried,
      'not refused with 401': wrong.length,
      'public routes open': open.filter((s) => s === 200).length,
    },
    command: 'npx vitest run test/e2e/access-tokens.test.ts',
  });
  expect(wrong).toEqual([]);
  expect(open).toEqual([200, 200]);
});
