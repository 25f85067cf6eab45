/**
 * Mail templates, one per domain event that sends mail. A template validates the event's detail
 * with the event's own schema and returns the mails to send, each with a notification id that is
 * stable across redeliveries (event id + purpose + recipient): send-email is idempotent on it.
 */
import type * as z from 'zod/mini';
import { ActivityPromoted, ActivityRegistered, ActivityReminderDue } from '../../events/activities.ts';
import { AwardNominated, AwardResultsPublished, AwardShortlisted } from '../../events/awards.ts';
import { CareGranted } from '../../events/care.ts';
import { EnrolmentSkipped, MemberEnrolled, MemberInvited, MemberLeft } from '../../events/members.ts';
import { MutualAidChosen, MutualAidReminderDue } from '../../events/mutual-aid.ts';
import { ProposalReminderDue, proposalChangeSchema } from '../../events/proposals.ts';
import { LetterAnswered, LetterDelegated, LetterReminderDue, SuggestionAdopted } from '../../events/voice.ts';
import {
  renderActivityPromoted,
  renderActivityRegistered,
  renderActivityReminder,
  renderAwardNominated,
  renderAwardResults,
  renderAwardShortlisted,
  renderMutualAidChosen,
  renderMutualAidReminder,
} from './activity-templates.ts';
import { type RenderedMail, renderMail } from './layout.ts';
import { type MailEventType, PROPOSAL_MAIL_EVENTS } from './mail-events.ts';
import { renderProposalChange, renderProposalReminder } from './proposal-templates.ts';
import {
  renderLetterAnswered,
  renderLetterDelegated,
  renderLetterReminder,
  renderSuggestionAdopted,
} from './voice-templates.ts';

export interface MailContext {
  /** The union office's mailbox: members write to it, and officers are told through it. */
  unionContactEmail: string;
}

export interface OutgoingMail extends RenderedMail {
  notificationId: string;
  to: string;
}

interface Template<S extends z.ZodMiniType> {
  schema: S;
  render: (detail: z.infer<S>, ctx: MailContext) => OutgoingMail[];
}

/** A template with its detail type erased, so that one registry can hold them all. */
interface AnyTemplate {
  schema: z.ZodMiniType;
  render: (detail: unknown, ctx: MailContext) => OutgoingMail[];
}

const template = <S extends z.ZodMiniType>(t: Template<S>): AnyTemplate => t as unknown as AnyTemplate;

export const templates = {
  MemberEnrolled: template({
    schema: MemberEnrolled.schema,
    // A hire that HR's later events (a departure) overtook enrols the person without a welcome.
    render: (d, ctx) => [
      ...(d.branchAssignedByDefault ? [unmappedDepartmentNotice(d, ctx)] : []),
      ...(d.status !== 'active'
        ? []
        : [
            {
              notificationId: `${d.eventId}#welcome`,
              to: d.email,
              ...renderMail({
                subject: { zh: '欢迎加入工会', en: 'Welcome to the trade union' },
                greeting: { zh: `${d.name}老师：您好！`, en: `Dear ${d.name},` },
                paragraphs: [
                  {
                    zh: `欢迎您加入学校工会。您已成为${d.branch.name}的会员，会员号为 ${d.membershipNumber}。`,
                    en: `Welcome to the university's trade union. You are now a member of ${d.branch.name}, membership number ${d.membershipNumber}.`,
                  },
                  ...(d.womenFederation
                    ? [
                        {
                          zh: '您同时成为学校妇女联合会（妇联）的成员。',
                          en: "You are also a member of the university's women's federation.",
                        },
                      ]
                    : []),
                  {
                    zh: '工会会为您送上节日和生日慰问，并在结婚、生育、住院等时刻给予关怀。',
                    en: 'The union sends holiday and birthday care, and supports you at weddings, births and hospital stays.',
                  },
                  {
                    zh: `入会自愿，退会自由。如不希望成为会员，请回复本邮件或写信至 ${ctx.unionContactEmail}，我们将为您办理退会。`,
                    en: `Membership is voluntary. If you do not wish to be a member, reply to this mail or write to ${ctx.unionContactEmail} and we will end your membership.`,
                  },
                ],
                facts: [
                  { zh: '会员号', en: 'Membership number', value: d.membershipNumber },
                  { zh: '所属分工会', en: 'Branch union', value: d.branch.name },
                  { zh: '入会日期', en: 'Joined on', value: d.joinedOn },
                ],
                closing: { zh: '校工会', en: 'The University Trade Union' },
              }),
            },
          ]),
    ],
  }),
  MemberLeft: template({
    schema: MemberLeft.schema,
    // A member's death is news for the office: bereavement care (丧葬慰问) follows.
    render: (d, ctx) =>
      d.reason !== 'deceased'
        ? []
        : [
            {
              notificationId: `${d.eventId}#office-deceased`,
              to: ctx.unionContactEmail,
              ...renderMail({
                subject: { zh: '会员逝世通知', en: 'A member has died' },
                greeting: { zh: '工会办公室：', en: 'To the union office,' },
                paragraphs: [
                  {
                    zh: `人事处通知，${d.branch.name}会员（工号 ${d.employeeId}）已于 ${d.departureDate} 逝世。请安排丧葬慰问。`,
                    en: `HR reports that a member of ${d.branch.name} (employee id ${d.employeeId}) died on ${d.departureDate}. Please arrange bereavement care.`,
                  },
                ],
                facts: [
                  { zh: '会员编号', en: 'Member id', value: d.memberId },
                  { zh: '工号', en: 'Employee id', value: d.employeeId },
                ],
                closing: { zh: 'Gonghui 系统', en: 'Gonghui' },
              }),
            },
          ],
  }),
  MemberInvited: template({
    schema: MemberInvited.schema,
    render: (d, ctx) => [
      {
        notificationId: `${d.eventId}#invitation`,
        to: d.email,
        ...renderMail({
          subject: { zh: '诚邀您加入学校工会', en: "You are invited to join the university's trade union" },
          greeting: { zh: `${d.name}老师：您好！`, en: `Dear ${d.name},` },
          paragraphs: [
            {
              zh: `欢迎您入职。学校工会诚邀您加入${d.branch.name}。请在 ${d.expiresOn} 前打开下面的链接确认入会：`,
              en: `Welcome to the university. The trade union invites you to join ${d.branch.name}. To join, open this link by ${d.expiresOn}:`,
            },
            { zh: d.acceptUrl, en: d.acceptUrl },
            {
              zh: `入会自愿。如不希望入会，无需任何操作；如有疑问，请写信至 ${ctx.unionContactEmail}。`,
              en: `Membership is voluntary: if you do not wish to join, do nothing. Questions: ${ctx.unionContactEmail}.`,
            },
          ],
          facts: [
            { zh: '分工会', en: 'Branch union', value: d.branch.name },
            { zh: '链接有效期至', en: 'Link valid until', value: d.expiresOn },
          ],
          closing: { zh: '校工会', en: 'The University Trade Union' },
        }),
      },
    ],
  }),
  EnrolmentSkipped: template({
    schema: EnrolmentSkipped.schema,
    render: (d, ctx) => [
      {
        notificationId: `${d.eventId}#office-skipped`,
        to: ctx.unionContactEmail,
        ...renderMail({
          subject: { zh: '派遣人员未自动入会', en: 'Dispatched staff not enrolled automatically' },
          greeting: { zh: '工会办公室：', en: 'To the union office,' },
          paragraphs: [
            {
              zh: `人事处通知新入职派遣人员（工号 ${d.employeeId}，${d.department.name}）。按本会设置，派遣人员不自动入会。如其申请入会，请通过“手工入会”办理。`,
              en: `HR reports a new dispatched employee (employee id ${d.employeeId}, ${d.department.name}). By this union's setting, dispatched staff are not enrolled automatically. If they ask to join, enrol them by hand.`,
            },
          ],
          facts: [
            { zh: '工号', en: 'Employee id', value: d.employeeId },
            { zh: '部门', en: 'Department', value: d.department.name },
            { zh: '对应分工会', en: 'Branch union', value: d.branch.name },
          ],
          closing: { zh: 'Gonghui 系统', en: 'Gonghui' },
        }),
      },
    ],
  }),
  ...(Object.fromEntries(
    PROPOSAL_MAIL_EVENTS.map((t) => [
      t,
      template({ schema: proposalChangeSchema, render: renderProposalChange }),
    ]),
  ) as Record<(typeof PROPOSAL_MAIL_EVENTS)[number], AnyTemplate>),
  ProposalReminderDue: template({ schema: ProposalReminderDue.schema, render: renderProposalReminder }),
  CareGranted: template({
    schema: CareGranted.schema,
    render: (d) => [
      {
        notificationId: `${d.eventId}#member`,
        to: d.email,
        ...renderMail({
          subject: { zh: `工会${d.occasionName}慰问`, en: `Union care: ${d.occasion.replace(/_/g, ' ')}` },
          greeting: { zh: `${d.name}老师：您好！`, en: `Dear ${d.name},` },
          paragraphs: [
            {
              zh: `值此${d.occasionName}之际，校工会向您致以诚挚的问候。${d.gift ? `慰问品（${d.gift}）` : '慰问金'}将由${d.branch.name}于 ${d.date} 起发放。`,
              en: `On the occasion of ${d.occasionName}, the union sends you its warm wishes. Your ${d.gift ? `gift (${d.gift})` : 'care payment'} is handed out by ${d.branch.name} from ${d.date}.`,
            },
          ],
          facts: [
            { zh: '项目', en: 'Occasion', value: d.occasionName },
            { zh: '标准（元）', en: 'Value (yuan)', value: (d.amountFen / 100).toFixed(2) },
          ],
          closing: { zh: '校工会', en: 'The University Trade Union' },
        }),
      },
    ],
  }),
  LetterAnswered: template({ schema: LetterAnswered.schema, render: renderLetterAnswered }),
  LetterDelegated: template({ schema: LetterDelegated.schema, render: renderLetterDelegated }),
  LetterReminderDue: template({ schema: LetterReminderDue.schema, render: renderLetterReminder }),
  SuggestionAdopted: template({ schema: SuggestionAdopted.schema, render: renderSuggestionAdopted }),
  ActivityRegistered: template({ schema: ActivityRegistered.schema, render: renderActivityRegistered }),
  ActivityPromoted: template({ schema: ActivityPromoted.schema, render: renderActivityPromoted }),
  ActivityReminderDue: template({ schema: ActivityReminderDue.schema, render: renderActivityReminder }),
  MutualAidChosen: template({ schema: MutualAidChosen.schema, render: renderMutualAidChosen }),
  MutualAidReminderDue: template({ schema: MutualAidReminderDue.schema, render: renderMutualAidReminder }),
  AwardNominated: template({ schema: AwardNominated.schema, render: renderAwardNominated }),
  AwardShortlisted: template({ schema: AwardShortlisted.schema, render: renderAwardShortlisted }),
  AwardResultsPublished: template({ schema: AwardResultsPublished.schema, render: renderAwardResults }),
} as Record<MailEventType, AnyTemplate>;

const unmappedDepartmentNotice = (
  d: z.infer<typeof MemberEnrolled.schema>,
  ctx: MailContext,
): OutgoingMail => ({
  notificationId: `${d.eventId}#office-unmapped`,
  to: ctx.unionContactEmail,
  ...renderMail({
    subject: { zh: '新会员所在部门尚未对应分工会', en: "A new member's department has no branch union" },
    greeting: { zh: '工会办公室：', en: 'To the union office,' },
    paragraphs: [
      {
        zh: `会员 ${d.membershipNumber}（工号 ${d.employeeId}）所在部门没有对应的二级分工会，已暂列校工会直属。请在部门对应表中补充该部门，并为其办理转会。`,
        en: `Member ${d.membershipNumber} (employee id ${d.employeeId}) belongs to a department with no branch union and was placed directly under the school union. Please map the department and transfer the member.`,
      },
    ],
    closing: { zh: 'Gonghui 系统', en: 'Gonghui' },
  }),
});

const templateOf = (detailType: string): AnyTemplate => {
  const t = (templates as Record<string, AnyTemplate | undefined>)[detailType];
  if (!t) throw new UnknownMailEvent(detailType);
  return t;
};

/**
 * The mail contract of an event: it has a template, and its detail is what the template needs.
 * Throws (UnknownMailEvent, or zod's error naming the fields) when it is not.
 */
export const checkMailEvent = (detailType: string, detail: unknown): void => {
  templateOf(detailType).schema.parse(detail);
};

export const renderEventMails = (detailType: string, detail: unknown, ctx: MailContext): OutgoingMail[] => {
  const t = templateOf(detailType);
  return t.render(t.schema.parse(detail), ctx);
};

export class UnknownMailEvent extends Error {
  constructor(detailType: string) {
    super(`No mail template for ${detailType}`);
    this.name = 'UnknownMailEvent';
  }
}
