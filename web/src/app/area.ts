/**
 * An area of the product (proposals, members, care, voice, life, admin …): its routes, its
 * messages and its navigation, in its own folder as `<area>/area.ts`. The app finds every area.ts
 * by itself (areas.ts): adding an area or a page edits only that folder.
 */
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from './auth/roles';

/** Messages of one language: nested objects of strings. */
export type Messages = { [key: string]: string | Messages };

export interface NavItem {
  /** The route's path. */
  to: string;
  /** i18n keys: `<area>.…` (the area's messages are under its name). */
  label: string;
  /** One line on the home page under the label. */
  description?: string;
  /** Who sees it (any of them); the route's own meta.roles guards the page itself. */
  roles: readonly Role[];
}

export interface Area {
  /** The folder's name; its messages are `t('<name>.…')`. */
  name: string;
  /** Order on the home page and in the menu (lower first). */
  order: number;
  routes: RouteRecordRaw[];
  /** zh-CN first; en must have the same keys (a test checks). */
  messages: { 'zh-CN': Messages; en: Messages };
  nav: NavItem[];
}

export const defineArea = (area: Area): Area => area;

/**
 * A page of an area: lazily loaded (its own chunk), signed-in only, and for `roles` only (a user
 * without one of them gets the 403 page, and the page's component, with its data, never loads).
 */
export const page = (
  path: string,
  name: string,
  component: () => Promise<unknown>,
  roles: readonly Role[],
  extra: { title?: string; props?: boolean } = {},
): RouteRecordRaw => ({
  path,
  name,
  component: component as RouteRecordRaw['component'] & (() => Promise<never>),
  props: extra.props ?? true,
  meta: { roles: [...roles], ...(extra.title ? { title: extra.title } : {}) },
});
