/**
 * Mail templates, one per domain event that sends mail. A template validates the event's detail
 * with the event's own schema and returns the mails to send, each with a notification id that is
 * stable across redeliveries (event id + purpose + recipient): send-email is idempotent on it.
 */
import type * as z from 'zod/mini';
import { MemberEnrolled } from '../../events/members.ts';
import { renderMail, type RenderedMail } from './layout.ts';
import type { MailEventType } from './mail-events.ts';

export interface MailContext {
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

const template = <S extends z.ZodMiniType>(t: Template<S>) => t;

export const templates = {
  MemberEnrolled: template({
    schema: MemberEnrolled.schema,
    // A hire that HR's later events (a departure) overtook enrols the person without a welcome.
    render: (d, ctx) => (d.status !== 'active' ? [] : [
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
  }),
} satisfies Record<MailEventType, Template<z.ZodMiniType>>;

export const renderEventMails = (detailType: string, detail: unknown, ctx: MailContext): OutgoingMail[] => {
  const t = (templates as Record<string, Template<z.ZodMiniType>>)[detailType];
  if (!t) throw new UnknownMailEvent(detailType);
  return t.render(t.schema.parse(detail), ctx);
};

export class UnknownMailEvent extends Error {
  constructor(detailType: string) {
    super(`No mail template for ${detailType}`);
    this.name = 'UnknownMailEvent';
  }
}
