/**
 * The web app on the API's origin, as CloudFront serves it on AWS: hashed assets from web/dist
 * with immutable caching, `/config.json` (what the app signs in with), and index.html for every
 * other page the browser opens (history mode). The API stays where it is, at the root for its
 * clients and under `/api/` for the app: a browser opening a page never sends a bearer token, so a
 * navigation (Accept: text/html, no Authorization) to a path that is no public API route is the
 * app's; `/health`, `/openapi.json` and `/invitations` stay the API's.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { API_STAGE, compileRoutes, matchRoute } from './gateway.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** The security headers CloudFront adds on AWS (infra/aws/web-app.ts), minus HSTS on plain http. */
const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
};

export interface WebHost {
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createWebHost(opts: {
  distDir: string;
  routes: ReadonlyArray<{ method: string; path: string; auth: 'jwt' | 'none' }>;
  config: Record<string, unknown>;
}): WebHost {
  const compiled = compileRoutes(opts.routes);
  const configBody = JSON.stringify(opts.config);

  const isPage = (req: IncomingMessage, path: string) => {
    if (req.headers.authorization) return false;
    if (!(req.headers.accept ?? '').includes('text/html')) return false;
    const route = matchRoute(compiled, req.method ?? 'GET', path);
    return !route || route.compiled.route.auth === 'jwt';
  };

  const sendFile = (req: IncomingMessage, res: ServerResponse, file: string, cache: string) => {
    const size = statSync(file).size;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': cache,
      ...securityHeaders,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  return {
    handle: (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      if (path === `/${API_STAGE}` || path.startsWith(`/${API_STAGE}/`)) return false;
      if (path === '/config.json') {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-cache',
          'content-length': Buffer.byteLength(configBody),
        });
        res.end(req.method === 'HEAD' ? undefined : configBody);
        return true;
      }
      const file = normalize(join(opts.distDir, path));
      if (
        path !== '/' &&
        path !== '/index.html' &&
        file.startsWith(opts.distDir + sep) &&
        !file.includes(`${sep}.`) &&
        existsSync(file) &&
        statSync(file).isFile()
      ) {
        // Vite's hashed assets never change under their name; anything else may.
        sendFile(
          req,
          res,
          file,
          path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        return true;
      }
      // `/` too only for a browser's navigation: an API client asking for `/` gets the API's 404.
      if (isPage(req, path)) {
        const index = join(opts.distDir, 'index.html');
        if (!existsSync(index)) {
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('The web app is not built: npm run web:build\n');
          return true;
        }
        sendFile(req, res, index, 'no-cache');
        return true;
      }
      return false;
    },
  };
}
