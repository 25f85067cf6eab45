/** The members' pages: my membership (issue 11 adds care, activities, surveys … here). */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

export default defineArea({
  name: 'members',
  order: 10,
  messages,
  routes: [
    page('/me', 'member-home', () => import('./pages/MemberHomePage.vue'), ['member'], {
      title: 'members.home.title',
    }),
  ],
  nav: [{ to: '/me', label: 'members.nav.me', description: 'members.nav.meDescription', roles: ['member'] }],
});
