/**
 * The local OpenID provider (oidc-provider, mounted at `/oidc` on the API's origin): it stands in
 * for the university SSO so that the web app signs in locally exactly as on AWS (authorization
 * code + PKCE, oidc-client-ts in the browser). Its sign-in page lets you pick a 工号, roles and
 * the branch/department claims; its access tokens are JWTs signed with the local issuer's RS256
 * key and carrying the same claims as `gonghui token` (`sub`, `groups`, `branch`, `department`,
 * audience `gonghui`), which the local gateway verifies as the HTTP API's JWT authorizer would.
 *
 * `GET /dev/sign-in?sub=&roles=[&branch=][&department=]` (scripts and browser tests) signs the
 * browser in through the same flow: it leaves a one-time ticket in a cookie and sends the browser
 * into the app's sign-in, whose login prompt the ticket then answers without the form.
 *
 * Local only: nothing here is bundled into a function or deployed (a test asserts it).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { ROLES } from '../../shared/domain/principal.ts';

export const OIDC_MOUNT = '/oidc';
export const WEB_CLIENT_ID = 'gonghui-web';
/** Where the app receives the code, and where it lands after signing out (web/src/app/auth). */
export const SIGN_IN_CALLBACK_PATH = '/signin/callback';
export const SIGNED_OUT_PATH = '/signed-out';
const DEV_TICKET_COOKIE = 'gonghui_dev_sign_in';
const TICKET_TTL_MS = 5 * 60_000;

/**
 * oidc-provider's storage, in memory: sign-in sessions and codes end with the runtime (its own
 * in-memory adapter does the same, but warns about it at every start). Expiry as the provider asks.
 */
class MemoryAdapter {
  private static store = new Map<string, { payload: Record<string, unknown>; expires?: number }>();
  private static byUid = new Map<string, string>();
  private static byUserCode = new Map<string, string>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
    const key = this.key(id);
    MemoryAdapter.store.set(key, {
      payload,
      ...(expiresIn ? { expires: Date.now() + expiresIn * 1000 } : {}),
    });
    if (typeof payload.uid === 'string') MemoryAdapter.byUid.set(payload.uid, key);
    if (typeof payload.userCode === 'string') MemoryAdapter.byUserCode.set(payload.userCode, key);
  }
  private read(key: string | undefined) {
    if (!key) return undefined;
    const entry = MemoryAdapter.store.get(key);
    if (!entry) return undefined;
    if (entry.expires !== undefined && entry.expires < Date.now()) {
      MemoryAdapter.store.delete(key);
      return undefined;
    }
    return entry.payload;
  }
  async find(id: string) {
    return this.read(this.key(id));
  }
  async findByUid(uid: string) {
    return this.read(MemoryAdapter.byUid.get(uid));
  }
  async findByUserCode(userCode: string) {
    return this.read(MemoryAdapter.byUserCode.get(userCode));
  }
  async consume(id: string) {
    const payload = this.read(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryAdapter.store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [key, entry] of MemoryAdapter.store)
      if (entry.payload.grantId === grantId) MemoryAdapter.store.delete(key);
  }
}

export interface Profile {
  sub: string;
  groups: string[];
  branch?: string;
  department?: string;
}

export interface LocalOidc {
  issuer: string;
  /** Serves `/oidc/*` and `/dev/sign-in`; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** What the web app reads at `/config.json` locally. */
  webConfig: { authority: string; clientId: string; scope: string };
}

const SUB = /^[A-Za-z0-9._-]{1,64}$/;
const CODE = /^[\w.-]{1,32}$/;

/** A profile from form or query fields; a list of what is wrong when it is not valid. */
export const parseProfile = (fields: {
  sub?: string | null;
  roles?: string | string[] | null;
  branch?: string | null;
  department?: string | null;
}): Profile | { errors: string[] } => {
  const errors: string[] = [];
  const sub = (fields.sub ?? '').trim();
  if (!SUB.test(sub)) errors.push('sub: 工号 is 1–64 letters, digits, . _ -');
  const raw = Array.isArray(fields.roles) ? fields.roles : (fields.roles ?? '').split(',');
  const groups = [...new Set(raw.map((r) => r.trim()).filter(Boolean))];
  const unknown = groups.filter((g) => !(ROLES as readonly string[]).includes(g));
  if (unknown.length) errors.push(`roles: unknown ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  if (groups.length === 0) errors.push('roles: at least one');
  const branch = fields.branch?.trim() || undefined;
  const department = fields.department?.trim() || undefined;
  if (branch !== undefined && !CODE.test(branch)) errors.push('branch: a code of letters, digits, . _ -');
  if (department !== undefined && !CODE.test(department))
    errors.push('department: a code of letters, digits, . _ -');
  if (groups.includes('department') && !department)
    errors.push('department: required with the department role');
  if (groups.includes('officer') && !branch) errors.push('branch: required with the officer role');
  if (errors.length) return { errors };
  return { sub, groups, ...(branch ? { branch } : {}), ...(department ? { department } : {}) };
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ROLE_NAMES: Record<string, string> = {
  member: '会员 member',
  delegate: '教代会代表 delegate',
  committee: '提案委员会 committee',
  department: '承办部门 department',
  officer: '分工会 officer',
  chair: '工会主席 chair',
  admin: '管理员 admin',
  auditor: '经审 auditor',
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f7fa;color:#1f2933}
main{max-width:420px;margin:24px auto;padding:24px;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.25rem;margin:0 0 4px}p.note{color:#52606d;font-size:.875rem;margin:0 0 16px}
label{display:block;margin:12px 0 4px;font-weight:600}input[type=text]{width:100%;box-sizing:border-box;padding:8px;font-size:1rem;border:1px solid #9aa5b1;border-radius:4px}
fieldset{border:1px solid #cbd2d9;border-radius:4px;margin:12px 0;padding:8px 12px}legend{font-weight:600}
fieldset label{display:flex;gap:8px;align-items:center;font-weight:400;margin:6px 0}
button{margin-top:16px;width:100%;padding:10px;font-size:1rem;background:#0b57d0;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#b42318;background:#fef3f2;border:1px solid #fda29b;padding:8px;border-radius:4px}
</style></head><body><main>${body}</main></body></html>`;

const loginForm = (uid: string, errors: string[], values: Record<string, string | string[]>) => {
  const value = (k: string) => escapeHtml(String(values[k] ?? ''));
  const chosen = new Set([values.roles ?? ['member']].flat());
  return page(
    '本地登录 / Local sign-in',
    `<h1>本地统一身份认证</h1><p class="note">Local sign-in: in production this is the university SSO. 选择工号与角色。</p>
${errors.length ? `<div class="error" role="alert">${errors.map(escapeHtml).join('<br>')}</div>` : ''}
<form method="post" action="${OIDC_MOUNT}/interaction/${escapeHtml(uid)}/login">
<label for="sub">工号 / Staff number</label><input type="text" id="sub" name="sub" value="${value('sub')}" autocomplete="username" required>
<fieldset><legend>角色 / Roles</legend>
${ROLES.map((r) => `<label><input type="checkbox" name="roles" value="${r}"${chosen.has(r) ? ' checked' : ''}> ${ROLE_NAMES[r] ?? r}</label>`).join('\n')}
</fieldset>
<label for="branch">分工会代码 / Branch code (officers)</label><input type="text" id="branch" name="branch" value="${value('branch')}">
<label for="department">部门代码 / Department code (departments)</label><input type="text" id="department" name="department" value="${value('department')}">
<button type="submit">登录 / Sign in</button></form>`,
  );
};

const readForm = (req: IncomingMessage): Promise<URLSearchParams> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 16_384) req.destroy();
    });
    req.on('end', () => resolve(new URLSearchParams(text)));
    req.on('error', reject);
  });

const cookieOf = (req: IncomingMessage, name: string) =>
  (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === name)?.[1];

const sendHtml = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(html);
};

export async function startLocalOidc(opts: {
  /** The API's origin: http://127.0.0.1:<port>. */
  origin: string;
  /** The local issuer's private key (RS256, with kid): the provider signs with the same key. */
  signingKey: JWK;
  /** The access tokens' audience (the HTTP API's JWT audience). */
  audience: string;
}): Promise<LocalOidc> {
  const issuer = `${opts.origin}${OIDC_MOUNT}`;
  /** The API as a resource server (RFC 8707): its tokens are JWTs for the gateway. */
  const resource = `${opts.origin}/api`;
  /** The last profile chosen for each 工号: the claims its tokens carry. */
  const profiles = new Map<string, Profile>();
  const tickets = new Map<string, { profile: Profile; expires: number }>();

  const configuration: Configuration = {
    adapter: MemoryAdapter as unknown as Configuration['adapter'],
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: '工会 Gonghui',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${opts.origin}${SIGN_IN_CALLBACK_PATH}`],
        post_logout_redirect_uris: [`${opts.origin}${SIGNED_OUT_PATH}`],
      },
    ],
    jwks: { keys: [opts.signingKey as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // The app is on the provider's own origin (browsers still send Origin on its token request).
    clientBasedCORS: (_ctx, origin) => origin === opts.origin,
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['groups', 'branch', 'department'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const profile = profiles.get(sub);
      if (!profile) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          groups: profile.groups,
          branch: profile.branch,
          department: profile.department,
        }),
      };
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const profile = profiles.get(token.accountId);
      if (!profile) return undefined;
      return {
        groups: profile.groups,
        ...(profile.branch ? { branch: profile.branch } : {}),
        ...(profile.department ? { department: profile.department } : {}),
      };
    },
    // A first-party app: no consent screen. The grant is made when the login is.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(resource, 'api');
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = page(
            '退出登录 / Sign out',
            `<h1>退出登录？</h1><p class="note">Sign out of the local sign-in?</p>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">退出 / Sign out</button>`,
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== resource) throw new Error('unknown resource');
          return {
            scope: 'api',
            audience: opts.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    interactions: { url: async (_ctx, interaction) => `${OIDC_MOUNT}/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        '登录出错 / Sign-in error',
        `<h1>登录出错</h1><p class="note">Sign-in error</p><div class="error" role="alert">${Object.values(
          out,
        )
          .map((v) => escapeHtml(String(v)))
          .join('<br>')}</div><p><a href="/">返回首页 / Home</a></p>`,
      );
    },
    ttl: { AccessToken: 3600, IdToken: 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
  };

  const provider = new Provider(issuer, configuration);
  // The default adapter keeps everything in memory: sign-ins end with the runtime, tokens do not (JWTs).
  const callback = provider.callback();

  const finishLogin = async (req: IncomingMessage, res: ServerResponse, profile: Profile) => {
    profiles.set(profile.sub, profile);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: profile.sub } },
      {
        mergeWithLastSubmission: false,
      },
    );
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) return false;
    let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(
        res,
        400,
        page(
          '登录已过期 / Sign-in expired',
          '<h1>登录已过期</h1><p class="note">This sign-in has expired.</p><p><a href="/">返回首页 / Home</a></p>',
        ),
      );
      return true;
    }
    if (details.uid !== match[1]) {
      sendHtml(res, 400, page('登录已过期 / Sign-in expired', '<p><a href="/">返回首页 / Home</a></p>'));
      return true;
    }
    if (req.method === 'GET' && !match[2]) {
      // A ticket from /dev/sign-in answers the login prompt without the form (once).
      const ticketId = cookieOf(req, DEV_TICKET_COOKIE);
      const ticket = ticketId ? tickets.get(ticketId) : undefined;
      if (ticketId) tickets.delete(ticketId);
      if (ticket && ticket.expires > Date.now()) {
        res.setHeader(
          'set-cookie',
          `${DEV_TICKET_COOKIE}=; Path=${OIDC_MOUNT}; Max-Age=0; HttpOnly; SameSite=Lax`,
        );
        await finishLogin(req, res, ticket.profile);
        return true;
      }
      sendHtml(res, 200, loginForm(details.uid, [], {}));
      return true;
    }
    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      const values = {
        sub: form.get('sub') ?? '',
        roles: form.getAll('roles'),
        branch: form.get('branch') ?? '',
        department: form.get('department') ?? '',
      };
      const profile = parseProfile(values);
      if ('errors' in profile) sendHtml(res, 400, loginForm(details.uid, profile.errors, values));
      else await finishLogin(req, res, profile);
      return true;
    }
    return false;
  };

  const devSignIn = (res: ServerResponse, query: URLSearchParams) => {
    const profile = parseProfile({
      sub: query.get('sub'),
      roles: query.get('roles'),
      branch: query.get('branch'),
      department: query.get('department'),
    });
    if ('errors' in profile) {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: 'Invalid sign-in', errors: profile.errors }));
      return;
    }
    const now = Date.now();
    for (const [id, t] of tickets) if (t.expires <= now) tickets.delete(id);
    const id = randomBytes(24).toString('base64url');
    tickets.set(id, { profile, expires: now + TICKET_TTL_MS });
    // Into the app's own sign-in, asking the provider for a fresh login (another user may be signed in).
    res.writeHead(302, {
      location: '/signin?prompt=login',
      'set-cookie': `${DEV_TICKET_COOKIE}=${id}; Path=${OIDC_MOUNT}; Max-Age=${TICKET_TTL_MS / 1000}; HttpOnly; SameSite=Lax`,
      'cache-control': 'no-store',
    });
    res.end();
  };

  return {
    issuer,
    webConfig: { authority: issuer, clientId: WEB_CLIENT_ID, scope: 'openid profile' },
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', opts.origin);
      if (url.pathname === '/dev/sign-in' && req.method === 'GET') {
        devSignIn(res, url.searchParams);
        return true;
      }
      if (url.pathname !== OIDC_MOUNT && !url.pathname.startsWith(`${OIDC_MOUNT}/`)) return false;
      const path = url.pathname.slice(OIDC_MOUNT.length) || '/';
      if (await interaction(req, res, path)) return true;
      // Mounted as Koa's mount would: the provider finds its mount path from originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = `${path}${url.search}`;
      await new Promise<void>((resolve) => {
        res.on('close', resolve);
        res.on('finish', resolve);
        void callback(req, res);
      });
      return true;
    },
  };
}
