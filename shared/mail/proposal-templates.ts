/** Mails of the proposals context: state changes to the proposer and seconders, assignments and reminders to departments. */
import type * as z from 'zod/mini';
import type { ProposalChangeDetail, ProposalReminderDue } from '../../events/proposals.ts';
import { renderMail } from './layout.ts';
import type { MailContext, OutgoingMail } from './templates.ts';

const STATE_NAMES: Record<string, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '已提交，征集附议', en: 'submitted, seeking seconds' },
  under_review: { zh: '提案委员会审查中', en: 'under review by the proposal committee' },
  registered: { zh: '已立案', en: 'registered' },
  merged: { zh: '已并案', en: 'merged into another proposal' },
  converted: { zh: '转为意见建议', en: 'converted to a suggestion' },
  not_registered: { zh: '不予立案', en: 'not registered' },
  assigned: { zh: '已交承办单位办理', en: 'assigned to a department' },
  answered: { zh: '承办单位已答复，请评价', en: 'answered: please rate the answer' },
  closed: { zh: '已办结', en: 'closed' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

const label = (d: { number: string | null; title: string }) =>
  d.number ? `${d.number}《${d.title}》` : `《${d.title}》`;

/** The proposer and seconders hear of every state change of a published proposal. */
export const renderProposalChange = (d: ProposalChangeDetail, _ctx: MailContext): OutgoingMail[] => {
  const mails: OutgoingMail[] = [];
  const state = STATE_NAMES[d.to] ?? { zh: d.to, en: d.to };
  if (d.to !== d.from && d.to !== 'draft') {
    for (const r of d.recipients) {
      mails.push({
        notificationId: `${d.eventId}#${r.id}`,
        to: r.email,
        ...renderMail({
          subject: {
            zh: `提案${label(d)}：${state.zh}`,
            en: `Proposal ${d.number ?? ''} "${d.title}": ${state.en}`,
          },
          greeting: { zh: `${r.name ?? ''}代表：您好！`, en: `Dear ${r.name ?? 'delegate'},` },
          paragraphs: [
            {
              zh: `您提出或附议的提案${label(d)}现在的状态是：${state.zh}。`,
              en: `The proposal "${d.title}" you filed or seconded is now ${state.en}.`,
            },
            ...(d.reason ? [{ zh: `理由：${d.reason}`, en: `Reason: ${d.reason}` }] : []),
          ],
          facts: [
            { zh: '届次', en: 'Session', value: d.session },
            ...(d.number ? [{ zh: '提案编号', en: 'Number', value: d.number }] : []),
          ],
          closing: { zh: '校工会 教代会提案工作委员会', en: 'The proposal committee of the staff congress' },
        }),
      });
    }
  }
  if (d.to === 'assigned' && d.department?.email) {
    mails.push({
      notificationId: `${d.eventId}#department`,
      to: d.department.email,
      ...renderMail({
        subject: {
          zh: `请办理提案${label(d)}`,
          en: `Proposal ${d.number ?? ''} "${d.title}" is assigned to you`,
        },
        greeting: { zh: '承办单位：您好！', en: 'Dear colleagues,' },
        paragraphs: [
          {
            zh: `教代会提案${label(d)}已交由贵单位主办，请于 ${d.department.dueDate} 前答复。`,
            en: `The staff-congress proposal "${d.title}" is assigned to your department. Please answer by ${d.department.dueDate}.`,
          },
        ],
        facts: [{ zh: '答复期限', en: 'Due date', value: d.department.dueDate }],
        closing: { zh: '校工会 教代会提案工作委员会', en: 'The proposal committee of the staff congress' },
      }),
    });
  }
  return mails;
};

export const renderProposalReminder = (
  d: z.infer<typeof ProposalReminderDue.schema>,
  _ctx: MailContext,
): OutgoingMail[] => [
  {
    notificationId: d.eventId,
    to: d.department.email,
    ...renderMail({
      subject: d.overdue
        ? { zh: `提案${label(d)}已超过答复期限`, en: `Proposal "${d.title}" is overdue` }
        : { zh: `提案${label(d)}即将到期`, en: `Proposal "${d.title}" is due soon` },
      greeting: { zh: '承办单位：您好！', en: 'Dear colleagues,' },
      paragraphs: [
        d.overdue
          ? {
              zh: `提案${label(d)}的答复期限 ${d.dueDate} 已过，请尽快答复。`,
              en: `The answer to "${d.title}" was due on ${d.dueDate}. Please answer as soon as you can.`,
            }
          : {
              zh: `提案${label(d)}的答复期限是 ${d.dueDate}，请按时答复。`,
              en: `The answer to "${d.title}" is due on ${d.dueDate}.`,
            },
      ],
      facts: [{ zh: '答复期限', en: 'Due date', value: d.dueDate }],
      closing: { zh: '校工会 教代会提案工作委员会', en: 'The proposal committee of the staff congress' },
    }),
  },
];
