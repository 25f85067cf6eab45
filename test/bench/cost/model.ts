/**
 * The monthly AWS bill of a union of N members: what the benchmarks measured per unit of work
 * (a hire, a member granted a holiday or a birthday, a mail, an API call), times how often a
 * union of N members does each (ASSUMPTIONS), priced with a dated list (prices.ts). Pure: the
 * inputs are the figures a bench run wrote (BENCHMARKS.json), so `npm run cost` needs no runtime.
 */
import { DEFAULT_ENCRYPTION_KEYS, type EncryptionKeys } from '../../../infra/aws/deployment-props.ts';
import { functions, lambdaDefaults, queues } from '../../../infra/topology.ts';
import type { FunctionUsage, Usage } from '../usage.ts';
import type { PriceTable } from './prices.ts';

/** What the benchmarks measured, per unit of work. */
export interface MeasuredUnits {
  /** Hires bench: enrolment, the outbox's publication and the welcome mail of one hire. */
  perHire: Usage;
  /** Care bench: one member granted a holiday (plan, grant, ledger entry, event, mail). */
  perHolidayMember: Usage;
  /** Care bench: one member granted a birthday. */
  perBirthdayMember: Usage;
  /** Mail bench: one mail at a paced rate (send-email and its ledger). */
  perMail: Usage;
  /** Cost bench: one API call of a member's or a delegate's use of the web app. */
  perApiCall: Usage;
  /** Init bench: each function's module initialisation over bare Node (ms), as deployed. */
  initMs?: Record<string, number>;
  /** Item sizes (bytes) as the repositories store them. */
  itemBytes: { member: number; grant: number; mail: number };
}

/** How often a union of N members does each thing: the one table of assumptions. */
export const ASSUMPTIONS = {
  hiresPerMemberYear: { value: 0.06, note: 'new staff: 6% of the members a year' },
  departuresPerMemberYear: {
    value: 0.06,
    note: 'departures and retirements: 6% a year (an HR event each, and a MemberLeft mail for a departure)',
  },
  otherHrEventsPerMemberYear: { value: 0.15, note: 'transfers (3%) and updates (12%) of HR records a year' },
  activeShare: { value: 0.85, note: 'members in service; the rest retired' },
  womenShare: { value: 0.5, note: 'women among active members (三八妇女节)' },
  holidaysForAll: {
    value: 7,
    note: 'holidays of the default policy for every active member (元旦, 春节, 劳动节, 端午, 教师节, 中秋, 国庆)',
  },
  holidaysForRetirees: { value: 1, note: '重阳 for retired members' },
  birthdaysPerActiveYear: { value: 1, note: 'a birthday grant for every active member' },
  otherMailsPerMemberYear: {
    value: 2,
    note: 'proposals, letters, activities, mutual aid, awards and their reminders: 2 mails per member a year',
  },
  apiCallsPerMemberMonth: {
    value: 6,
    note: "the web app: about one visit a month (5 calls) and the officers' console (20% more)",
  },
  apiAccessLogBytes: { value: 450, note: "the HTTP API's access log line per request (bytes)" },
  webVisitsPerMemberMonth: {
    value: 1,
    note: 'visits to the web app a member-month: the page, /config.json and the page’s chunk through CloudFront and its history-mode function, the API calls through /api/*',
  },
  webColdVisitShare: {
    value: 0.3,
    note: 'visits that download the app (first visit, a new release, an emptied cache): 12 more requests and 200 KiB (the web bench: 129 KiB of JavaScript, gzip)',
  },
  apiResponseBytes: { value: 2048, note: 'an API response through CloudFront (bytes)' },
  sqsRequestsPerMessage: {
    value: 1.2,
    note: 'SQS requests per message: its send, and a tenth each of a ReceiveMessage and a DeleteMessageBatch (10 per call)',
  },
  idlePollersPerQueue: {
    value: 5,
    note: "Lambda's SQS event source mapping long-polls each queue with 5 pollers, one ReceiveMessage per 20 s each, even when the queue is empty",
  },
  coldStartsPerFunctionHour: {
    value: 4,
    note: 'an execution environment idle for ~15 min is gone: at most 4 cold starts per function and hour, never more than its invocations',
  },
  runtimeInitMs: {
    value: 150,
    note: "Lambda's own Node.js runtime start before the module's init (ms), billed with it",
  },
  scheduledRunBilledMs: { value: 300, note: 'a daily scheduled job run (ms): 5 schedules' },
  grantHistoryYears: {
    value: 3,
    note: 'years of ledger kept in the table (audit); members who left stay too',
  },
  mailHistoryYears: { value: 1, note: 'years of the mail ledger kept (it has no TTL yet)' },
  logRetentionMonths: { value: 3, note: "log groups' retention (90 days), stored compressed to a fifth" },
  cmkRotations: {
    value: 2,
    note: 'with encryptionKeys=customer-managed, the two keys of the stack’s own (table; queues and alarm topic) rotate yearly: from the third year each is billed for 3 versions (the default, aws-managed, has no key of its own to bill)',
  },
  alarms: { value: 7, note: 'one alarm per DLQ' },
  xraySampling: {
    value: 0.05,
    note: "X-Ray's default sampling: the first request each second, then 5%; one trace per invocation at a university's volume",
  },
  kmsRequestsPerMonth: {
    value: 80_000,
    note: 'KMS requests (data keys reused for 5 min): an upper bound, 8,640 windows × 9 key users; kept for the default too, where only DynamoDB calls KMS (aws/dynamodb) and SSE-SQS none',
  },
} as const;

const DAYS_PER_MONTH = 365 / 12;
const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;
const GIB = 2 ** 30;

const memoryGbOf = (fn: string): number =>
  ((functions as Record<string, { memoryMb: number } | undefined>)[fn]?.memoryMb ?? 512) / 1024;

/** The queues Lambda polls (each has an event source mapping). */
const polledQueues = (): number =>
  Object.values(functions).reduce(
    (n, f) => n + (f.triggers as ReadonlyArray<{ kind: string }>).filter((t) => t.kind === 'queue').length,
    0,
  );

const scheduledRunsPerDay = (): number =>
  Object.values(functions).reduce(
    (n, f) => n + (f.triggers as ReadonlyArray<{ kind: string }>).filter((t) => t.kind === 'schedule').length,
    0,
  );

/** A workload: how many units of work a month, and what one uses (only some functions of it, when asked). */
interface Workload {
  name: string;
  perMonth: number;
  usage: Usage;
  only?: string[];
  /** SQS messages one unit puts through the queues. */
  sqsMessages: number;
  mails: number;
  apiRequests: number;
}

const pick = (usage: Usage, only?: string[]): Usage =>
  only
    ? {
        functions: Object.fromEntries(Object.entries(usage.functions).filter(([fn]) => only.includes(fn))),
        busEvents: usage.busEvents,
      }
    : usage;

export interface CostLine {
  service: string;
  what: string;
  /** How much of it a month, in the line's own unit (requests, GB-s, mails…). */
  amount: number;
  quantity: string;
  usd: number;
}

export interface MonthlyCost {
  members: number;
  lines: CostLine[];
  total: number;
  perMemberMonth: number;
  /** The total with the always-free tiers taken off (one account). */
  totalWithFreeTiers: number;
  dominant: CostLine;
  workloads: Array<{ name: string; perMonth: number }>;
}

export const monthlyCost = (
  members: number,
  m: MeasuredUnits,
  p: PriceTable,
  /** The deployment's keys, and (with its own) how many yearly rotations they have had. */
  opts: { keys?: EncryptionKeys; keyRotations?: number } = {},
): MonthlyCost => {
  const { keys = DEFAULT_ENCRYPTION_KEYS, keyRotations = ASSUMPTIONS.cmkRotations.value } = opts;
  const A = Object.fromEntries(Object.entries(ASSUMPTIONS).map(([k, v]) => [k, v.value])) as {
    [K in keyof typeof ASSUMPTIONS]: number;
  };
  const perYear = (rate: number) => (rate * members) / 12;
  const active = members * A.activeShare;
  const retired = members - active;
  const hrOnly = ['enrol-member', 'publish-outbox'];
  const mailEvent = { ...m.perMail, busEvents: 1 };
  const workloads: Workload[] = [
    {
      name: 'hires',
      perMonth: perYear(A.hiresPerMemberYear),
      usage: m.perHire,
      sqsMessages: 2,
      mails: 1,
      apiRequests: 0,
    },
    {
      name: 'departures (HR event and mail)',
      perMonth: perYear(A.departuresPerMemberYear),
      usage: m.perHire,
      only: hrOnly,
      sqsMessages: 1,
      mails: 0,
      apiRequests: 0,
    },
    {
      name: '— their mails',
      perMonth: perYear(A.departuresPerMemberYear),
      usage: mailEvent,
      sqsMessages: 1,
      mails: 1,
      apiRequests: 0,
    },
    {
      name: 'other HR events',
      perMonth: perYear(A.otherHrEventsPerMemberYear),
      usage: m.perHire,
      only: hrOnly,
      sqsMessages: 1,
      mails: 0,
      apiRequests: 0,
    },
    {
      name: 'holiday grants',
      perMonth: (active * (A.holidaysForAll + A.womenShare) + retired * A.holidaysForRetirees) / 12,
      usage: m.perHolidayMember,
      sqsMessages: 1.01,
      mails: 1,
      apiRequests: 0,
    },
    {
      name: 'birthday grants',
      perMonth: (active * A.birthdaysPerActiveYear) / 12,
      usage: m.perBirthdayMember,
      sqsMessages: 1.01,
      mails: 1,
      apiRequests: 0,
    },
    {
      name: 'other mails',
      perMonth: perYear(A.otherMailsPerMemberYear),
      usage: mailEvent,
      sqsMessages: 1,
      mails: 1,
      apiRequests: 0,
    },
    {
      name: 'API calls',
      perMonth: members * A.apiCallsPerMemberMonth,
      usage: m.perApiCall,
      sqsMessages: 0,
      mails: 0,
      apiRequests: 1,
    },
  ];

  // Sum what every workload uses, per function.
  const fn: Record<string, FunctionUsage> = {};
  let busEvents = 0;
  let sqsMessages = 0;
  let mails = 0;
  let apiRequests = 0;
  for (const w of workloads) {
    const u = pick(w.usage, w.only);
    for (const [name, f] of Object.entries(u.functions)) {
      const into: FunctionUsage = fn[name] ?? {
        invocations: 0,
        billedMs: 0,
        logBytes: 0,
        dynamoRequests: 0,
        writeUnits: 0,
        readUnits: 0,
      };
      fn[name] = into;
      for (const k of Object.keys(into) as Array<keyof FunctionUsage>) into[k] += f[k] * w.perMonth;
    }
    busEvents += u.busEvents * w.perMonth;
    sqsMessages += w.sqsMessages * w.perMonth;
    mails += w.mails * w.perMonth;
    apiRequests += w.apiRequests * w.perMonth;
  }
  const scheduled = scheduledRunsPerDay() * DAYS_PER_MONTH;

  const invocations = Object.values(fn).reduce((n, f) => n + f.invocations, 0) + scheduled;
  const hoursPerMonth = DAYS_PER_MONTH * 24;
  let initGbSeconds = 0;
  for (const [name, f] of Object.entries(fn)) {
    const coldStarts = Math.min(f.invocations, A.coldStartsPerFunctionHour * hoursPerMonth);
    initGbSeconds += (coldStarts * ((m.initMs?.[name] ?? 80) + A.runtimeInitMs) * memoryGbOf(name)) / 1000;
  }
  const gbSeconds =
    Object.entries(fn).reduce((n, [name, f]) => n + (f.billedMs / 1000) * memoryGbOf(name), 0) +
    (scheduled * A.scheduledRunBilledMs * 0.5) / 1000 +
    initGbSeconds;
  const writeUnits = Object.values(fn).reduce((n, f) => n + f.writeUnits, 0);
  const readUnits = Object.values(fn).reduce((n, f) => n + f.readUnits, 0);
  const logBytes = Object.values(fn).reduce((n, f) => n + f.logBytes, 0) + apiRequests * A.apiAccessLogBytes;

  // Storage: members with their four index copies, the ledger with its index copy, the mail ledger.
  const grantsPerYear =
    active * (A.holidaysForAll + A.womenShare + A.birthdaysPerActiveYear) + retired * A.holidaysForRetirees;
  const bytes =
    members * m.itemBytes.member * 5 +
    grantsPerYear * A.grantHistoryYears * m.itemBytes.grant * 2 +
    mails * 12 * A.mailHistoryYears * m.itemBytes.mail * 2;
  const storageGb = bytes / GIB;

  const idlePolls = polledQueues() * A.idlePollersPerQueue * (SECONDS_PER_MONTH / 20);
  const sqsRequests = sqsMessages * A.sqsRequestsPerMessage + idlePolls;
  const traces = Math.min(invocations, SECONDS_PER_MONTH + A.xraySampling * invocations);
  const visits = members * A.webVisitsPerMemberMonth;
  const pageRequests = visits * (3 + A.webColdVisitShare * 12);
  const cloudfrontRequests = pageRequests + apiRequests;
  const cloudfrontGb =
    (visits * (6 * 1024 + A.webColdVisitShare * 200 * 1024) + apiRequests * A.apiResponseBytes) / GIB;
  const functionInvocations = visits * 3;
  const ownKeys = keys === 'customer-managed' ? 2 : 0;
  const keyVersions = ownKeys * (1 + Math.min(keyRotations, p.kms.maxPricedRotations));

  const M = 1e6;
  const lines: CostLine[] = [
    {
      service: 'Lambda',
      what: `requests (${Object.keys(fn).length} functions and ${scheduledRunsPerDay()} daily schedules)`,
      amount: invocations,
      quantity: `${fmt(invocations)} invocations`,
      usd: (invocations / M) * p.lambda.perMillionRequests,
    },
    {
      service: 'Lambda',
      what: `duration, ${lambdaDefaults.architecture} at each function's memory (init of cold starts included: ${fmt(initGbSeconds)} GB-s)`,
      amount: gbSeconds,
      quantity: `${fmt(gbSeconds)} GB-s`,
      usd: gbSeconds * p.lambda.perGbSecondArm,
    },
    {
      service: 'DynamoDB',
      what: 'write request units (on-demand; a transaction’s items twice, index writes once)',
      amount: writeUnits,
      quantity: `${fmt(writeUnits)} WRU`,
      usd: (writeUnits / M) * p.dynamodb.perMillionWriteUnits,
    },
    {
      service: 'DynamoDB',
      what: 'read request units',
      amount: readUnits,
      quantity: `${fmt(readUnits)} RRU`,
      usd: (readUnits / M) * p.dynamodb.perMillionReadUnits,
    },
    {
      service: 'DynamoDB',
      what: `storage (members ×5 with their indexes, ${A.grantHistoryYears} years of ledger, ${A.mailHistoryYears} of mail ledger)`,
      amount: storageGb,
      quantity: `${storageGb.toFixed(2)} GB`,
      usd: storageGb * p.dynamodb.perGbMonthStorage,
    },
    {
      service: 'DynamoDB',
      what: 'point-in-time recovery',
      amount: storageGb,
      quantity: `${storageGb.toFixed(2)} GB`,
      usd: storageGb * p.dynamodb.perGbMonthPitr,
    },
    {
      service: 'DynamoDB',
      what: 'stream reads (by the publish-outbox trigger: free)',
      amount: 0,
      quantity: '—',
      usd: 0,
    },
    {
      service: 'SQS',
      what: `requests (${fmt(sqsMessages)} messages; ${fmt(idlePolls)} empty long polls of ${polledQueues()} polled queues)`,
      amount: sqsRequests,
      quantity: `${fmt(sqsRequests)} requests`,
      usd: (sqsRequests / M) * p.sqs.perMillionRequests,
    },
    {
      service: 'EventBridge',
      what: "custom events put on the bus (HR's and the outbox's)",
      amount: busEvents,
      quantity: `${fmt(busEvents)} events`,
      usd: (busEvents / M) * p.eventbridge.perMillionCustomEvents,
    },
    {
      service: 'Scheduler',
      what: 'schedule invocations (within the 14 million free a month)',
      amount: scheduled,
      quantity: `${fmt(scheduled)} invocations`,
      usd:
        (Math.max(0, scheduled - p.scheduler.freeInvocationsPerMonth) / M) *
        p.scheduler.perMillionInvocations,
    },
    {
      service: 'SES',
      what: 'mails',
      amount: mails,
      quantity: `${fmt(mails)} mails`,
      usd: (mails / 1000) * p.ses.perThousandMails,
    },
    {
      service: 'CloudWatch Logs',
      what: "ingestion (the functions' lines as measured, API access logs)",
      amount: logBytes / GIB,
      quantity: `${(logBytes / GIB).toFixed(3)} GB`,
      usd: (logBytes / GIB) * p.cloudwatch.perGbLogsIngested,
    },
    {
      service: 'CloudWatch Logs',
      what: `storage (${A.logRetentionMonths} months, compressed)`,
      amount: (logBytes * A.logRetentionMonths) / 5 / GIB,
      quantity: `${((logBytes * A.logRetentionMonths) / 5 / GIB).toFixed(3)} GB`,
      usd: ((logBytes * A.logRetentionMonths) / 5 / GIB) * p.cloudwatch.perGbMonthLogsStored,
    },
    {
      service: 'CloudWatch',
      what: 'alarms (one per DLQ)',
      amount: A.alarms,
      quantity: `${A.alarms} alarms`,
      usd: A.alarms * p.cloudwatch.perAlarmMonth,
    },
    {
      service: 'X-Ray',
      what: 'traces recorded (active tracing on every function)',
      amount: traces,
      quantity: `${fmt(traces)} traces`,
      usd: (traces / M) * p.xray.perMillionTracesRecorded,
    },
    ...(ownKeys > 0
      ? [
          {
            service: 'KMS',
            what: `${ownKeys} customer managed keys, ${keyVersions / ownKeys} billed versions each after ${keyRotations} yearly rotations`,
            amount: keyVersions,
            quantity: `${keyVersions} key-months`,
            usd: ownKeys * p.kms.perKeyMonth + (keyVersions - ownKeys) * p.kms.perRotatedVersionMonth,
          },
        ]
      : []),
    {
      service: 'KMS',
      what:
        ownKeys > 0
          ? 'requests (SQS and DynamoDB data keys)'
          : 'requests (DynamoDB under aws/dynamodb; SSE-SQS makes none)',
      amount: A.kmsRequestsPerMonth,
      quantity: `${fmt(A.kmsRequestsPerMonth)} requests`,
      usd: (A.kmsRequestsPerMonth / 10_000) * p.kms.perTenThousandRequests,
    },
    {
      service: 'API Gateway',
      what: 'HTTP API requests',
      amount: apiRequests,
      quantity: `${fmt(apiRequests)} requests`,
      usd: (apiRequests / M) * p.apiGateway.perMillionHttpApiRequests,
    },
    {
      service: 'CloudFront',
      what: 'HTTPS requests (the web app’s files and the API under /api/*)',
      amount: cloudfrontRequests,
      quantity: `${fmt(cloudfrontRequests)} requests`,
      usd: (cloudfrontRequests / 10_000) * p.cloudfront.perTenThousandHttpsRequests,
    },
    {
      service: 'CloudFront',
      what: 'data transfer out',
      amount: cloudfrontGb,
      quantity: `${cloudfrontGb.toFixed(2)} GB`,
      usd: cloudfrontGb * p.cloudfront.perGbOut,
    },
    {
      service: 'CloudFront',
      what: 'CloudFront Functions (the history-mode rewrite of page requests)',
      amount: functionInvocations,
      quantity: `${fmt(functionInvocations)} invocations`,
      usd: (functionInvocations / M) * p.cloudfront.perMillionFunctionInvocations,
    },
  ];
  const total = lines.reduce((n, l) => n + l.usd, 0);
  const free =
    (Math.min(invocations, p.lambda.freeRequestsPerMonth) / M) * p.lambda.perMillionRequests +
    Math.min(gbSeconds, p.lambda.freeGbSecondsPerMonth) * p.lambda.perGbSecondArm +
    Math.min(storageGb, p.dynamodb.freeGbStorage) * p.dynamodb.perGbMonthStorage +
    (Math.min(sqsRequests, p.sqs.freeRequestsPerMonth) / M) * p.sqs.perMillionRequests +
    Math.min(logBytes / GIB, p.cloudwatch.freeGbLogsPerMonth) * p.cloudwatch.perGbLogsIngested +
    (Math.min(traces, p.xray.freeTracesPerMonth) / M) * p.xray.perMillionTracesRecorded +
    (Math.min(cloudfrontRequests, p.cloudfront.freeRequests) / 10_000) *
      p.cloudfront.perTenThousandHttpsRequests +
    Math.min(cloudfrontGb, p.cloudfront.freeGbOut) * p.cloudfront.perGbOut +
    (Math.min(functionInvocations, p.cloudfront.freeFunctionInvocations) / M) *
      p.cloudfront.perMillionFunctionInvocations;
  const dominant = lines.reduce((a, b) => (b.usd > a.usd ? b : a));
  return {
    members,
    lines,
    total,
    perMemberMonth: total / members,
    totalWithFreeTiers: total - free,
    dominant,
    workloads: workloads.map((w) => ({ name: w.name, perMonth: w.perMonth })),
  };
};

export const fmt = (n: number): string =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(2)} M`
    : n >= 1e4
      ? `${(n / 1e3).toFixed(0)} k`
      : n >= 100
        ? n.toFixed(0)
        : n.toFixed(1);

/** The queues' names, for the text. */
export const queueNames = (): string[] => Object.values(queues).map((q) => q.name);
