/**
 * Routes: the shell's pages and every area's (each from its own area.ts). A page that is not
 * public needs a signed-in user; one with `meta.roles` needs one of them, or the 403 page shows in
 * its place (same address, and the page's component, with its data, never loads).
 */
import { reactive } from 'vue';
import {
  createRouter,
  createWebHistory,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router';
import type { Area } from './area';
import { hasAnyRole, type Role } from './auth/roles';
import { session } from './auth/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in. */
    public?: boolean;
    /** Who may open the page (any of them). */
    roles?: Role[];
    /** i18n key of the page's title (the document title). */
    title?: string;
  }
}

/** The roles a page needed when the user had none of them; the layout shows the 403 page. */
export const forbidden = reactive<{ roles: Role[] | null }>({ roles: null });

const shellRoutes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { title: 'home.title' } },
  {
    path: '/signin',
    name: 'signin',
    component: () => import('./pages/SignInPage.vue'),
    meta: { public: true, title: 'auth.signIn' },
  },
  {
    path: '/signin/callback',
    name: 'signin-callback',
    component: () => import('./pages/SignInCallbackPage.vue'),
    meta: { public: true, title: 'auth.signingIn' },
  },
  {
    path: '/signed-out',
    name: 'signed-out',
    component: () => import('./pages/SignedOutPage.vue'),
    meta: { public: true, title: 'auth.signedOutTitle' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./pages/NotFoundPage.vue'),
    meta: { public: true, title: 'notFound.title' },
  },
];

export const createAppRouter = (
  areas: readonly Area[],
  history: RouterHistory = createWebHistory(),
): Router => {
  const router = createRouter({
    history,
    routes: [...areas.flatMap((a) => a.routes), ...shellRoutes],
    scrollBehavior: () => ({ top: 0 }),
  });
  router.beforeEach((to) => {
    forbidden.roles = null;
    if (to.meta.public) return true;
    if (!session.principal) return { name: 'signin', query: { returnTo: to.fullPath } };
    if (!hasAnyRole(session.principal, to.meta.roles)) forbidden.roles = to.meta.roles ?? [];
    return true;
  });
  return router;
};
