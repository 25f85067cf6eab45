/**
 * Component tests of the web app: mount with the app's i18n (and a router when a page needs
 * one), signed in as someone, with `fetch` answered by a function of the test.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { vi } from 'vitest';
import type { Component } from 'vue';
import { createMemoryHistory } from 'vue-router';
import { areas } from '../../web/src/app/areas';
import { setAccessToken } from '../../web/src/app/auth/session';
import { createAppI18n } from '../../web/src/app/i18n';
import { createAppRouter } from '../../web/src/app/router';

/** An unsigned JWT with these claims: enough for the app to know who it is (the API is not involved). */
export const fakeToken = (claims: Record<string, unknown>) => {
  const part = (o: unknown) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
};

export const signInAs = (sub: string, groups: string[], extra: Record<string, string> = {}) =>
  setAccessToken(fakeToken({ sub, groups, ...extra }));

export type FetchAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

/** Replaces fetch: each request goes to `answer`; returns the requests seen. */
export const fakeApi = (answer: (req: Request) => FetchAnswer | Promise<FetchAnswer>) => {
  const seen: Array<{ method: string; url: string; headers: Headers; body: unknown }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const text = await req.clone().text();
    seen.push({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    });
    const a = await answer(req);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'content-type': 'application/json', ...a.headers },
    });
  });
  return seen;
};

export const mountWithApp = async (
  component: Component,
  opts: { props?: Record<string, unknown>; path?: string } = {},
) => {
  const i18n = createAppI18n(areas, 'zh-CN');
  const router = createAppRouter(areas, createMemoryHistory());
  await router.push(opts.path ?? '/');
  await router.isReady();
  const wrapper = mount(component, {
    props: opts.props ?? {},
    global: { plugins: [i18n, router], stubs: { transition: false, 'transition-group': false } },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router, i18n };
};
