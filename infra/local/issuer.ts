/**
 * The local JWT issuer: it stands in for the university SSO (or Cognito) so that the local API
 * Gateway can authorize requests, and `gonghui token` can mint tokens for curl and tests.
 *
 * RS256, not ES256: the HTTP API JWT authorizer's token validation supports only RSA-based
 * algorithms ("Currently, only RSA-based algorithms are supported", API Gateway developer guide,
 * "Controlling access to HTTP APIs with JWT authorizers"). A local issuer that signed with
 * anything else would let through tokens the deployed gateway refuses, and its JWKS could never
 * serve a deployed stage.
 *
 * The private key is generated once and kept as a JWK in `<dir>/issuer-key.json` (mode 0600), so
 * tokens survive a restart of the runtime and the CLI can sign with the same key.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { http } from '../topology.ts';

export const ISSUER_ALG = 'RS256';
export const DEFAULT_ISSUER = 'https://issuer.gonghui.local';
export const ISSUER_KEY_FILE = 'issuer-key.json';
/**
 * Leeway for exp, nbf and iat. API Gateway documents none; a few seconds keep a token minted by
 * the CLI in the same second as the request from failing on rounding.
 */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface IssuerClaims {
  sub: string;
  groups?: string[];
  department?: string;
  branch?: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** jose semantics: a string is relative to now ('8h', '-5m'), a number is epoch seconds. Default 1h. */
  expiresIn?: string | number;
  notBefore?: string | number;
  audience?: string;
}

export interface LocalIssuer {
  issuer: string;
  /** The private key as a JWK (the local OpenID provider signs with it too). */
  privateJwk: JWK;
  audience: string;
  /** The public key set, as the issuer's jwks_uri would serve it. */
  jwks: { keys: JWK[] };
  /** Where the private key lives (the CLI reads it to sign with the same key). */
  keyFile: string;
  sign(claims: IssuerClaims, opts?: SignOptions): Promise<string>;
  /** Verifies like the HTTP API JWT authorizer; throws (a jose error) when the token is not valid. */
  verify(token: string): Promise<JWTPayload>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

const publicPart = (jwk: JWK): JWK => {
  const pub: JWK = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete pub[member];
  return pub;
};

const createKey = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair(ISSUER_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicPart(jwk), 'sha256');
  return { ...jwk, kid, alg: ISSUER_ALG, use: 'sig' };
};

/**
 * Creates the key file if it does not exist, without ever exposing a half-written file: the key
 * is written to a private temporary name and linked into place, which fails if another process
 * (the runtime and the CLI may start together) got there first; then everyone reads the winner.
 */
const loadOrCreateKey = async (dir: string, file: string): Promise<JWK> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${ISSUER_KEY_FILE}.${process.pid}.${randomUUID()}`);
  await writeFile(tmp, `${JSON.stringify(await createKey(), null, 2)}\n`, { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
  return JSON.parse(await readFile(file, 'utf8')) as JWK;
};

export async function loadOrCreateIssuer(
  dir: string,
  opts: {
    issuer?: string;
    audience?: string;
    /** Other issuers signing with this key: the local OpenID provider (oidc.ts) for the web app. */
    alsoTrusted?: () => string[];
  } = {},
): Promise<LocalIssuer> {
  const issuer = opts.issuer ?? DEFAULT_ISSUER;
  const audience = opts.audience ?? http.jwt.audience;
  const keyFile = join(dir, ISSUER_KEY_FILE);
  const jwk = await loadOrCreateKey(dir, keyFile);
  if (jwk.alg !== ISSUER_ALG || typeof jwk.kid !== 'string' || typeof jwk.d !== 'string') {
    throw new Error(
      `${keyFile} is not an ${ISSUER_ALG} private key made by this issuer; delete it to make a new one`,
    );
  }
  const kid = jwk.kid;
  const privateKey = await importJWK(jwk, ISSUER_ALG);
  const publicJwk = publicPart(jwk);
  const publicKey = await importJWK(publicJwk, ISSUER_ALG);

  return {
    issuer,
    privateJwk: jwk,
    audience,
    keyFile,
    jwks: { keys: [publicJwk] },

    sign: async (claims, signOpts = {}) => {
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: ISSUER_ALG, kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(signOpts.audience ?? audience)
        .setSubject(claims.sub)
        // A caller-supplied iat is kept (tests of clock skew need it); otherwise now.
        .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : undefined)
        .setJti(randomUUID())
        .setExpirationTime(signOpts.expiresIn ?? '1h');
      if (signOpts.notBefore !== undefined) jwt.setNotBefore(signOpts.notBefore);
      return jwt.sign(privateKey);
    },

    verify: async (token) => {
      // The authorizer picks the key by kid; a token naming another key is not ours.
      const header = decodeProtectedHeader(token);
      if (header.kid !== kid)
        throw new errors.JWKSNoMatchingKey('the token names a key this issuer does not have');
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [ISSUER_ALG], // never 'none', never HS256 with the public key as a secret
        issuer: [issuer, ...(opts.alsoTrusted?.() ?? [])],
        audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      // API Gateway: iat must be before the current time (jose checks it only with maxTokenAge).
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
        throw new errors.JWTClaimValidationFailed(
          '"iat" claim is in the future',
          payload,
          'iat',
          'check_failed',
        );
      }
      return payload;
    },
  };
}
