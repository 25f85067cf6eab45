/**
 * The members' voice: the survey (会员评家), the chair's mailbox (主席信箱) and suggestions
 * (建言献策), for members and for the chair, the chair's delegates, officers and delegates.
 * Pages open to every signed-in role are the ones whose data the API narrows by itself (a member
 * sees their own letters and suggestions, the published surveys); the chair's delegates are named
 * by 工号 in the mailbox settings, not by a role, so the letters pages are open to every role.
 */
import { defineArea, page } from '../app/area';
import { ROLES } from '../app/auth/roles';
import { REPORT_READERS, SUGGESTION_READERS } from './api';
import { messages } from './messages';

const EVERYONE = ROLES;
const MANAGERS = ['chair', 'admin'] as const;

export default defineArea({
  name: 'voice',
  order: 40,
  messages,
  routes: [
    page('/surveys', 'surveys', () => import('./pages/SurveyListPage.vue'), EVERYONE, {
      title: 'voice.surveys.title',
    }),
    page('/surveys/new', 'survey-new', () => import('./pages/SurveyNewPage.vue'), MANAGERS, {
      title: 'voice.builder.title',
    }),
    page('/surveys/:id', 'survey', () => import('./pages/SurveyPage.vue'), EVERYONE, {
      title: 'voice.survey.title',
    }),
    page(
      '/surveys/:id/results',
      'survey-results',
      () => import('./pages/SurveyResultsPage.vue'),
      ['chair', 'admin', 'officer'],
      { title: 'voice.results.title' },
    ),
    page('/mailbox', 'mailbox', () => import('./pages/MailboxPage.vue'), ['member'], {
      title: 'voice.mailbox.title',
    }),
    page('/letters', 'letters', () => import('./pages/LetterListPage.vue'), EVERYONE, {
      title: 'voice.letters.title',
    }),
    page('/letters/settings', 'letters-settings', () => import('./pages/MailboxSettingsPage.vue'), MANAGERS, {
      title: 'voice.settings.title',
    }),
    page('/letters/report', 'letters-report', () => import('./pages/LetterReportPage.vue'), REPORT_READERS, {
      title: 'voice.report.title',
    }),
    page('/letters/:id', 'letter', () => import('./pages/LetterPage.vue'), EVERYONE, {
      title: 'voice.letter.title',
    }),
    page('/suggestions', 'suggestions', () => import('./pages/SuggestionsPage.vue'), EVERYONE, {
      title: 'voice.suggestions.title',
    }),
    page('/suggestions/:id', 'suggestion', () => import('./pages/SuggestionPage.vue'), EVERYONE, {
      title: 'voice.suggestion.title',
    }),
  ],
  nav: [
    {
      to: '/surveys',
      label: 'voice.nav.surveys',
      description: 'voice.nav.surveysDescription',
      roles: ['member', 'chair', 'admin', 'officer'],
    },
    {
      to: '/mailbox',
      label: 'voice.nav.mailbox',
      description: 'voice.nav.mailboxDescription',
      roles: ['member'],
    },
    {
      to: '/letters',
      label: 'voice.nav.letters',
      description: 'voice.nav.lettersDescription',
      roles: ['chair'],
    },
    // The chair reaches the report from the letters page; an admin has no letters page to start from.
    {
      to: '/letters/report',
      label: 'voice.nav.report',
      description: 'voice.nav.reportDescription',
      roles: ['admin'],
    },
    {
      to: '/suggestions',
      label: 'voice.nav.suggestions',
      description: 'voice.nav.suggestionsDescription',
      roles: ['member', ...SUGGESTION_READERS],
    },
  ],
});
