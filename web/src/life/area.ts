/** Union life (工会活动、医疗互助、评先评优): members take part, officers and the chair organise. */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

/** Who may read activities and awards: members, and those who organise them. */
const PEOPLE = ['member', 'officer', 'committee', 'chair', 'admin'] as const;
const ORGANISERS = ['officer', 'chair', 'admin'] as const;
const CHAIR = ['chair', 'admin'] as const;

export default defineArea({
  name: 'life',
  order: 40,
  messages,
  routes: [
    page('/life/activities', 'life-activities', () => import('./pages/ActivityListPage.vue'), PEOPLE, {
      title: 'life.activities.title',
    }),
    page(
      '/life/activities/new',
      'life-activity-new',
      () => import('./pages/ActivityFormPage.vue'),
      ORGANISERS,
      {
        title: 'life.form.title',
      },
    ),
    page('/life/activities/:id', 'life-activity', () => import('./pages/ActivityDetailPage.vue'), PEOPLE, {
      title: 'life.activities.title',
    }),
    page(
      '/life/activities/:id/participants',
      'life-activity-participants',
      () => import('./pages/ParticipantsPage.vue'),
      ORGANISERS,
      { title: 'life.participants.pageTitle' },
    ),
    page('/life/mutual-aid', 'life-mutual-aid', () => import('./pages/MutualAidPage.vue'), ['member'], {
      title: 'life.mutualAid.title',
    }),
    page(
      '/life/manage/mutual-aid',
      'life-mutual-aid-manage',
      () => import('./pages/MutualAidManagePage.vue'),
      CHAIR,
      {
        title: 'life.manage.title',
      },
    ),
    page('/life/awards', 'life-awards', () => import('./pages/AwardListPage.vue'), PEOPLE, {
      title: 'life.awards.title',
    }),
    page('/life/awards/new', 'life-award-new', () => import('./pages/AwardFormPage.vue'), CHAIR, {
      title: 'life.awardForm.title',
    }),
    page('/life/awards/:id', 'life-award', () => import('./pages/AwardDetailPage.vue'), PEOPLE, {
      title: 'life.awards.title',
    }),
  ],
  nav: [
    {
      to: '/life/activities',
      label: 'life.nav.activities',
      description: 'life.nav.activitiesDescription',
      roles: ['member', ...ORGANISERS],
    },
    {
      to: '/life/mutual-aid',
      label: 'life.nav.mutualAid',
      description: 'life.nav.mutualAidDescription',
      roles: ['member'],
    },
    {
      to: '/life/manage/mutual-aid',
      label: 'life.nav.manage',
      description: 'life.nav.manageDescription',
      roles: CHAIR,
    },
    {
      to: '/life/awards',
      label: 'life.nav.awards',
      description: 'life.nav.awardsDescription',
      roles: PEOPLE,
    },
  ],
});
