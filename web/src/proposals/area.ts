/** Staff-congress proposals (教代会提案): delegates, the committee, departments. */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

const READERS = ['delegate', 'committee', 'department', 'chair', 'admin'] as const;

export default defineArea({
  name: 'proposals',
  order: 20,
  messages,
  routes: [
    page('/proposals', 'proposals', () => import('./pages/ProposalListPage.vue'), READERS, {
      title: 'proposals.list.title',
    }),
    page('/proposals/new', 'proposal-new', () => import('./pages/ProposalFormPage.vue'), ['delegate'], {
      title: 'proposals.form.newTitle',
    }),
    page(
      '/proposals/review',
      'proposal-review',
      () => import('./pages/ReviewQueuePage.vue'),
      ['committee', 'chair'],
      {
        title: 'proposals.queue.title',
      },
    ),
    page(
      '/proposals/assigned',
      'proposal-assigned',
      () => import('./pages/DepartmentQueuePage.vue'),
      ['department'],
      {
        title: 'proposals.dept.title',
      },
    ),
    page('/proposals/:id', 'proposal', () => import('./pages/ProposalDetailPage.vue'), READERS),
    page('/proposals/:id/edit', 'proposal-edit', () => import('./pages/ProposalFormPage.vue'), ['delegate'], {
      title: 'proposals.form.editTitle',
    }),
  ],
  nav: [
    {
      to: '/proposals',
      label: 'proposals.nav.list',
      description: 'proposals.nav.listDescription',
      roles: READERS,
    },
    {
      to: '/proposals/review',
      label: 'proposals.nav.review',
      description: 'proposals.nav.reviewDescription',
      roles: ['committee', 'chair'],
    },
    {
      to: '/proposals/assigned',
      label: 'proposals.nav.assigned',
      description: 'proposals.nav.assignedDescription',
      roles: ['department'],
    },
  ],
});
