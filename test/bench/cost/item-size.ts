/**
 * DynamoDB's size of an item (what write and read units are counted in): attribute names and
 * values in UTF-8, numbers about one byte per two digits, a few bytes per map and list. And the
 * items the repositories write for a typical member, grant and mail, built by their own code.
 */
import { grantItem } from '../../../shared/adapters/care-store-dynamodb.ts';
import { keys } from '../../../shared/adapters/keys.ts';
import { memberItem } from '../../../shared/adapters/member-repository-dynamodb.ts';
import type { Member } from '../../../shared/domain/members/member.ts';

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

export const valueBytes = (v: unknown): number => {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return utf8(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').length / 2) + 1;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + valueBytes(x), 0);
  if (typeof v === 'object')
    return 3 + Object.entries(v).reduce((n, [k, x]) => n + 1 + utf8(k) + valueBytes(x), 0);
  return utf8(String(v));
};

export const itemBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + valueBytes(v), 0);

/** A member of some years' standing, with a year's care totals, as the member repository stores it. */
export const typicalMember = (): Member =>
  ({
    memberId: '01JTYPICALMEMBER000000000',
    employeeId: 'T2019104233',
    enrolled: true,
    membershipNumber: 'GLU-2019-004233',
    name: '欧阳慧敏',
    gender: 'female',
    birthDate: '1986-04-12',
    email: 't2019104233@example.edu.cn',
    mobile: '13800138000',
    department: { code: 'CS', name: '计算机科学与技术学院' },
    branch: { code: 'B-CS', name: '计算机科学与技术学院分工会' },
    branchAssignedByDefault: false,
    womenFederation: true,
    status: 'active',
    category: 'teaching',
    employmentType: 'permanent',
    joinedOn: '2019-09-01',
    hireDate: '2019-09-01',
    updatedAt: '2026-09-24T00:10:00.000Z',
    version: 14,
    fieldTimes: {
      name: '2019-08-25T02:00:00.000Z',
      email: '2023-03-02T02:00:00.000Z',
      department: '2019-08-25T02:00:00.000Z',
      status: '2019-08-25T02:00:00.000Z',
    },
    care: { '2026': { holiday: 150_000, birthday: 30_000 } },
  }) as unknown as Member;

export const typicalItems = () => {
  const member = memberItem(typicalMember());
  const grant = grantItem({
    employeeId: 'T2019104233',
    memberId: '01JTYPICALMEMBER000000000',
    membershipNumber: 'GLU-2019-004233',
    branch: { code: 'B-CS', name: '计算机科学与技术学院分工会' },
    occasion: 'mid_autumn',
    occasionName: '中秋节',
    category: 'holiday',
    year: 2026,
    date: '2026-09-24',
    amountFen: 30_000,
    gift: '月饼礼盒',
    reason: 'full',
    policyEffectiveFrom: '2000-01-01',
    createdAt: '2026-09-24T00:10:00.000Z',
  });
  const mail = {
    ...keys.mail('01JTYPICALNOTIFICATION0000'),
    ...keys.mailByDay('2026-09-24', '2026-09-24T01:02:03.000Z', '01JTYPICALNOTIFICATION0000'),
    entity: 'Mail',
    notificationId: '01JTYPICALNOTIFICATION0000',
    status: 'sent',
    detailType: 'CareGranted',
    eventId: '01JTYPICALEVENT00000000000',
    to: 't2019104233@example.edu.cn',
    subject: '中秋节慰问 / Mid-Autumn Festival care from the union',
    claimedAt: '2026-09-24T01:02:02.000Z',
    messageId: '010001928f8f8f8f-8f8f8f8f-8f8f-8f8f-8f8f-8f8f8f8f8f8f-000000',
    sentAt: '2026-09-24T01:02:03.000Z',
    sendStartedAt: '2026-09-24T01:02:02.900Z',
  };
  return {
    member: itemBytes(member as Record<string, unknown>),
    grant: itemBytes(grant as Record<string, unknown>),
    mail: itemBytes(mail),
  };
};
