/**
 * The cost model, the province simulation and the meter's count of transactional write units,
 * on fixed inputs (pure: no runtime).
 */
import { describe, expect, it } from 'vitest';
import { itemSize, transactionalUnits } from '../../../infra/local/dynamo-meter.ts';
import { table } from '../../../infra/topology.ts';
import { itemBytes } from '../../../test/bench/cost/item-size.ts';
import { type MeasuredUnits, monthlyCost } from '../../../test/bench/cost/model.ts';
import { US_EAST_1 } from '../../../test/bench/cost/prices.ts';
import { simulateProvince } from '../../../test/bench/cost/province.ts';
import type { Usage } from '../../../test/bench/usage.ts';

const usage = (fn: string, u: Partial<Usage['functions'][string]>, busEvents = 1): Usage => ({
  functions: {
    [fn]: {
      invocations: 0.04,
      billedMs: 20,
      logBytes: 200,
      dynamoRequests: 0.2,
      writeUnits: 3,
      readUnits: 0.5,
      ...u,
    },
  },
  busEvents,
});

const measured: MeasuredUnits = {
  perHire: usage('enrol-member', { writeUnits: 8 }, 2),
  perHolidayMember: usage('grant-care', { writeUnits: 11 }),
  perBirthdayMember: usage('grant-care', { writeUnits: 11 }),
  perMail: usage('send-email', { writeUnits: 3 }),
  perApiCall: usage('members-api', { invocations: 1, billedMs: 15, writeUnits: 0.2 }, 0),
  itemBytes: { member: 863, grant: 444, mail: 495 },
};

describe('cost model', () => {
  it('adds up its lines, prices mails at SES’s list price, and gets cheaper per member as the union grows', () => {
    const small = monthlyCost(3_000, measured, US_EAST_1);
    const big = monthlyCost(1_000_000, measured, US_EAST_1);
    expect(small.total).toBeCloseTo(
      small.lines.reduce((n, l) => n + l.usd, 0),
      9,
    );
    const ses = big.lines.find((l) => l.service === 'SES')!;
    expect(ses.amount).toBeGreaterThan(1_000_000 * 0.7);
    expect(ses.usd).toBeCloseTo((ses.amount / 1000) * US_EAST_1.ses.perThousandMails, 9);
    expect(big.perMemberMonth).toBeLessThan(small.perMemberMonth);
    // Fixed lines do not grow with the union: KMS keys and alarms cost the same at both sizes.
    const fixed = (r: typeof small) =>
      r.lines.filter((l) => l.service === 'KMS' || l.service === 'CloudWatch').reduce((n, l) => n + l.usd, 0);
    expect(fixed(big)).toBeCloseTo(fixed(small), 9);
  });

  it('prices the deployment’s own keys only with encryptionKeys=customer-managed, rotated versions included', () => {
    const kmsOf = (r: ReturnType<typeof monthlyCost>) =>
      r.lines.filter((l) => l.service === 'KMS').reduce((n, l) => n + l.usd, 0);
    const byDefault = monthlyCost(3_000, measured, US_EAST_1);
    const ownKeys = monthlyCost(3_000, measured, US_EAST_1, { keys: 'customer-managed' });
    expect(byDefault.lines.some((l) => l.what.includes('customer managed'))).toBe(false);
    // Two keys, each billed for itself and two rotated versions (the assumption: from the third year).
    const keyMonths = 2 * (1 + US_EAST_1.kms.maxPricedRotations);
    expect(kmsOf(ownKeys) - kmsOf(byDefault)).toBeCloseTo(
      2 * US_EAST_1.kms.perKeyMonth + (keyMonths - 2) * US_EAST_1.kms.perRotatedVersionMonth,
      9,
    );
    expect(ownKeys.total - byDefault.total).toBeCloseTo(kmsOf(ownKeys) - kmsOf(byDefault), 9);
  });

  it('counts the empty long polls of every polled queue', () => {
    const sqs = monthlyCost(3_000, measured, US_EAST_1).lines.find((l) => l.service === 'SQS')!;
    // 4 queues with a Lambda trigger, 5 pollers each, one ReceiveMessage per 20 s, a month of 365/12 days.
    expect(sqs.what).toContain(`${((4 * 5 * (365 / 12) * 86_400) / 20 / 1e6).toFixed(2)} M empty long polls`);
  });
});

describe('province', () => {
  it('finds the all-members index the first key to throttle when grants outrun a partition', () => {
    const p = simulateProvince({
      grantPage: {
        membersPerInvocation: 100,
        billedMsPerInvocation: 2_000,
        writeUnitsPerMember: 11,
        requestsPerMember: 0.06,
      },
      itemBytes: { member: 863, grant: 444, mail: 495 },
    });
    expect(p.first.key).toContain('GSI3');
    // With SES at 500/s and a warmed table, grants go at a partition's pace (1 WCU each).
    expect(p.rows.at(-1)!.grantRate).toBe(1_000);
    expect(p.rows.at(-1)!.mailRate).toBe(500);
    // As deployed, 50,000 mails a day make the holiday last days.
    expect(p.rows[0]!.mailDays).toBe(17);
  });
});

describe('the meter’s units of a transactional write', () => {
  const member = {
    PK: { S: 'EMPLOYEE#T1' },
    SK: { S: 'MEMBER' },
    GSI1PK: { S: 'MEMBERID#1' },
    GSI1SK: { S: 'MEMBER' },
    GSI2PK: { S: 'BRANCH#B1' },
    GSI2SK: { S: 'MEMBER#1' },
    GSI3PK: { S: 'MEMBERS' },
    GSI3SK: { S: '1' },
    GSI4PK: { S: 'BIRTHDAY#01-01' },
    GSI4SK: { S: 'T1' },
    name: { S: 'x'.repeat(600) },
  };
  it('bills the table twice and every index the item is in once, per KB', () => {
    expect(transactionalUnits(member, table.indexes)).toBe(2 + 4);
    const { GSI3PK: _, GSI4PK: __, ...inTwo } = member;
    expect(transactionalUnits(inTwo, table.indexes)).toBe(2 + 2);
    const big = { ...member, notes: { S: 'y'.repeat(1_500) } };
    expect(transactionalUnits(big, table.indexes)).toBe(2 * 3 + 4 * 3);
  });

  it('sizes items as DynamoDB does, close to the cost model’s own measure', () => {
    const plain = { a: 'xyz', n: 12345, m: { k: 'v' }, l: ['a', 'b'] };
    const typed = {
      a: { S: 'xyz' },
      n: { N: '12345' },
      m: { M: { k: { S: 'v' } } },
      l: { L: [{ S: 'a' }, { S: 'b' }] },
    };
    expect(itemSize(typed)).toBe(itemBytes(plain));
  });
});
