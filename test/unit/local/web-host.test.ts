import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebHost } from '../../../infra/local/web-host.ts';
import { routes } from '../../../infra/topology.ts';

let dist: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'gonghui-web-host-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dist, '.build-stamp'), 'stamp');
  const host = createWebHost({
    distDir: dist,
    routes: routes().map(({ method, path, auth }) => ({ method, path, auth })),
    config: { authority: 'http://127.0.0.1/oidc', clientId: 'gonghui-web' },
  });
  // Whatever the web host leaves is the API's: 418 marks it here.
  server = createServer((req, res) => {
    if (!host.handle(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});

const page = { accept: 'text/html,application/xhtml+xml' };

describe('the web app beside the API on one origin', () => {
  it('answers a browser opening a page with index.html, also where the API has a route of that path', async () => {
    for (const path of ['/', '/proposals', '/proposals/01ABC', '/me', '/no/such/page']) {
      const res = await fetch(`${base}${path}`, { headers: page });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<title>app</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  it('leaves the API its clients, its public routes and everything under /api/', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['/', {}],
      ['/proposals', { accept: 'application/json' }],
      ['/proposals', { ...page, authorization: 'Bearer x' }],
      ['/health', page],
      ['/openapi.json', page],
      ['/invitations?member=a&token=b', page],
      ['/api/proposals', page],
      ['/api', page],
    ];
    for (const [path, headers] of cases)
      expect((await fetch(`${base}${path}`, { headers })).status, path).toBe(418);
    expect((await fetch(`${base}/proposals`, { method: 'POST', headers: page })).status).toBe(418);
  });

  it('serves hashed assets immutable, other files revalidated, never a dot-file or a file outside', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/favicon.svg`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${base}/.build-stamp`)).status).toBe(418);
    expect((await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(418);
  });

  it('serves /config.json: what the app signs in with', async () => {
    const res = await fetch(`${base}/config.json`);
    expect(await res.json()).toEqual({ authority: 'http://127.0.0.1/oidc', clientId: 'gonghui-web' });
  });
});
