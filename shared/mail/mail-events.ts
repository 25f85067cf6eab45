/**
 * The domain events that send mail: the bus rule routes exactly these to the notify queue.
 * Kept as plain names so that the topology does not import the templates themselves.
 */

/** Proposal changes that can be a state change of a published proposal (drafting and seconding are not). */
export const PROPOSAL_MAIL_EVENTS = [
  'ProposalSubmitted',
  'ProposalUnderReview',
  'ProposalRegistered',
  'ProposalMerged',
  'ProposalConverted',
  'ProposalRejected',
  'ProposalAssigned',
  'ProposalAnswered',
  'ProposalReassigned',
  'ProposalClosed',
  'ProposalWithdrawn',
] as const;

export const MAIL_EVENT_TYPES = [
  'MemberEnrolled',
  'MemberLeft',
  ...PROPOSAL_MAIL_EVENTS,
  'ProposalReminderDue',
  'CareGranted',
] as const;
export type MailEventType = (typeof MAIL_EVENT_TYPES)[number];
