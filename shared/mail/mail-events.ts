/**
 * The domain events that send mail: the bus rule routes exactly these to the notify queue.
 * Kept as plain names so that the topology does not import the templates themselves.
 */
export const MAIL_EVENT_TYPES = ['MemberEnrolled', 'MemberLeft'] as const;
export type MailEventType = (typeof MAIL_EVENT_TYPES)[number];
