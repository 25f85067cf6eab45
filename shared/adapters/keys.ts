/**
 * Every DynamoDB key in one place. Items carry an `entity` attribute so that stream filters and
 * readers can tell them apart without parsing keys.
 */
export const ENTITY = {
  member: 'Member',
  membershipCounter: 'MembershipCounter',
  pendingTransfer: 'PendingTransfer',
  outboxEvent: 'OutboxEvent',
  mail: 'Mail',
  branchMapping: 'BranchMapping',
  proposal: 'Proposal',
  proposalHistory: 'ProposalHistory',
  proposalCounter: 'ProposalCounter',
  careGrant: 'CareGrant',
  careTally: 'CareTally',
  careTallyRollup: 'CareTallyRollup',
  censusTally: 'CensusTally',
  censusRollup: 'CensusRollup',
  censusRollupChunk: 'CensusRollupChunk',
  careRequest: 'CareRequest',
  branch: 'Branch',
  setting: 'Setting',
  // The members' voice: the chair's mailbox, surveys (会员评家) and suggestions (建言献策).
  letter: 'Letter',
  letterAnswer: 'LetterAnswer',
  survey: 'Survey',
  surveyAnswer: 'SurveyAnswer',
  surveyAnswered: 'SurveyAnswered',
  suggestion: 'Suggestion',
  // Union life: activities, mutual medical aid, awards.
  activity: 'Activity',
  activityRegistration: 'ActivityRegistration',
  mutualAidWindow: 'MutualAidWindow',
  mutualAidChoice: 'MutualAidChoice',
  award: 'Award',
  awardNomination: 'AwardNomination',
  awardVote: 'AwardVote',
} as const;

export const keys = {
  /** A member, found by 工号 (HR's employee id): HR's events address members by it. */
  memberByEmployee: (employeeId: string) => ({ PK: `EMPLOYEE#${employeeId}`, SK: 'MEMBER' }),
  /** GSI1: a member by memberId (the id the API uses). */
  memberIdIndex: (memberId: string) => ({ GSI1PK: `MEMBERID#${memberId}`, GSI1SK: 'MEMBER' }),
  /** GSI2: members of a branch, ordered by membership number. */
  branchIndex: (branch: string, membershipNumber: string) => ({
    GSI2PK: `BRANCH#${branch}`,
    GSI2SK: `MEMBER#${membershipNumber}`,
  }),
  /** GSI3: every member, ordered by membership number (chair and admins list them all). */
  allMembersIndex: (membershipNumber: string) => ({ GSI3PK: 'MEMBERS', GSI3SK: membershipNumber }),
  /** GSI4: members by birthday (month-day), only while active or retired: the birthday run reads only who is due. */
  birthdayIndex: (birthDate: string, employeeId: string) => ({
    GSI4PK: `BIRTHDAY#${birthDate.slice(5, 10)}`,
    GSI4SK: employeeId,
  }),
  /** A care grant: one per member, occasion and year. It is the ledger entry of the payment. */
  careGrant: (employeeId: string, year: number, occasion: string) => ({
    PK: `EMPLOYEE#${employeeId}`,
    SK: `GRANT#${year}#${occasion}`,
  }),
  /** GSI2: the ledger of a year and branch, by occasion. */
  ledgerIndex: (year: number, branch: string, occasion: string, date: string, employeeId: string) => ({
    GSI2PK: `LEDGER#${year}#${branch}`,
    GSI2SK: `${occasion}#${date}#${employeeId}`,
  }),
  /**
   * What one grant transaction granted, summed by branch, month, category and occasion: written
   * in the same transaction as its grants (so counted once, exactly when they are), a new item
   * each time (no counter to fight over). A year's tallies are the dashboard's care figures.
   */
  careTally: (year: number, id: string) => ({ PK: `CARETALLY#${year}`, SK: `TALLY#${id}` }),
  /** A year's tallies rolled up (compact-tallies): the dashboard reads it and the tallies after it. */
  careTallyRollup: (year: number) => ({ PK: `CARETALLY#${year}`, SK: 'ROLLUP' }),
  /**
   * The member census (census.ts): what one transaction changed of how members are counted, a new
   * item each time beside its change (no counter to fight over); the rollup of those older than
   * ten minutes (compact-tallies), its rows in chunks written before the rollup names them.
   */
  censusTally: (id: string) => ({ PK: 'CENSUS', SK: `TALLY#${id}` }),
  censusRollup: () => ({ PK: 'CENSUS', SK: 'ROLLUP' }),
  censusRollupChunk: (version: number, set: string, chunk: number) => ({
    PK: 'CENSUS',
    SK: `ROLLUP#${String(version).padStart(10, '0')}#${set}#${String(chunk).padStart(4, '0')}`,
  }),
  /** Every branch code that ever had members mapped to it (the care fan-out's units). */
  branchRegistry: (code: string) => ({ PK: 'BRANCHES', SK: `BRANCH#${code}` }),
  /** A life-event care request; GSI1 lists them by status. */
  careRequest: (id: string) => ({ PK: `CAREREQ#${id}`, SK: 'REQUEST' }),
  careRequestsByStatus: (status: string, createdAt: string, id: string) => ({
    GSI1PK: `CAREREQ#${status}`,
    GSI1SK: `${createdAt}#${id}`,
  }),
  /** Care settings share one small partition under `CARE#`: the planner reads them all in one query. */
  careSettingsPrefix: { PK: 'SETTINGS', SKPrefix: 'CARE#' },
  /** A care policy version, by the date it takes effect. */
  carePolicy: (effectiveFrom: string) => ({ PK: 'SETTINGS', SK: `CARE#POLICY#${effectiveFrom}` }),
  /** An occasion the union added (三月三, a founding day). */
  careOccasion: (occasion: string) => ({ PK: 'SETTINGS', SK: `CARE#OCCASION#${occasion}` }),
  /** A year's working-day arrangement (调休), for years the lunar library does not know yet. */
  careWorkdays: (year: number) => ({ PK: 'SETTINGS', SK: `CARE#WORKDAYS#${year}` }),
  /** A transfer HR announced ahead, beside its member; GSI4 lists them by effective date. */
  pendingTransfer: (employeeId: string) => ({ PK: `EMPLOYEE#${employeeId}`, SK: 'TRANSFER' }),
  transfersDue: (effectiveDate: string, employeeId: string) => ({
    GSI4PK: 'TRANSFERDUE',
    GSI4SK: `${effectiveDate}#${employeeId}`,
  }),
  /** The last membership number given out in a year: updated in the enrolment transaction. */
  membershipCounter: (year: number) => ({ PK: 'COUNTER#MEMBERSHIP', SK: `YEAR#${year}` }),
  /** Department → branch union, managed by officers. */
  branchMapping: (departmentCode: string) => ({ PK: 'BRANCHMAP', SK: `DEPT#${departmentCode}` }),
  /** A proposal; its history entries share the partition, one per version. */
  proposal: (id: string) => ({ PK: `PROPOSAL#${id}`, SK: 'PROPOSAL' }),
  proposalHistory: (id: string, version: number) => ({
    PK: `PROPOSAL#${id}`,
    SK: `HISTORY#${String(version).padStart(6, '0')}`,
  }),
  /** GSI1: a delegate's proposals, drafts included, in filing order (ids are ULIDs). */
  proposalsByAuthor: (author: string, id: string) => ({
    GSI1PK: `AUTHOR#${author}`,
    GSI1SK: `PROPOSAL#${id}`,
  }),
  /** GSI2: published proposals by session, in filing order. */
  publishedProposals: (session: string, id: string) => ({ GSI2PK: 'PROPOSALS', GSI2SK: `${session}#${id}` }),
  /** GSI3: proposals assigned to a lead department. */
  proposalsByDepartment: (department: string, id: string) => ({
    GSI3PK: `DEPT#${department}`,
    GSI3SK: `PROPOSAL#${id}`,
  }),
  /** GSI4: assigned proposals by due date, for the daily reminder. */
  proposalsDue: (dueDate: string, id: string) => ({ GSI4PK: 'PROPOSALDUE', GSI4SK: `${dueDate}#${id}` }),
  /** The last proposal number of a congress session. */
  proposalCounter: (session: string) => ({ PK: 'COUNTER#PROPOSAL', SK: `SESSION#${session}` }),
  /** A domain event waiting for the stream to publish it. */
  outboxEvent: (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'EVENT' }),
  /** One mail, claimed before sending and completed after: the idempotency record of send-email. */
  mail: (notificationId: string) => ({ PK: `MAIL#${notificationId}`, SK: 'MAIL' }),
  /** GSI1: sent mail by day, for `gonghui mail list` and audits. */
  mailByDay: (day: string, sentAt: string, notificationId: string) => ({
    GSI1PK: `MAILDAY#${day}`,
    GSI1SK: `${sentAt}#${notificationId}`,
  }),
  // --- The members' voice -----------------------------------------------------------------
  /** A letter to the chair; its answers share the partition, one item each, in order. */
  letter: (id: string) => ({ PK: `LETTER#${id}`, SK: 'LETTER' }),
  letterAnswer: (id: string, seq: number) => ({
    PK: `LETTER#${id}`,
    SK: `ANSWER#${String(seq).padStart(4, '0')}`,
  }),
  /** GSI1: a writer's own letters, in writing order (ids are ULIDs). */
  lettersByWriter: (writer: string, id: string) => ({
    GSI1PK: `LETTERWRITER#${writer}`,
    GSI1SK: `LETTER#${id}`,
  }),
  /** GSI2: every letter by year (Asia/Shanghai) and writing order: the chair's list and the report. */
  allLetters: (year: number, id: string) => ({ GSI2PK: 'LETTERS', GSI2SK: `${year}#${id}` }),
  /** GSI4: letters still waiting for a first answer, by when they were written (the reminder). */
  lettersUnanswered: (createdAt: string, id: string) => ({
    GSI4PK: 'LETTERUNANSWERED',
    GSI4SK: `${createdAt}#${id}`,
  }),
  /** The mailbox settings: the chair's delegates and the reminder's days. */
  mailboxSettings: { PK: 'SETTINGS', SK: 'VOICE#MAILBOX' },
  /** A survey (会员评家); GSI2 lists them in creation order. */
  survey: (id: string) => ({ PK: `SURVEY#${id}`, SK: 'SURVEY' }),
  allSurveys: (id: string) => ({ GSI2PK: 'SURVEYS', GSI2SK: id }),
  /**
   * One answer, with no member id: keyed by a random id (not a ULID: a ULID carries the time),
   * under its branch. Nothing in it or in its key says who gave it or when.
   */
  surveyAnswer: (surveyId: string, branch: string, randomId: string) => ({
    PK: `SURVEY#${surveyId}`,
    SK: `ANSWER#${branch}#${randomId}`,
  }),
  /** "This member has answered": no answer id, no time. Written in the answer's transaction. */
  surveyAnswered: (surveyId: string, employeeId: string) => ({
    PK: `SURVEY#${surveyId}`,
    SK: `ANSWERED#${employeeId}`,
  }),
  /** A suggestion (建言献策); GSI2 lists them in filing order. */
  suggestion: (id: string) => ({ PK: `SUGGESTION#${id}`, SK: 'SUGGESTION' }),
  allSuggestions: (id: string) => ({ GSI2PK: 'SUGGESTIONS', GSI2SK: id }),
  // -------------------------------------------------------------------------------------------
  // Union life: activities (运动会, clubs, 疗休养), mutual medical aid (职工医疗互助), awards.
  /** An activity; its registrations share the partition, one per member. */
  activity: (id: string) => ({ PK: `ACTIVITY#${id}`, SK: 'ACTIVITY' }),
  /** GSI4: activities by date (upcoming lists, the day-before reminders). */
  activitiesByDate: (date: string, id: string) => ({ GSI4PK: 'ACTIVITYDAY', GSI4SK: `${date}#${id}` }),
  /** A member's registration for an activity (confirmed, waiting or cancelled). */
  activityRegistration: (activityId: string, employeeId: string) => ({
    PK: `ACTIVITY#${activityId}`,
    SK: `REG#${employeeId}`,
  }),
  /** A year's mutual-aid window; all windows share one small partition (the daily job reads them all). */
  mutualAidWindow: (year: number) => ({ PK: 'MUTUALAID', SK: `YEAR#${year}` }),
  /** A member's choice for a year; a year's choices share a partition (the insurer's list). */
  mutualAidChoice: (year: number, employeeId: string) => ({
    PK: `MUTUALAID#${year}`,
    SK: `MEMBER#${employeeId}`,
  }),
  /** An award; its nominations and votes share the partition. */
  award: (id: string) => ({ PK: `AWARD#${id}`, SK: 'AWARD' }),
  /** GSI4: every award, by the day nominations open. */
  awardsByDate: (nominationOpensOn: string, id: string) => ({
    GSI4PK: 'AWARDS',
    GSI4SK: `${nominationOpensOn}#${id}`,
  }),
  /** A nomination, one per nominee (工号) and award; it carries the vote count. */
  awardNomination: (awardId: string, employeeId: string) => ({
    PK: `AWARD#${awardId}`,
    SK: `NOM#${employeeId}`,
  }),
  /** That a member voted (not for whom): one per voter and award. */
  awardVote: (awardId: string, voter: string) => ({ PK: `AWARD#${awardId}`, SK: `VOTE#${voter}` }),
} as const;

export const DAY_SECONDS = 86_400;
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The table's and its indexes' key attributes (infra/topology.ts names the same). */
export const KEY_ATTRIBUTES: ReadonlySet<string> = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
]);

/** Key and index attributes: storage details, never part of what a repository hands back. */
const STORAGE_ATTRIBUTES = new Set([...KEY_ATTRIBUTES, 'entity']);

export const withoutKeys = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE_ATTRIBUTES.has(k))) as T;

/**
 * Whether DynamoDB would take these key values (a partition key of at most 2,048 bytes, a sort key
 * of at most 1,024). It answers a longer one with a ValidationException, not with "no item"; such
 * a key was never written, so readers given an id from a URL answer "not found" without asking.
 * Seen: GET /proposals/{3,000 characters} and POST /care/requests/{…}/approve answered 500.
 */
export const keyFits = (key: Record<string, string>): boolean =>
  Object.entries(key).every(
    ([name, value]) => Buffer.byteLength(value, 'utf8') <= (/SK$/.test(name) ? 1024 : 2048),
  );
