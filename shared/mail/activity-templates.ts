/** Mails of the union-life contexts: activities (registered, promoted, the day before), mutual aid (a choice, reminders), awards (nominated, shortlisted, results). */
import type * as z from 'zod/mini';
import type { ActivityPromoted, ActivityRegistered, ActivityReminderDue } from '../../events/activities.ts';
import type { AwardNominated, AwardResultsPublished, AwardShortlisted } from '../../events/awards.ts';
import type { MutualAidChosen, MutualAidReminderDue } from '../../events/mutual-aid.ts';
import { renderMail } from './layout.ts';
import type { MailContext, OutgoingMail } from './templates.ts';

const CLOSING = { zh: '校工会', en: 'The University Trade Union' };

const greeting = (name: string | undefined) => ({
  zh: `${name ?? ''}老师：您好！`,
  en: `Dear ${name ?? 'colleague'},`,
});

const activityFacts = (d: { date: string; place: string }, family: number) => [
  { zh: '日期', en: 'Date', value: d.date },
  { zh: '地点', en: 'Place', value: d.place },
  ...(family > 0 ? [{ zh: '随行家属', en: 'Family members', value: String(family) }] : []),
];

export const renderActivityRegistered = (
  d: z.infer<typeof ActivityRegistered.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.recipient
    ? [
        {
          notificationId: `${d.eventId}#member`,
          to: d.recipient.email,
          ...renderMail(
            d.status === 'confirmed'
              ? {
                  subject: { zh: `报名成功：${d.title}`, en: `You are registered: ${d.title}` },
                  greeting: greeting(d.recipient.name),
                  paragraphs: [
                    {
                      zh: `您已成功报名“${d.title}”，活动于 ${d.date} 在${d.place}举行。如不能参加，请及时取消，把名额让给候补的同事。`,
                      en: `You are registered for "${d.title}" on ${d.date} at ${d.place}. If you cannot come, please cancel so that a colleague on the waiting list gets your place.`,
                    },
                  ],
                  facts: activityFacts(d, d.family),
                  closing: CLOSING,
                }
              : {
                  subject: { zh: `已列入候补：${d.title}`, en: `On the waiting list: ${d.title}` },
                  greeting: greeting(d.recipient.name),
                  paragraphs: [
                    {
                      zh: `“${d.title}”名额已满，您已列入候补名单第 ${d.position} 位。有名额空出时将按顺序自动递补，并邮件通知您。`,
                      en: `"${d.title}" is full: you are number ${d.position} on the waiting list. When a place frees, it goes to the waiting list in order, and we will mail you.`,
                    },
                  ],
                  facts: [
                    ...activityFacts(d, d.family),
                    { zh: '候补位次', en: 'Waiting-list position', value: String(d.position) },
                  ],
                  closing: CLOSING,
                },
          ),
        },
      ]
    : [];

export const renderActivityPromoted = (
  d: z.infer<typeof ActivityPromoted.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.recipient
    ? [
        {
          notificationId: `${d.eventId}#member`,
          to: d.recipient.email,
          ...renderMail({
            subject: { zh: `候补成功：${d.title}`, en: `A place is yours: ${d.title}` },
            greeting: greeting(d.recipient.name),
            paragraphs: [
              {
                zh: `有名额空出，您已由候补转为正式报名“${d.title}”，活动于 ${d.date} 在${d.place}举行。`,
                en: `A place freed and you moved up from the waiting list: you are registered for "${d.title}" on ${d.date} at ${d.place}.`,
              },
            ],
            facts: activityFacts(d, d.family),
            closing: CLOSING,
          }),
        },
      ]
    : [];

export const renderActivityReminder = (
  d: z.infer<typeof ActivityReminderDue.schema>,
  _ctx: MailContext,
): OutgoingMail[] => [
  {
    notificationId: `${d.eventId}#member`,
    to: d.recipient.email,
    ...renderMail({
      subject: { zh: `明天见：${d.title}`, en: `Tomorrow: ${d.title}` },
      greeting: greeting(d.recipient.name),
      paragraphs: [
        {
          zh: `提醒您：您报名的“${d.title}”将于明天（${d.date}）在${d.place}举行。`,
          en: `A reminder: "${d.title}", which you registered for, is tomorrow (${d.date}) at ${d.place}.`,
        },
      ],
      facts: activityFacts(d, d.family),
      closing: CLOSING,
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// Mutual medical aid (职工医疗互助).

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export const renderMutualAidChosen = (
  d: z.infer<typeof MutualAidChosen.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.recipient
    ? [
        {
          notificationId: `${d.eventId}#member`,
          to: d.recipient.email,
          ...renderMail({
            subject: d.enrol
              ? { zh: `已参加 ${d.year} 年度职工医疗互助`, en: `You joined mutual medical aid for ${d.year}` }
              : {
                  zh: `不参加 ${d.year} 年度职工医疗互助`,
                  en: `You opted out of mutual medical aid for ${d.year}`,
                },
            greeting: greeting(d.recipient.name),
            paragraphs: [
              d.enrol
                ? {
                    zh: `您已选择参加 ${d.year} 年度职工医疗互助，费用每人 ${yuan(d.feeFen)} 元。${d.closesOn} 前可随时更改。`,
                    en: `You chose to join mutual medical aid for ${d.year}; the fee is ${yuan(d.feeFen)} yuan per person. You may change your choice until ${d.closesOn}.`,
                  }
                : {
                    zh: `您已选择不参加 ${d.year} 年度职工医疗互助。${d.closesOn} 前可随时更改。`,
                    en: `You chose not to join mutual medical aid for ${d.year}. You may change your choice until ${d.closesOn}.`,
                  },
            ],
            facts: [
              { zh: '年度', en: 'Year', value: String(d.year) },
              { zh: '费用（元/人）', en: 'Fee (yuan per person)', value: yuan(d.feeFen) },
              { zh: '截止日期', en: 'Closes on', value: d.closesOn },
            ],
            closing: CLOSING,
          }),
        },
      ]
    : [];

export const renderMutualAidReminder = (
  d: z.infer<typeof MutualAidReminderDue.schema>,
  _ctx: MailContext,
): OutgoingMail[] => [
  {
    notificationId: `${d.eventId}#member`,
    to: d.recipient.email,
    ...renderMail({
      subject: {
        zh: `请在 ${d.closesOn} 前选择是否参加 ${d.year} 年度职工医疗互助`,
        en: `Mutual medical aid ${d.year}: please choose by ${d.closesOn}`,
      },
      greeting: greeting(d.recipient.name),
      paragraphs: [
        {
          zh: `${d.year} 年度职工医疗互助登记将于 ${d.closesOn} 截止，您尚未选择是否参加。费用每人 ${yuan(d.feeFen)} 元。`,
          en: `Registration for mutual medical aid ${d.year} closes on ${d.closesOn} and you have not chosen yet. The fee is ${yuan(d.feeFen)} yuan per person.`,
        },
      ],
      facts: [
        { zh: '费用（元/人）', en: 'Fee (yuan per person)', value: yuan(d.feeFen) },
        { zh: '截止日期', en: 'Closes on', value: d.closesOn },
      ],
      closing: CLOSING,
    }),
  },
];

// ---------------------------------------------------------------------------------------------
// Awards (最美家庭, 评先推优).

export const renderAwardNominated = (
  d: z.infer<typeof AwardNominated.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.recipient
    ? [
        {
          notificationId: `${d.eventId}#nominee`,
          to: d.recipient.email,
          ...renderMail({
            subject: { zh: `您被推荐参加“${d.title}”评选`, en: `You are nominated: ${d.title}` },
            greeting: greeting(d.recipient.name),
            paragraphs: [
              {
                zh: `您所在的分工会推荐您参加“${d.title}”评选。评审委员会确定候选名单后，投票将于 ${d.votingOpensOn} 开始。`,
                en: `Your branch union nominated you for "${d.title}". Once the committee has drawn up the shortlist, voting opens on ${d.votingOpensOn}.`,
              },
            ],
            facts: [{ zh: '投票开始', en: 'Voting opens', value: d.votingOpensOn }],
            closing: CLOSING,
          }),
        },
      ]
    : [];

export const renderAwardShortlisted = (
  d: z.infer<typeof AwardShortlisted.schema>,
  _ctx: MailContext,
): OutgoingMail[] =>
  d.shortlisted.flatMap((s) =>
    s.recipient
      ? [
          {
            notificationId: `${d.eventId}#${s.employeeId}`,
            to: s.recipient.email,
            ...renderMail({
              subject: { zh: `您已入围“${d.title}”候选名单`, en: `You are on the shortlist: ${d.title}` },
              greeting: greeting(s.recipient.name),
              paragraphs: [
                {
                  zh: `祝贺您入围“${d.title}”候选名单。会员投票时间为 ${d.votingOpensOn} 至 ${d.votingClosesOn}，结果将在投票截止后公布。`,
                  en: `Congratulations: you are on the shortlist for "${d.title}". Members vote from ${d.votingOpensOn} to ${d.votingClosesOn}; the results are published after the vote closes.`,
                },
              ],
              facts: [
                { zh: '投票开始', en: 'Voting opens', value: d.votingOpensOn },
                { zh: '投票截止', en: 'Voting closes', value: d.votingClosesOn },
              ],
              closing: CLOSING,
            }),
          },
        ]
      : [],
  );

/** The awarded hear it; the union office gets the counts (it posts the 公示). */
export const renderAwardResults = (
  d: z.infer<typeof AwardResultsPublished.schema>,
  ctx: MailContext,
): OutgoingMail[] => [
  ...d.results.flatMap((r) =>
    r.awarded && r.recipient
      ? [
          {
            notificationId: `${d.eventId}#${r.employeeId}`,
            to: r.recipient.email,
            ...renderMail({
              subject: { zh: `祝贺您获评“${d.title}”`, en: `Congratulations: ${d.title}` },
              greeting: greeting(r.recipient.name),
              paragraphs: [
                {
                  zh: `“${d.title}”投票已于 ${d.votingClosesOn} 截止。您获得 ${r.votes} 票，名列第 ${r.rank}，获评“${d.title}”。`,
                  en: `Voting for "${d.title}" closed on ${d.votingClosesOn}. With ${r.votes} votes you ranked ${r.rank} and receive the award.`,
                },
              ],
              facts: [
                { zh: '得票', en: 'Votes', value: String(r.votes) },
                { zh: '名次', en: 'Rank', value: String(r.rank) },
              ],
              closing: CLOSING,
            }),
          },
        ]
      : [],
  ),
  {
    notificationId: `${d.eventId}#office`,
    to: ctx.unionContactEmail,
    ...renderMail({
      subject: { zh: `“${d.title}”投票结果`, en: `Results: ${d.title}` },
      greeting: { zh: '工会办公室：', en: 'To the union office,' },
      paragraphs: [
        {
          zh: `“${d.title}”投票已于 ${d.votingClosesOn} 截止，共 ${d.totalVotes} 票，名额 ${d.places} 个。${d.tieAtCutoff ? '末位并列，获评人数超过名额，请评审委员会决定。' : ''}`,
          en: `Voting for "${d.title}" closed on ${d.votingClosesOn}: ${d.totalVotes} votes for ${d.places} places.${d.tieAtCutoff ? ' A tie at the last place gives more awarded than places: the committee decides.' : ''}`,
        },
        ...d.results.map((r) => ({
          zh: `${r.rank}. ${r.name ?? r.employeeId}（${r.employeeId}）${r.votes} 票${r.awarded ? ' ★获评' : ''}`,
          en: `${r.rank}. ${r.name ?? r.employeeId} (${r.employeeId}) ${r.votes} votes${r.awarded ? ' ★ awarded' : ''}`,
        })),
      ],
      closing: { zh: 'Gonghui 系统', en: 'Gonghui' },
    }),
  },
];
