/** Reports (报表): proposals per session and letters per year, each also as CSV. */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

/** The proposals report: the committee, the chair, admins, auditors; the letters report: all but the committee. */
export const PROPOSAL_REPORT_READERS = ['committee', 'chair', 'admin', 'auditor'] as const;
export const LETTER_REPORT_READERS = ['chair', 'admin', 'auditor'] as const;

export default defineArea({
  name: 'reports',
  order: 90,
  messages,
  routes: [
    page('/admin/reports', 'reports', () => import('./pages/ReportsPage.vue'), PROPOSAL_REPORT_READERS, {
      title: 'reports.title',
    }),
  ],
  nav: [
    {
      to: '/admin/reports',
      label: 'reports.nav.reports',
      description: 'reports.nav.reportsDescription',
      roles: PROPOSAL_REPORT_READERS,
    },
  ],
});
