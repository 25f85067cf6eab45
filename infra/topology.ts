/**
 * The one description of what runs. The AWS stack (infra/aws) and the embedded runtime
 * (infra/local) both read this file and nothing else to decide which functions exist, what
 * triggers them, which environment variables they get and what they may touch. A test fails
 * when a function is wired in one runtime and not the other.
 */

import { DOMAIN_SOURCE_PREFIX } from '../events/domain.ts';
import { HR_SOURCE } from '../events/hr.ts';
import { ENV, type EnvName } from '../shared/config/env-names.ts';
import { MAIL_EVENT_TYPES } from '../shared/mail/mail-events.ts';

export const APP_NAME = 'gonghui';
export const TIME_ZONE = 'Asia/Shanghai';

// ---------------------------------------------------------------------------------------------
// The table: one table, generic keys, streams for the outbox.

export const table = {
  /** Logical name; the deployed table gets a generated physical name, the local one this name. */
  name: 'gonghui',
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Every index projects ALL; names and key attributes are fixed here and in shared/adapters/keys.ts. */
  indexes: [
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
    { name: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK' },
  ],
  stream: 'NEW_AND_OLD_IMAGES',
  /** Epoch seconds; idempotency records and published outbox items expire through it. */
  ttlAttribute: 'expiresAt',
} as const;

export type IndexName = (typeof table.indexes)[number]['name'];

// ---------------------------------------------------------------------------------------------
// Queues. Every queue has a dead-letter queue named `<name>-dlq`.

export interface QueueSpec {
  /** Short name; the physical queue name is `gonghui-<name>` locally. */
  name: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount: number;
  retentionDays: number;
  description: string;
}

export const queues = {
  hr: {
    name: 'hr',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 3,
    retentionDays: 14,
    description: "HR's employment events, from the bus to enrol-member",
  },
  notify: {
    name: 'notify',
    visibilityTimeoutSeconds: 720,
    maxReceiveCount: 5,
    retentionDays: 14,
    description: 'Domain events that send mail, from the bus to send-email',
  },
  care: {
    name: 'care',
    visibilityTimeoutSeconds: 120,
    maxReceiveCount: 5,
    retentionDays: 14,
    description:
      'Care tasks (a branch and occasion, or the birthdays of a day, a page at a time) for grant-care',
  },
  careEvents: {
    name: 'care-events',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    retentionDays: 14,
    description: "Members' deaths reported by HR, for the bereavement care request",
  },
  outboxFailures: {
    name: 'outbox-failures',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 3,
    retentionDays: 14,
    description: 'Stream batches publish-outbox could not publish after its retries (on-failure destination)',
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueKey = keyof typeof queues;

export const dlqName = (queue: QueueSpec): string => `${queue.name}-dlq`;

// ---------------------------------------------------------------------------------------------
// The event bus and its rules. Patterns use EventBridge's pattern syntax; the local bus applies
// the same patterns with infra/local/event-pattern.ts.

export type EventPattern = Record<string, unknown>;

export interface BusRule {
  id: string;
  description: string;
  pattern: EventPattern;
  target: { queue: QueueKey };
}

export const bus = {
  name: 'gonghui',
  rules: [
    {
      id: 'HrEventsToHrQueue',
      description: 'Every HR employment event goes to the members context',
      pattern: { source: [HR_SOURCE] },
      target: { queue: 'hr' },
    },
    {
      id: 'MailEventsToNotifyQueue',
      description: 'Domain events that have a mail template go to send-email',
      pattern: {
        source: [{ prefix: DOMAIN_SOURCE_PREFIX }],
        'detail-type': [...MAIL_EVENT_TYPES],
      },
      target: { queue: 'notify' },
    },
    {
      id: 'DeathsToCareEvents',
      description: "A member's death (MemberLeft, reason deceased) opens a bereavement care request",
      pattern: {
        source: ['gonghui.members'],
        'detail-type': ['MemberLeft'],
        detail: { reason: ['deceased'] },
      },
      target: { queue: 'careEvents' },
    },
  ] satisfies BusRule[],
} as const;

// ---------------------------------------------------------------------------------------------
// Functions and their triggers.

export interface QueueTrigger {
  kind: 'queue';
  queue: QueueKey;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** The event source mapping's maximum concurrency (AWS minimum is 2). */
  maxConcurrency: number;
}

export interface StreamTrigger {
  kind: 'stream';
  batchSize: number;
  maxBatchingWindowSeconds: number;
  retryAttempts: number;
  /** Batches that still fail after the retries are described on this queue. */
  onFailure: QueueKey;
  /** An EventBridge-style pattern over each stream record (Lambda filter criteria syntax). */
  filter: EventPattern;
}

export interface ScheduleTrigger {
  kind: 'schedule';
  id: string;
  description: string;
  /** Cron fields in TIME_ZONE; only minute and hour vary: the jobs are daily. */
  cron: { minute: string; hour: string };
  /** Payload; `<aws.scheduler.scheduled-time>` is replaced by the fire time (ISO 8601 UTC). */
  input: Record<string, unknown>;
}

export interface RouteTrigger {
  kind: 'route';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway HTTP API path syntax: `/members/{id}`. */
  path: string;
  auth: 'jwt' | 'none';
}

export type Trigger = QueueTrigger | StreamTrigger | ScheduleTrigger | RouteTrigger;

/** DynamoDB actions (IAM names without `dynamodb:`) on the table and its indexes. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem'
  | 'BatchWriteItem';
/** The table actions that write: they also need the table key's encrypt permissions. */
export const TABLE_WRITES: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];

/**
 * What a function may touch, action by action; the AWS stack grants exactly this and nothing
 * more. Two tests hold it to the code: every action listed is one the function's bundled code can
 * issue (test/infra/least-privilege.test.ts reads the SDK commands in it), and every AWS call the
 * function makes in the full e2e run is listed (test/e2e/zz-aws-actions.test.ts). A transaction
 * needs the actions of its items (PutItem, UpdateItem, ConditionCheckItem…), not a name of its own.
 */
export interface Access {
  table?: readonly TableAction[];
  /** events:PutEvents on the bus. */
  putEvents?: boolean;
  /** ses:SendEmail (the SES v1 SendEmail API; send-email never sends raw MIME). */
  sendEmail?: boolean;
  /** Queues the function sends to (besides its trigger). */
  sendTo?: QueueKey[];
}

/** The IAM actions an access grants on data (beyond the triggers' own), sorted. */
export const dataActionsOf = (access: Access): string[] =>
  [
    ...(access.table ?? []).map((a) => `dynamodb:${a}`),
    ...(access.putEvents ? ['events:PutEvents'] : []),
    ...(access.sendEmail ? ['ses:SendEmail'] : []),
    ...((access.sendTo ?? []).length > 0 ? ['sqs:SendMessage'] : []),
  ].sort();

export interface FunctionSpec {
  /** Path of the entry file, relative to the project root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: EnvName[];
  access: Access;
  triggers: Trigger[];
}

const common: EnvName[] = [ENV.powertoolsServiceName, ENV.logLevel];
/** A daily job at 08:00 Asia/Shanghai; its payload carries the scheduled time ("today"). */
const dailyAt0800 = (id: string): ScheduleTrigger => ({
  kind: 'schedule',
  id,
  description: 'Every day at 08:00 in Asia/Shanghai',
  cron: { minute: '0', hour: '8' },
  input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
});

/** The proposals context's settings, read by its API and by its daily reminder. */
const proposalEnv: EnvName[] = [
  ...common,
  ENV.tableName,
  ENV.congressSession,
  ENV.proposalSecondersRequired,
  ENV.proposalMaxReassignments,
];

export const functions = {
  'enrol-member': {
    entry: 'functions/enrol-member.ts',
    description: "Applies HR's employment events to the membership (enrolment and life cycle)",
    memoryMb: 512,
    timeoutSeconds: 30,
    environment: [
      ...common,
      ENV.tableName,
      ENV.membershipPrefix,
      ENV.enrolmentMode,
      ENV.dispatchedStaff,
      ENV.invitationUrl,
    ],
    access: { table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    triggers: [
      // One transaction per batch, and every transaction moves the year's membership counter:
      // two instances with batches of 25 conflicted far less than ten with batches of 10
      // (29 → 62 hires/s end to end, enrolment requests 1.88 → 0.24 per hire). 25 events make at
      // most 76 transaction items (member, outbox event, transfer marker each, and the counter),
      // under DynamoDB's 100.
      { kind: 'queue', queue: 'hr', batchSize: 25, maxBatchingWindowSeconds: 1, maxConcurrency: 2 },
    ],
  },
  'publish-outbox': {
    entry: 'functions/publish-outbox.ts',
    description: 'Publishes the outbox (domain events written with their state change) to the bus',
    memoryMb: 512,
    timeoutSeconds: 30,
    environment: [...common, ENV.eventBusName],
    access: { putEvents: true },
    triggers: [
      {
        kind: 'stream',
        batchSize: 100,
        maxBatchingWindowSeconds: 0,
        retryAttempts: 10,
        onFailure: 'outboxFailures',
        filter: { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['OutboxEvent'] } } } },
      },
    ],
  },
  'send-email': {
    entry: 'functions/send-email.ts',
    description:
      'Renders and sends the mail for a domain event, paced to the SES rate, once per notification',
    memoryMb: 512,
    timeoutSeconds: 120,
    environment: [
      ...common,
      ENV.tableName,
      ENV.mailFrom,
      ENV.sesMaxSendRate,
      ENV.mailConcurrency,
      ENV.mailClaimLeaseSeconds,
      ENV.unionContactEmail,
    ],
    access: { table: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], sendEmail: true },
    // Larger batches: the pacer's slots run on from one record to the next inside a batch, and
    // each batch boundary costs a delete and a receive. At the SES sandbox rate (1/s, two
    // instances) a batch of 25 still ends well within the timeout.
    triggers: [
      { kind: 'queue', queue: 'notify', batchSize: 25, maxBatchingWindowSeconds: 1, maxConcurrency: 2 },
    ],
  },
  'members-api': {
    entry: 'functions/members-api.ts',
    description:
      'Members API: my membership, member lists for officers, manual enrolment, leaving, branch mapping',
    memoryMb: 512,
    timeoutSeconds: 10,
    environment: [...common, ENV.tableName, ENV.membershipPrefix],
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    triggers: [
      { kind: 'route', method: 'GET', path: '/members/me', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/members', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/members', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/members/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/members/{id}/leave', auth: 'jwt' },
      // Confirm mode: the invited person has no account of ours yet; the link's token is the proof.
      { kind: 'route', method: 'GET', path: '/invitations', auth: 'none' },
      { kind: 'route', method: 'POST', path: '/invitations/{id}/accept', auth: 'none' },
      { kind: 'route', method: 'GET', path: '/departments', auth: 'jwt' },
      { kind: 'route', method: 'PUT', path: '/departments/{code}', auth: 'jwt' },
    ],
  },
  'proposals-api': {
    entry: 'functions/proposals-api.ts',
    description: 'Staff-congress proposals: filing, seconding, review, assignment, answer, rating, reports',
    memoryMb: 512,
    timeoutSeconds: 10,
    environment: proposalEnv,
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    triggers: [
      { kind: 'route', method: 'POST', path: '/proposals', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/proposals', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/proposals/export.csv', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/proposals/{id}', auth: 'jwt' },
      { kind: 'route', method: 'PATCH', path: '/proposals/{id}', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/proposals/{id}/history', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/proposals/{id}/{action}', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/reports/proposals', auth: 'jwt' },
    ],
  },
  'apply-transfers': {
    entry: 'functions/apply-transfers.ts',
    description: 'Daily 00:10: transfers HR announced ahead take effect on their date',
    memoryMb: 256,
    timeoutSeconds: 120,
    environment: [...common, ENV.tableName],
    access: { table: ['Query', 'BatchGetItem', 'PutItem', 'DeleteItem'] },
    triggers: [
      {
        kind: 'schedule',
        id: 'TransfersDaily',
        description: 'Every day at 00:10 in Asia/Shanghai',
        cron: { minute: '10', hour: '0' },
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      },
    ],
  },
  'remind-proposals': {
    entry: 'functions/remind-proposals.ts',
    description: 'Daily: reminds departments of proposals due within three days or overdue',
    memoryMb: 256,
    timeoutSeconds: 60,
    environment: proposalEnv,
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    triggers: [dailyAt0800('ProposalRemindersDaily')],
  },
  'plan-care': {
    entry: 'functions/plan-care.ts',
    description:
      'Daily 08:00: what care is due today (holidays by dispatch date, birthdays), fanned out per branch',
    memoryMb: 512,
    timeoutSeconds: 60,
    environment: [...common, ENV.tableName, ENV.careQueueUrl],
    access: { table: ['GetItem', 'BatchGetItem', 'Query'], sendTo: ['care'] },
    triggers: [dailyAt0800('CarePlannerDaily')],
  },
  'grant-care': {
    entry: 'functions/grant-care.ts',
    description:
      'Grants care to a page of members: one grant, ledger entry and mail per member, occasion and year',
    memoryMb: 512,
    timeoutSeconds: 90,
    environment: [...common, ENV.tableName, ENV.careQueueUrl],
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], sendTo: ['care'] },
    triggers: [
      { kind: 'queue', queue: 'care', batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 4 },
    ],
  },
  'care-api': {
    entry: 'functions/care-api.ts',
    description:
      'The care ledger for audit (JSON and CSV with totals), life-event requests, and the care settings (policy versions, occasions, working days)',
    memoryMb: 512,
    timeoutSeconds: 30,
    environment: [...common, ENV.tableName],
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    triggers: [
      { kind: 'route', method: 'GET', path: '/care/policy', auth: 'jwt' },
      { kind: 'route', method: 'PUT', path: '/care/policy', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/care/occasions', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/care/occasions', auth: 'jwt' },
      { kind: 'route', method: 'DELETE', path: '/care/occasions/{occasion}', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/care/workdays/{year}', auth: 'jwt' },
      { kind: 'route', method: 'PUT', path: '/care/workdays/{year}', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/care/ledger', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/care/ledger.csv', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/care/requests', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/care/requests', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/care/requests/{id}/{decision}', auth: 'jwt' },
    ],
  },
  'open-bereavement': {
    entry: 'functions/open-bereavement.ts',
    description: "Opens the bereavement care request when HR reports a member's death",
    memoryMb: 256,
    timeoutSeconds: 30,
    environment: [...common, ENV.tableName],
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    triggers: [
      { kind: 'queue', queue: 'careEvents', batchSize: 10, maxBatchingWindowSeconds: 0, maxConcurrency: 2 },
    ],
  },
  'public-api': {
    entry: 'functions/public-api.ts',
    description: 'Health check and the OpenAPI document (no authentication)',
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: [...common],
    access: {},
    triggers: [
      { kind: 'route', method: 'GET', path: '/health', auth: 'none' },
      { kind: 'route', method: 'GET', path: '/openapi.json', auth: 'none' },
    ],
  },
  'voice-api': {
    entry: 'functions/voice-api.ts',
    description:
      "The members' voice: the chair's mailbox (letters, delegation, answers, the yearly report), the anonymous survey (会员评家) and suggestions (建言献策) a delegate turns into a proposal draft",
    memoryMb: 512,
    timeoutSeconds: 10,
    // The proposals context's settings: a suggestion becomes a draft through its createProposal.
    environment: proposalEnv,
    access: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
    triggers: [
      { kind: 'route', method: 'POST', path: '/letters', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/letters', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/letters/settings', auth: 'jwt' },
      { kind: 'route', method: 'PUT', path: '/letters/settings', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/letters/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/letters/{id}/delegate', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/letters/{id}/answer', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/letters/{id}/close', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/reports/letters', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/surveys', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/surveys', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/surveys/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/surveys/{id}/publish', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/surveys/{id}/close', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/surveys/{id}/answers', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/surveys/{id}/results', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/suggestions', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/suggestions', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/suggestions/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/suggestions/{id}/convert', auth: 'jwt' },
    ],
  },
  'remind-letters': {
    entry: 'functions/remind-letters.ts',
    description: 'Daily: reminds the chair (and its delegate) of letters unanswered after the set days',
    memoryMb: 256,
    timeoutSeconds: 60,
    environment: [...common, ENV.tableName],
    access: { table: ['GetItem', 'Query', 'PutItem'] },
    triggers: [dailyAt0800('LetterRemindersDaily')],
  },
  'activities-api': {
    entry: 'functions/activities-api.ts',
    description:
      'Union life: activities with capacity, registration windows and waiting lists; mutual medical aid; awards',
    memoryMb: 512,
    timeoutSeconds: 30,
    environment: [...common, ENV.tableName],
    access: { table: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    triggers: [
      { kind: 'route', method: 'POST', path: '/activities', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/activities', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/activities/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/activities/{id}/register', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/activities/{id}/cancel', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/activities/{id}/participants', auth: 'jwt' },
      { kind: 'route', method: 'PUT', path: '/mutual-aid/{year}', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/mutual-aid/{year}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/mutual-aid/{year}/choice', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/mutual-aid/{year}/enrolled.csv', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/awards', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/awards', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/awards/{id}', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/awards/{id}/nominations', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/awards/{id}/nominations', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/awards/{id}/shortlist', auth: 'jwt' },
      { kind: 'route', method: 'POST', path: '/awards/{id}/vote', auth: 'jwt' },
      { kind: 'route', method: 'GET', path: '/awards/{id}/results', auth: 'jwt' },
    ],
  },
  'remind-activities': {
    entry: 'functions/remind-activities.ts',
    description:
      'Daily: reminds the participants of tomorrow’s activities, once each, and members who have not decided on mutual aid; announces award results once voting closed',
    memoryMb: 256,
    timeoutSeconds: 120,
    environment: [...common, ENV.tableName],
    access: { table: ['BatchGetItem', 'Query', 'PutItem'] },
    triggers: [dailyAt0800('UnionLifeRemindersDaily')],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export const functionNames = Object.keys(functions) as FunctionName[];

export const functionSpec = (name: FunctionName): FunctionSpec => functions[name];

/** send-email's claim lease: its timeout and a minute (the notify queue's visibility is far longer). */
export const mailClaimLeaseSeconds = (): number => functions['send-email'].timeoutSeconds + 60;

/** The send-email mapping's concurrency is also an input of its pacer (rate per instance). */
export const mailConcurrency = (): number => {
  const trigger = functions['send-email'].triggers[0];
  return trigger.maxConcurrency;
};

export const routes = (): Array<RouteTrigger & { function: FunctionName }> =>
  functionNames.flatMap((name) =>
    (functions[name].triggers as readonly Trigger[])
      .filter((t): t is RouteTrigger => t.kind === 'route')
      .map((t) => ({ ...t, function: name })),
  );

export const triggersOf = <K extends Trigger['kind']>(kind: K) =>
  functionNames.flatMap((name) =>
    (functions[name].triggers as readonly Trigger[])
      .filter((t): t is Extract<Trigger, { kind: K }> => t.kind === kind)
      .map((trigger) => ({ function: name, trigger })),
  );

/** Limits the HTTP layer enforces before a use case sees the body (one place, shared with handlers). */
export { http } from '../shared/config/http-limits.ts';

/** Lambda runtime settings shared by every function. */
export const lambdaDefaults = {
  runtime: 'nodejs24.x',
  architecture: 'arm64',
  logRetentionDays: 90,
} as const;
