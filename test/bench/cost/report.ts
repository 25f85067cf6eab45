/**
 * The cost section of BENCHMARKS.md and `npm run cost`: the measured usage per unit of work, the
 * assumptions, and the monthly bill at three sizes.
 */
import { ASSUMPTIONS, fmt, type MeasuredUnits, type MonthlyCost, monthlyCost } from './model.ts';
import type { PriceTable } from './prices.ts';

export const SIZES = [3_000, 30_000, 1_000_000];
/** Issue 15's goals. */
export const GOALS = { smallMonthlyUsd: 5, smallMembers: 3_000, perMemberMonthAtMillion: 0.002 };

const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);

const unitRow = (name: string, u: MeasuredUnits['perHire']) => {
  const f = Object.values(u.functions);
  const sum = (k: keyof (typeof f)[number]) => f.reduce((n, x) => n + x[k], 0);
  const ms = Object.entries(u.functions)
    .map(([fn, x]) => `${fn} ${x.billedMs.toFixed(1)}`)
    .join(', ');
  return `| ${name} | ${sum('invocations').toFixed(3)} | ${ms} | ${sum('writeUnits').toFixed(2)} | ${sum('readUnits').toFixed(2)} | ${sum('dynamoRequests').toFixed(3)} | ${(sum('logBytes') / 1024).toFixed(2)} | ${u.busEvents.toFixed(2)} |`;
};

export const renderCost = (m: MeasuredUnits, p: PriceTable, sources: string) => {
  const results = SIZES.map((n) => monthlyCost(n, m, p));
  const small = results[0]!;
  const million = results.at(-1)!;
  const services = [...new Set(small.lines.map((l) => l.service))];
  const byService = (r: MonthlyCost, s: string) =>
    r.lines.filter((l) => l.service === s).reduce((n, l) => n + l.usd, 0);
  const ok = small.total < GOALS.smallMonthlyUsd && million.perMemberMonth < GOALS.perMemberMonthAtMillion;
  // The same months with the deployment's own keys (encryptionKeys=customer-managed), and the
  // smallest union's month in the keys' first and second year, before rotations add billed versions.
  const withOwnKeys = SIZES.map((n) => monthlyCost(n, m, p, { keys: 'customer-managed' }));
  const ownSmall = withOwnKeys[0]!;
  const keyLine = ownSmall.lines.find((l) => l.service === 'KMS' && l.what.includes('customer managed'))!;
  const ownKeysAfter = (keyRotations: number) =>
    monthlyCost(small.members, m, p, { keys: 'customer-managed', keyRotations }).total;
  const body = [
    `A month of a union's work priced at ${p.region} list prices (${p.asOf}; sources: the AWS pricing pages in test/bench/cost/prices.ts), from what the benchmarks measured per unit of work (${sources}) and the assumptions below. Free tiers not deducted (the total with them is in the last rows). Not a line: S3 (the web app's few MB and CloudFront's rare misses, under a cent), data transfer out of the region (mail goes through SES; pages through CloudFront). \`npm run cost\` prints this from BENCHMARKS.json.`,
    '',
    '**Measured per unit of work** (Lambda billed ms per function, DynamoDB request units as on-demand bills them, log bytes as the functions wrote them):',
    '',
    '| unit | invocations | billed ms by function | WRU | RRU | DynamoDB requests | log KiB | bus events |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
    unitRow('a hire (enrolment, outbox, welcome mail)', m.perHire),
    unitRow('a member granted a holiday (plan, grant, ledger, mail)', m.perHolidayMember),
    unitRow('a member granted a birthday', m.perBirthdayMember),
    unitRow('a mail at a paced rate', m.perMail),
    unitRow('an API call (a member’s visit, a delegate’s proposal)', m.perApiCall),
    '',
    '**Assumptions** (test/bench/cost/model.ts):',
    '',
    '| assumption | value | meaning |',
    '|---|---:|---|',
    ...Object.entries(ASSUMPTIONS).map(([k, v]) => `| ${k} | ${v.value} | ${v.note} |`),
    `| item sizes (bytes) | member ${m.itemBytes.member}, grant ${m.itemBytes.grant}, mail ${m.itemBytes.mail} | built by the repositories' own item code (test/bench/cost/item-size.ts) |`,
    '',
    '**Monthly cost by service:**',
    '',
    `| service | ${SIZES.map((n) => `${fmt(n)} members`).join(' | ')} |`,
    `|---|${SIZES.map(() => '---:').join('|')}|`,
    ...services.map((s) => `| ${s} | ${results.map((r) => usd(byService(r, s))).join(' | ')} |`),
    `| **total a month** | ${results.map((r) => `**${usd(r.total)}**`).join(' | ')} |`,
    `| per member-month | ${results.map((r) => `$${r.perMemberMonth.toFixed(5)}`).join(' | ')} |`,
    `| total with the always-free tiers (one account) | ${results.map((r) => usd(r.totalWithFreeTiers)).join(' | ')} |`,
    `| with encryptionKeys=customer-managed (from the keys' third year) | ${withOwnKeys.map((r) => usd(r.total)).join(' | ')} |`,
    `| the largest line | ${results.map((r) => `${r.dominant.service}: ${r.dominant.what.split(' (')[0]} (${Math.round((100 * r.dominant.usd) / r.total)}%)`).join(' | ')} |`,
    '',
    `**Every line at ${fmt(million.members)} members:**`,
    '',
    '| service | what | quantity a month | US$ |',
    '|---|---|---:|---:|',
    ...million.lines.map((l) => `| ${l.service} | ${l.what} | ${l.quantity} | ${usd(l.usd)} |`),
    '',
    `Goals: under $${GOALS.smallMonthlyUsd} a month at ${fmt(GOALS.smallMembers)} members: **${usd(small.total)}** (${small.total < GOALS.smallMonthlyUsd ? 'met' : 'missed'}; ${usd(small.totalWithFreeTiers)} with the free tiers); under $${GOALS.perMemberMonthAtMillion} per member-month at a million: **$${million.perMemberMonth.toFixed(5)}** (${million.perMemberMonth < GOALS.perMemberMonthAtMillion ? 'met' : 'missed'}). At ${fmt(small.members)} members the fixed lines decide (alarms, the event source mappings' empty polls, and the KMS keys when a deployment has its own); from ${fmt(results[1]!.members)} on, usage does.`,
    '',
    `The default deployment (encryptionKeys=aws-managed, infra/aws/deployment-props.ts) has no key of its own: the table is under DynamoDB's AWS managed key (aws/dynamodb: no monthly fee, each use in CloudTrail), the queues under SSE-SQS, and the alarm topic, which carries alarm and queue names only, is not encrypted at rest. A university that wants key policies of its own deploys with -c encryptionKeys=customer-managed: two customer managed keys (the table; the queues and the alarm topic), each billed $${p.kms.perKeyMonth} a month, every yearly rotation adding a billed version up to ${p.kms.maxPricedRotations}. At ${fmt(small.members)} members that month is ${usd(ownKeysAfter(0))} in the keys' first year, ${usd(ownKeysAfter(1))} in their second and ${usd(ownSmall.total)} from the third, the keys ${Math.round((100 * keyLine.usd) / ownSmall.total)}% of it.`,
  ].join('\n');
  return { body, ok, results };
};
