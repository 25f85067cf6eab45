/**
 * Mails of the members' voice: an answer to the letter's writer (every answer), a letter handed
 * to a delegate of the chair, and the daily reminder of letters still unanswered.
 */
import type * as z from 'zod/mini';
import type {
  LetterAnswered,
  LetterDelegated,
  LetterReminderDue,
  SuggestionAdopted,
} from '../../events/voice.ts';
import { renderMail } from './layout.ts';
import type { MailContext, OutgoingMail } from './templates.ts';

const CLOSING = { zh: '校工会 主席信箱', en: "The union chair's mailbox" };

export const renderLetterAnswered = (
  d: z.infer<typeof LetterAnswered.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.writer
    ? [
        {
          notificationId: `${d.eventId}#writer`,
          to: d.writer.email,
          ...renderMail({
            subject: {
              zh: `您写给工会主席的信《${d.subject}》有了答复`,
              en: `Your letter to the union chair "${d.subject}" has an answer`,
            },
            greeting: {
              zh: `${d.writer.name ?? ''}老师：您好！`,
              en: `Dear ${d.writer.name ?? 'colleague'},`,
            },
            paragraphs: [
              {
                zh: `您通过主席信箱反映的《${d.subject}》收到了第 ${d.seq} 条答复：`,
                en: `Your letter "${d.subject}" to the chair's mailbox has its answer no. ${d.seq}:`,
              },
              { zh: d.answer, en: d.answer },
              {
                zh: '如需补充，请登录系统查看并继续反映。感谢您对工会工作的关心。',
                en: 'You can read every answer and follow up in the system. Thank you for writing.',
              },
            ],
            facts: [
              { zh: '类别', en: 'Category', value: d.category },
              { zh: '答复序号', en: 'Answer no.', value: String(d.seq) },
            ],
            closing: CLOSING,
          }),
        },
      ]
    : [];

export const renderLetterDelegated = (
  d: z.infer<typeof LetterDelegated.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.delegate
    ? [
        {
          notificationId: `${d.eventId}#delegate`,
          to: d.delegate.email,
          ...renderMail({
            subject: {
              zh: `主席转交来信《${d.subject}》，请答复`,
              en: `The chair hands you the letter "${d.subject}" to answer`,
            },
            greeting: {
              zh: `${d.delegate.name ?? ''}同志：您好！`,
              en: `Dear ${d.delegate.name ?? 'colleague'},`,
            },
            paragraphs: [
              {
                zh: `工会主席将主席信箱来信《${d.subject}》（${d.category}）转交您答复，请登录系统阅读并答复。`,
                en: `The union chair hands you the letter "${d.subject}" (${d.category}) from the chair's mailbox. Please read and answer it in the system.`,
              },
            ],
            facts: [{ zh: '信件编号', en: 'Letter id', value: d.letterId }],
            closing: CLOSING,
          }),
        },
      ]
    : [];

/** To the chair (the union office when no chair saved the settings) and to the letter's delegate. */
export const renderLetterReminder = (
  d: z.infer<typeof LetterReminderDue.schema>,
  ctx: MailContext,
): OutgoingMail[] => {
  const to = [
    { key: 'chair', email: d.chair?.email ?? ctx.unionContactEmail, name: d.chair?.name },
    ...(d.delegate ? [{ key: 'delegate', email: d.delegate.email, name: d.delegate.name }] : []),
  ];
  return to.map((r) => ({
    notificationId: `${d.eventId}#${r.key}`,
    to: r.email,
    ...renderMail({
      subject: {
        zh: `主席信箱来信《${d.subject}》已 ${d.daysWaiting} 天未答复`,
        en: `The letter "${d.subject}" has waited ${d.daysWaiting} days for an answer`,
      },
      greeting: { zh: `${r.name ?? ''}您好！`, en: `Dear ${r.name ?? 'colleague'},` },
      paragraphs: [
        {
          zh: `会员于 ${d.writtenOn} 通过主席信箱来信《${d.subject}》（${d.category}），至今 ${d.daysWaiting} 天尚未答复，请尽快答复。`,
          en: `A member wrote "${d.subject}" (${d.category}) to the chair's mailbox on ${d.writtenOn}; it has waited ${d.daysWaiting} days without an answer. Please answer it soon.`,
        },
      ],
      facts: [
        { zh: '信件编号', en: 'Letter id', value: d.letterId },
        { zh: '来信日期', en: 'Written on', value: d.writtenOn },
      ],
      closing: CLOSING,
    }),
  }));
};

/** The author of a suggestion a delegate took up as a proposal draft. */
export const renderSuggestionAdopted = (
  d: z.infer<typeof SuggestionAdopted.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.author
    ? [
        {
          notificationId: `${d.eventId}#author`,
          to: d.author.email,
          ...renderMail({
            subject: {
              zh: `您的建议《${d.title}》已被代表采纳为提案`,
              en: `Your suggestion "${d.title}" is taken up as a proposal`,
            },
            greeting: {
              zh: `${d.author.name ?? ''}老师：您好！`,
              en: `Dear ${d.author.name ?? 'colleague'},`,
            },
            paragraphs: [
              {
                zh: `您在“建言献策”中提出的建议《${d.title}》已由教代会代表采纳，形成提案草稿，将按教代会提案程序提交、附议和审查。感谢您的建言。`,
                en: `A staff-congress delegate has taken up your suggestion "${d.title}" as a proposal draft; it will go through the congress's proposal process (submission, seconding, review). Thank you for your suggestion.`,
              },
            ],
            facts: [{ zh: '提案编号（草稿）', en: 'Proposal id (draft)', value: d.proposalId }],
            closing: { zh: '校工会', en: 'The University Trade Union' },
          }),
        },
      ]
    : [];
