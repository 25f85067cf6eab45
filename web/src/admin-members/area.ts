/**
 * The officers' console, members (issue 12 §2): the list with search and filters, a member's page
 * (membership, history, pending transfer, care, leave), enrolment by hand, the initial import from
 * a CSV, the department → branch map. Officers see their branch; the chair and admins everyone
 * (the API decides; these roles only keep others from loading the pages at all).
 */
import { defineArea, page } from '../app/area';
import { messages } from './messages';

const MANAGERS = ['officer', 'chair', 'admin'] as const;

export default defineArea({
  name: 'adminMembers',
  order: 40,
  messages,
  routes: [
    page('/admin/members', 'admin-members', () => import('./pages/MemberListPage.vue'), MANAGERS, {
      title: 'adminMembers.list.title',
    }),
    page('/admin/members/new', 'admin-member-new', () => import('./pages/EnrolPage.vue'), MANAGERS, {
      title: 'adminMembers.enrol.title',
    }),
    page('/admin/members/import', 'admin-members-import', () => import('./pages/ImportPage.vue'), MANAGERS, {
      title: 'adminMembers.import.title',
    }),
    page('/admin/members/:id', 'admin-member', () => import('./pages/MemberDetailPage.vue'), MANAGERS, {
      title: 'adminMembers.detail.title',
    }),
    page('/admin/departments', 'admin-departments', () => import('./pages/DepartmentsPage.vue'), MANAGERS, {
      title: 'adminMembers.departments.title',
    }),
  ],
  nav: [
    {
      to: '/admin/members',
      label: 'adminMembers.nav.members',
      description: 'adminMembers.nav.membersDescription',
      roles: MANAGERS,
    },
    {
      to: '/admin/departments',
      label: 'adminMembers.nav.departments',
      description: 'adminMembers.nav.departmentsDescription',
      roles: MANAGERS,
    },
  ],
});
