/**
 * Care (慰问) in the officers' console: life-event requests (officers file, the chair decides),
 * the ledger for the audit (经审 read it, and nothing more), and the settings the chair and
 * admins keep (policy versions, the union's own occasions, the working-day arrangement).
 */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

/** Who files and reads requests (the API's rule): officers their branch; the chair and admins all. */
const REQUESTS = ['officer', 'chair', 'admin'] as const;
/** Who reads the ledger: also the audit committee. */
const LEDGER = ['officer', 'chair', 'admin', 'auditor'] as const;
const SETTINGS = ['chair', 'admin'] as const;

export default defineArea({
  name: 'care',
  order: 30,
  messages,
  routes: [
    page('/admin/care/requests', 'care-requests', () => import('./pages/RequestListPage.vue'), REQUESTS, {
      title: 'care.requests.title',
    }),
    page(
      '/admin/care/requests/new',
      'care-request-new',
      () => import('./pages/RequestFormPage.vue'),
      REQUESTS,
      {
        title: 'care.form.title',
      },
    ),
    page('/admin/care/ledger', 'care-ledger', () => import('./pages/LedgerPage.vue'), LEDGER, {
      title: 'care.ledger.title',
    }),
    page('/admin/care/settings', 'care-policy', () => import('./pages/PolicyPage.vue'), SETTINGS, {
      title: 'care.policy.title',
    }),
    page(
      '/admin/care/settings/policy/new',
      'care-policy-new',
      () => import('./pages/PolicyFormPage.vue'),
      SETTINGS,
      { title: 'care.policyForm.title' },
    ),
    page(
      '/admin/care/settings/occasions',
      'care-occasions',
      () => import('./pages/OccasionsPage.vue'),
      SETTINGS,
      { title: 'care.occasions.title' },
    ),
    page(
      '/admin/care/settings/workdays',
      'care-workdays',
      () => import('./pages/WorkdaysPage.vue'),
      SETTINGS,
      { title: 'care.workdays.title' },
    ),
  ],
  nav: [
    {
      to: '/admin/care/requests',
      label: 'care.nav.requests',
      description: 'care.nav.requestsDescription',
      roles: REQUESTS,
    },
    {
      to: '/admin/care/ledger',
      label: 'care.nav.ledger',
      description: 'care.nav.ledgerDescription',
      roles: LEDGER,
    },
    {
      to: '/admin/care/settings',
      label: 'care.nav.settings',
      description: 'care.nav.settingsDescription',
      roles: SETTINGS,
    },
  ],
});
