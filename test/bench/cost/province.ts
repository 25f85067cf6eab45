/**
 * A province (1,000,000 members), simulated rather than deployed: a holiday's plan fanned out
 * over every member, with what the care benchmark measured per page of grants (requests, write
 * units, time), the functions' concurrency from the topology, DynamoDB's limits per partition and
 * the SES account's rate. It answers how long the holiday takes, what the operator must raise,
 * and which key throttles first.
 *
 * The limits (DynamoDB developer guide, "Service quotas" and "Partitions"): a partition takes at
 * most 1,000 write units and 3,000 read units a second, and so does every value of a partition
 * key of the table or of an index until DynamoDB splits it for heat (not something to count on);
 * a new on-demand table serves up to 4,000 write units a second at first, then twice its previous
 * peak (warm throughput raises that ahead of time). SES: the account's maximum send rate and its
 * daily quota, raised on request.
 */
import { functions } from '../../../infra/topology.ts';
import { fmt } from './model.ts';

export interface ProvinceInputs {
  /** Care bench: grant-care's pages, as measured on the embedded runtime. */
  grantPage: {
    membersPerInvocation: number;
    billedMsPerInvocation: number;
    writeUnitsPerMember: number;
    requestsPerMember?: number;
  };
  itemBytes: { member: number; grant: number; mail: number };
}

export const PROVINCE = {
  members: 1_000_000,
  branches: 2_000,
  activeShare: 0.85,
  hiresPerYear: 60_000,
  /** The busiest day takes a tenth of the year's hires (September). */
  busiestHireDayShare: 0.1,
  partitionWriteUnits: 1_000,
  partitionReadUnits: 3_000,
  newOnDemandTableWriteUnits: 4_000,
  /** A page of grants on DynamoDB rather than DynamoDB Local (assumed): per request, ms. */
  awsTransactionMs: 60,
  awsOtherRequestMs: 10,
  awsPageWorkMs: 50,
  /** Grants per transaction (grant-care: 25, three items each). */
  grantsPerTransaction: 25,
  /** A batch of 25 hires (its lease and its transaction) on DynamoDB, ms. */
  enrolmentBatchMs: 70,
};

const queueConcurrency = (fn: 'grant-care' | 'send-email'): number => {
  const t = (functions[fn].triggers as ReadonlyArray<{ kind: string; maxConcurrency?: number }>).find(
    (x) => x.kind === 'queue',
  );
  return t?.maxConcurrency ?? 1;
};

const units = (bytes: number) => Math.ceil(bytes / 1024);

export const duration = (seconds: number): string => {
  if (seconds < 120) return `${seconds.toFixed(0)} s`;
  if (seconds < 7_200) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
};

interface Scenario {
  name: string;
  pageSeconds: number;
  grantConcurrency: number;
  sesRate: number;
  sesDailyQuota: number;
  warmTable: boolean;
}

export const simulateProvince = (inputs: ProvinceInputs) => {
  const P = PROVINCE;
  const { grantPage, itemBytes } = inputs;
  const perPage = Math.min(100, Math.round(grantPage.membersPerInvocation));
  const localPageSeconds = grantPage.billedMsPerInvocation / 1000;
  const transactionsPerPage = Math.ceil(perPage / P.grantsPerTransaction);
  const otherRequestsPerPage = Math.max(
    2,
    Math.round((grantPage.requestsPerMember ?? 0) * grantPage.membersPerInvocation) - transactionsPerPage,
  );
  const awsPageSeconds =
    (transactionsPerPage * P.awsTransactionMs +
      otherRequestsPerPage * P.awsOtherRequestMs +
      P.awsPageWorkMs) /
    1000;
  const wruPerGrant = grantPage.writeUnitsPerMember;
  const memberWcu = units(itemBytes.member);
  const mailWcu = units(itemBytes.mail);
  const grantWcu = units(itemBytes.grant);
  // The holidays of the default policy are for active members (重阳 is the retirees').
  const holidayMembers = Math.round(P.members * P.activeShare);
  const deployed = queueConcurrency('grant-care');

  const scenarios: Scenario[] = [
    {
      name: `as deployed, at the page time measured here (${localPageSeconds.toFixed(2)} s)`,
      pageSeconds: localPageSeconds,
      grantConcurrency: deployed,
      sesRate: 14,
      sesDailyQuota: 50_000,
      warmTable: false,
    },
    {
      name: `as deployed, on DynamoDB (a page in ${awsPageSeconds.toFixed(2)} s)`,
      pageSeconds: awsPageSeconds,
      grantConcurrency: deployed,
      sesRate: 14,
      sesDailyQuota: 50_000,
      warmTable: false,
    },
    {
      name: 'SES raised to 200/s and 1,000,000 a day, table warmed',
      pageSeconds: awsPageSeconds,
      grantConcurrency: deployed,
      sesRate: 200,
      sesDailyQuota: 1_000_000,
      warmTable: true,
    },
    {
      name: 'SES 500/s, grant-care 16 instances, table warmed',
      pageSeconds: awsPageSeconds,
      grantConcurrency: 16,
      sesRate: 500,
      sesDailyQuota: 1_000_000,
      warmTable: true,
    },
  ];

  const gsi3Grants = P.partitionWriteUnits / memberWcu;
  const tableGrants = P.newOnDemandTableWriteUnits / wruPerGrant;
  const maildayMails = P.partitionWriteUnits / mailWcu;

  const rows = scenarios.map((s) => {
    const grantLimits: Array<[string, number]> = [
      [
        `grant-care (${s.grantConcurrency} × ${perPage} per ${s.pageSeconds.toFixed(2)} s)`,
        (s.grantConcurrency * perPage) / s.pageSeconds,
      ],
      [`GSI3 \`MEMBERS\` (${memberWcu} WCU per grant)`, gsi3Grants],
      ...(s.warmTable
        ? []
        : ([
            [
              `a new on-demand table (${fmt(P.newOnDemandTableWriteUnits)} WRU/s, ${wruPerGrant.toFixed(1)} per grant)`,
              tableGrants,
            ],
          ] as Array<[string, number]>)),
    ];
    const [grantLimit, grantRate] = grantLimits.reduce((a, b) => (b[1] < a[1] ? b : a));
    const grantSeconds = holidayMembers / grantRate;
    const mailLimits: Array<[string, number]> = [
      [`SES rate ${s.sesRate}/s`, s.sesRate],
      [`GSI1 \`MAILDAY#<date>\` (${mailWcu} WCU per mail)`, maildayMails],
    ];
    const [mailLimit, mailRate] = mailLimits.reduce((a, b) => (b[1] < a[1] ? b : a));
    const mailDays = Math.ceil(holidayMembers / s.sesDailyQuota);
    const mailSeconds =
      mailDays > 1
        ? (mailDays - 1) * 86_400 + (holidayMembers - (mailDays - 1) * s.sesDailyQuota) / mailRate
        : holidayMembers / mailRate;
    // A member's mail follows their grant: the last one goes when both are done.
    const endSeconds = Math.max(grantSeconds, mailSeconds);
    const wanted = (s.grantConcurrency * perPage) / s.pageSeconds;
    return {
      s,
      grantLimit,
      grantRate,
      grantSeconds,
      mailLimit,
      mailRate,
      mailDays,
      mailSeconds,
      endSeconds,
      wanted,
    };
  });

  // Every key the holiday writes, at the rate grant-care would go as deployed on DynamoDB.
  const onAws = rows[1]!;
  const g = onAws.wanted;
  const branchRate = perPage / awsPageSeconds;
  const hotKeys = [
    {
      key: 'GSI3 `MEMBERS` (all members by number)',
      why: 'every grant updates its member item (the year’s totals, the version), and the item is in GSI3 with projection ALL under one partition key',
      load: g * memberWcu,
    },
    {
      key: 'GSI1 `MAILDAY#<date>` (sent mail by day)',
      why: 'every sent mail’s record, all under the day’s key (at the SES rate, not the grants’)',
      load: 500 * mailWcu,
    },
    {
      key: 'GSI2 `BRANCH#<code>`',
      why: 'a branch’s member updates: its pages follow one another',
      load: branchRate * memberWcu,
    },
    {
      key: 'GSI2 `LEDGER#<year>#<branch>`',
      why: 'the ledger entries of one branch’s pages',
      load: branchRate * grantWcu,
    },
    {
      key: 'GSI4 `BIRTHDAY#<MM-DD>`',
      why: 'the member updates, spread over 366 keys',
      load: (g * memberWcu) / 366,
    },
    {
      key: '`COUNTER#MEMBERSHIP` `YEAR#<year>` (enrolment)',
      why: 'one batch numbers a year at a time: its lease (1 WCU) and its transaction (2)',
      load: (3 * 1000) / P.enrolmentBatchMs,
    },
  ].sort((a, b) => b.load - a.load);
  const first = hotKeys[0]!;

  const birthdaysPerDay = (P.members * P.activeShare) / 365.25;
  const birthdayReadUnits = (birthdaysPerDay * itemBytes.member) / 4096 / 2;
  const busiestHires = P.hiresPerYear * P.busiestHireDayShare;
  const enrolmentSeconds = (busiestHires / 25) * (P.enrolmentBatchMs / 1000);

  const table = [
    '| scenario | grants limited by | grants/s | grants done | mails limited by | mails/s | last mail |',
    '|---|---|---:|---:|---|---:|---:|',
    ...rows.map(
      (x) =>
        `| ${x.s.name} | ${x.grantLimit} | ${x.grantRate.toFixed(0)} | ${duration(x.grantSeconds)} | ${x.mailLimit}${x.mailDays > 1 ? `; ${fmt(x.s.sesDailyQuota)} a day: ${x.mailDays} days` : ''} | ${x.mailRate.toFixed(0)} | ${duration(x.endSeconds)} |`,
    ),
  ].join('\n');
  const keys = [
    `| key | written by | WCU/s, grant-care as deployed on DynamoDB (${g.toFixed(0)} grants/s wanted), SES 500/s | of a partition's 1,000 |`,
    '|---|---|---:|---:|',
    ...hotKeys.map(
      (k) =>
        `| ${k.key} | ${k.why} | ${k.load.toFixed(0)} | ${Math.round((100 * k.load) / P.partitionWriteUnits)}% |`,
    ),
  ].join('\n');
  const saved = 4 * memberWcu;
  const body = [
    `${fmt(P.members)} members in ${fmt(P.branches)} branches; a holiday for every active member: ${fmt(holidayMembers)} grants and mails. From the care benchmark: grant-care takes a page of ${perPage} members in ${localPageSeconds.toFixed(2)} s billed here (DynamoDB Local on a shared 2-core machine) with ${transactionsPerPage} transactions and ${otherRequestsPerPage} other requests, and writes ${wruPerGrant.toFixed(1)} WRU per grant. On DynamoDB the page is estimated at ${awsPageSeconds.toFixed(2)} s (${P.awsTransactionMs} ms per transaction of 75 items, ${P.awsOtherRequestMs} ms per other request, ${P.awsPageWorkMs} ms of the function's own work: assumptions). Items as the repositories build them: member ${itemBytes.member} B, grant ${itemBytes.grant} B, mail record ${itemBytes.mail} B. Computed by test/bench/cost/province.ts (\`npm run cost\`).`,
    '',
    table,
    '',
    keys,
    '',
    `**Which key throttles first: ${first.key}.** ${first.why}: at ${first.load.toFixed(0)} WCU/s it is over a partition's 1,000 as soon as grants run faster than ${gsi3Grants.toFixed(0)}/s, which grant-care's ${deployed} instances already want on DynamoDB (${g.toFixed(0)}/s). Index back-pressure then throttles the table's writes, the grants' transactions fail and grant-care retries the pages: the holiday still completes (every grant is idempotent), at the partition's pace. Fix: keep a member's yearly care totals in an item of their own (\`PK=EMPLOYEE#<id>\`, \`SK=CARE#<year>\`, in no index), read with the page (one BatchGetItem) and written in the grant's transaction instead of the member item: no index write at all per grant, ${saved} fewer write units per grant (${Math.round((100 * saved) / wruPerGrant)}% of the ${wruPerGrant.toFixed(1)} measured). Lesser fixes: project only keys into GSI3, or shard it (\`MEMBERS#0…9\`).`,
    '',
    `**What limits it, and what the operator must raise:** the mails. At SES's 14/s and 50,000 a day a million mails take ${Math.ceil(holidayMembers / 50_000)} days; the grants are done in hours. Raise, by a service quota request, the SES maximum send rate and the daily quota (at 200/s and a million a day the holiday takes ${duration(rows[2]!.endSeconds)}; at 500/s, ${duration(rows[3]!.endSeconds)}), then set \`sesMaxSendRate\` to match (send-email paces to it, ${queueConcurrency('send-email')} instances sharing the rate). Before the first holiday at this scale, set warm throughput on the table (a new on-demand table starts at ${fmt(P.newOnDemandTableWriteUnits)} WRU/s: ${tableGrants.toFixed(0)} grants/s at ${wruPerGrant.toFixed(1)} WRU each). Raise grant-care's maximum concurrency (topology: ${deployed}) only after GSI3's fix: it is already faster than GSI3 takes. Lambda's account concurrency (1,000 by default; lower on a new account: ask) covers it. Past 1,000 mails a second the next key is GSI1 \`MAILDAY#<date>\`.`,
    '',
    `Beside the holiday: the birthday run reads one \`BIRTHDAY#<MM-DD>\` key, ${fmt(birthdaysPerDay)} members a day, about ${birthdayReadUnits.toFixed(0)} read units in 1-MB pages (a partition serves 3,000 a second). Enrolment's busiest day (${fmt(busiestHires)} hires, a tenth of a year's ${fmt(P.hiresPerYear)}) takes about ${duration(enrolmentSeconds)} with one batch numbering the year at a time (${P.enrolmentBatchMs} ms per batch of 25 on DynamoDB); the counter sees ${((3 * 1000) / P.enrolmentBatchMs).toFixed(0)} WCU/s.`,
  ].join('\n');
  return { body, rows, hotKeys, first };
};
