/**
 * The domain events that send mail: the bus rule routes exactly these to the notify queue.
 * Kept as plain names so that the topology does not import the templates themselves.
 */
import { PROPOSAL_CHANGE_EVENTS, type ProposalChangeEvent } from '../../events/proposals.ts';

/** Proposal changes that can be a state change of a published proposal (drafting, editing a draft and seconding are not). */
export const PROPOSAL_MAIL_EVENTS = PROPOSAL_CHANGE_EVENTS.filter(
  (t): t is Exclude<ProposalChangeEvent, 'ProposalDrafted' | 'ProposalEdited' | 'ProposalSeconded'> =>
    t !== 'ProposalDrafted' && t !== 'ProposalEdited' && t !== 'ProposalSeconded',
);

export const MAIL_EVENT_TYPES = [
  'MemberEnrolled',
  'MemberLeft',
  'MemberInvited',
  'EnrolmentSkipped',
  ...PROPOSAL_MAIL_EVENTS,
  'ProposalReminderDue',
  'CareGranted',
  'LetterAnswered',
  'LetterDelegated',
  'LetterReminderDue',
  'SuggestionAdopted',
  // Union life.
  'ActivityRegistered',
  'ActivityPromoted',
  'ActivityReminderDue',
  'MutualAidChosen',
  'MutualAidReminderDue',
  'AwardNominated',
  'AwardShortlisted',
  'AwardResultsPublished',
] as const;
export type MailEventType = (typeof MAIL_EVENT_TYPES)[number];
