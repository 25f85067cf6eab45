/**
 * Tokens at the gateway, as API Gateway's JWT authorizer would judge them: every way a token can
 * be wrong gets 401 before any function runs; health and the OpenAPI document need none.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

type SigningKey = Parameters<SignJWT['sign']>[0];

import { expect, it } from 'vitest';
import { recordFigure } from '../support/figures.ts';
import { runtime } from './support.ts';

const ROUTE = '/proposals?limit=1';

const call = async (authorization?: string, path = ROUTE) =>
  (
    await fetch(`${runtime().apiUrl}${path}`, {
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
      exp?: number;
      nbf?: number;
      signWith?: SigningKey;
      alg?: string;
    } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(opts.iss ?? info.issuer.issuer)
      .setAudience(opts.aud ?? info.issuer.audience)
      .setIssuedAt(now - 60)
      .setExpirationTime(opts.exp ?? now + 600)
      .setNotBefore(opts.nbf ?? now - 60)
      .sign(opts.signWith ?? key);

  const good = await sign();
  expect(await call(`Bearer ${good}`)).toBe(200);
  // As API Gateway's JWT authorizer does, the bare token (no "Bearer ") is taken too.
  expect(await call(good)).toBe(200);

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
    ['not a JWT', 'Bearer abc.def'],
    ['empty bearer', 'Bearer '],
    ['Basic credentials', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['a token with a NUL in it', `Bearer ${good}\u0000`.replace('\u0000', '%00')],
  ];
  const wrong: string[] = [];
  for (const [name, authorization] of cases) {
    const status = await call(authorization);
    if (status !== 401) wrong.push(`${name}: ${status}`);
  }
  const open = [await call(undefined, '/health'), await call(undefined, '/openapi.json')];
  recordFigure({
    id: 'access.tokens',
    section: 'access',
    what: 'bad tokens at the gateway (expired, not yet valid, another key, wrong audience or issuer, alg none, HS256 with the public key, forged payload, malformed, Basic) and the two public routes',
    counts: {
      'bad tokens tried': cases.length,
      'not refused with 401': wrong.length,
      'public routes open': open.filter((s) => s === 200).length,
    },
    command: 'npx vitest run test/e2e/access-tokens.test.ts',
  });
  expect(wrong).toEqual([]);
  expect(open).toEqual([200, 200]);
});
