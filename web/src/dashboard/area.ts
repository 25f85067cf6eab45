/** The chair's dashboard (工作台): the year at a glance for officers, the chair, admins and auditors. */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

const READERS = ['officer', 'chair', 'admin', 'auditor'] as const;

export default defineArea({
  name: 'dashboard',
  order: 5,
  messages,
  routes: [
    page('/admin/dashboard', 'dashboard', () => import('./pages/DashboardPage.vue'), READERS, {
      title: 'dashboard.title',
    }),
  ],
  nav: [
    {
      to: '/admin/dashboard',
      label: 'dashboard.nav.dashboard',
      description: 'dashboard.nav.dashboardDescription',
      roles: READERS,
    },
  ],
});
