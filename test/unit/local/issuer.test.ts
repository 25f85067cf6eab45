import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ISSUER,
  ISSUER_KEY_FILE,
  type LocalIssuer,
  loadOrCreateIssuer,
} from '../../../infra/local/issuer.ts';
import { http } from '../../../infra/topology.ts';

let root: string;
let dir: string;
let issuer: LocalIssuer;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gonghui-issuer-'));
  dir = join(root, 'issuer');
  issuer = await loadOrCreateIssuer(dir);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const unsigned = (header: Record<string, unknown>, payload: Record<string, unknown>) =>
  `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.`;

const validPayload = () => ({
  sub: 'M0001',
  iss: DEFAULT_ISSUER,
  aud: http.jwt.audience,
  iat: now(),
  exp: now() + 600,
});

describe('loadOrCreateIssuer', () => {
  it('creates an RS256 key once, private to its owner, and publishes only the public part', () => {
    const file = join(dir, ISSUER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(issuer.keyFile).toBe(file);
    expect(issuer.jwks.keys).toHaveLength(1);
    const [key] = issuer.jwks.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(Object.keys(key!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(issuer.issuer).toBe(DEFAULT_ISSUER);
    expect(issuer.audience).toBe(http.jwt.audience);
  });

  it('signs tokens that verify, with the standard claims set', async () => {
    const token = await issuer.sign({
      sub: 'M0001',
      groups: ['delegate', 'chair'],
      department: 'D01',
      branch: 'B1',
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.jwks.keys[0]!.kid, typ: 'JWT' });
    const payload = await issuer.verify(token);
    expect(payload).toMatchObject({
      sub: 'M0001',
      groups: ['delegate', 'chair'],
      department: 'D01',
      branch: 'B1',
      iss: DEFAULT_ISSUER,
      aud: http.jwt.audience,
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('keeps its key across restarts: a token from before still verifies', async () => {
    const token = await issuer.sign({ sub: 'M0001' }, { expiresIn: '8h' });
    const restarted = await loadOrCreateIssuer(dir);
    expect(restarted.jwks).toEqual(issuer.jwks);
    await expect(restarted.verify(token)).resolves.toMatchObject({ sub: 'M0001' });
  });

  it('creates one key when several processes start at once', async () => {
    const fresh = join(root, 'race');
    const issuers = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateIssuer(fresh)));
    const kids = new Set(issuers.map((i) => i.jwks.keys[0]!.kid));
    expect(kids.size).toBe(1);
    const token = await issuers[0]!.sign({ sub: 'x' });
    await expect(issuers[3]!.verify(token)).resolves.toBeDefined();
  });

  it('takes the issuer and audience from its options', async () => {
    const custom = await loadOrCreateIssuer(dir, {
      issuer: 'https://sso.example.edu.cn',
      audience: 'other-api',
    });
    const token = await custom.sign({ sub: 'x' });
    expect(decodeJwt(token)).toMatchObject({ iss: 'https://sso.example.edu.cn', aud: 'other-api' });
    await expect(custom.verify(token)).resolves.toBeDefined();
    // Same key, different issuer: the default issuer must refuse it.
    await expect(issuer.verify(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'iss',
    });
  });

  it('refuses a key file that is not an RS256 private key', async () => {
    const other = join(root, 'bad-key');
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const { exportJWK } = await import('jose');
    await loadOrCreateIssuer(other); // creates the directory
    writeFileSync(
      join(other, ISSUER_KEY_FILE),
      JSON.stringify({ ...(await exportJWK(privateKey)), alg: 'ES256' }),
    );
    await expect(loadOrCreateIssuer(other)).rejects.toThrow(/not an RS256 private key/);
  });
});

describe('verify refuses', () => {
  it('an expired token', async () => {
    const token = await issuer.sign({ sub: 'x' }, { expiresIn: now() - 60 });
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('but tolerates a few seconds of clock skew', async () => {
    const token = await issuer.sign({ sub: 'x' }, { expiresIn: now() - 2 });
    await expect(issuer.verify(token)).resolves.toBeDefined();
  });

  it('a token that is not valid yet (nbf)', async () => {
    const token = await issuer.sign({ sub: 'x' }, { notBefore: '10m' });
    await expect(issuer.verify(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'nbf',
    });
  });

  it('a token issued in the future (iat)', async () => {
    const token = await issuer.sign({ sub: 'x', iat: now() + 600 });
    await expect(issuer.verify(token)).rejects.toMatchObject({ claim: 'iat' });
  });

  it('a token signed by another key, even one that claims our kid', async () => {
    const other = await loadOrCreateIssuer(join(root, 'other'));
    await expect(issuer.verify(await other.sign({ sub: 'x' }))).rejects.toMatchObject({
      code: 'ERR_JWKS_NO_MATCHING_KEY',
    });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'RS256', kid: issuer.jwks.keys[0]!.kid! })
      .sign(privateKey);
    await expect(issuer.verify(forged)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('a token for another audience', async () => {
    const token = await issuer.sign({ sub: 'x' }, { audience: 'someone-else' });
    await expect(issuer.verify(token)).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  it('an unsigned token (alg: none)', async () => {
    const token = unsigned({ alg: 'none', kid: issuer.jwks.keys[0]!.kid }, validPayload());
    await expect(issuer.verify(token)).rejects.toThrow();
    await expect(issuer.verify(unsigned({ alg: 'none' }, validPayload()))).rejects.toThrow();
  });

  it('an HS256 token keyed with our public key (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.jwks.keys[0]));
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'HS256', kid: issuer.jwks.keys[0]!.kid! })
      .sign(secret);
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('an ES256 token: the HTTP API JWT authorizer takes RSA only', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(validPayload())
      .setProtectedHeader({ alg: 'ES256', kid: issuer.jwks.keys[0]!.kid! })
      .sign(privateKey);
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('a token whose payload was changed after signing', async () => {
    const [h, , s] = (await issuer.sign({ sub: 'M0001', groups: ['member'] })).split('.');
    const payload = base64url.encode(JSON.stringify({ ...validPayload(), groups: ['admin'] }));
    await expect(issuer.verify(`${h}.${payload}.${s}`)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('something that is not a token', async () => {
    await expect(issuer.verify('not-a-token')).rejects.toThrow();
    await expect(issuer.verify('')).rejects.toThrow();
  });
});
