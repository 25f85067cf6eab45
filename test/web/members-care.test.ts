/**
 * The member's home: the care received this year, from the ledger, in yuan (the API keeps fen),
 * with why (the occasion's name), when, and a word when the yearly cap reduced or used it up.
 */
import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import MemberHomePage from '../../web/src/members/pages/MemberHomePage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

const me = {
  memberId: 'M1',
  employeeId: 'T1',
  membershipNumber: 'GLU-2026-000001',
  name: '黄丽萍',
  gender: 'female',
  birthDate: null,
  email: null,
  mobile: null,
  status: 'active',
  statusSince: '2026-09-01',
  department: { code: 'CS', name: '计算机学院' },
  branch: { code: 'CS', name: '计算机分工会' },
  womenFederation: true,
  hireDate: '2026-09-01',
  joinedOn: '2026-09-01',
  version: 1,
};
const entry = (occasion: string, occasionName: string, date: string, amountFen: number, over = {}) => ({
  memberId: 'M1',
  employeeId: 'T1',
  membershipNumber: 'GLU-2026-000001',
  branch: 'CS',
  branchName: '计算机分工会',
  occasion,
  occasionName,
  category: 'holiday',
  year: 2026,
  date,
  amountFen,
  gift: null,
  reason: 'full',
  policyEffectiveFrom: '2026-01-01',
  recordedAt: `${date}T01:00:00Z`,
  ...over,
});

describe('care on the member’s home', () => {
  it('lists each occasion with the day and the amount in yuan or the gift, says why a cap changed it, and totals', async () => {
    signInAs('T1', ['member']);
    const seen = fakeApi((req) =>
      req.url.endsWith('/members/me')
        ? { status: 200, body: me }
        : {
            status: 200,
            body: {
              memberId: 'M1',
              employeeId: 'T1',
              year: 2026,
              capsAsOf: '2026-12-06',
              entries: [
                entry('womens_day', '三八妇女节', '2026-03-06', 20_000, { gift: '鲜花' }),
                entry('mid_autumn', '中秋节', '2026-09-24', 0, { gift: '月饼', reason: 'full' }),
                entry('national_day', '国庆节', '2026-09-29', 5_050, { reason: 'reduced_by_cap' }),
                entry('double_ninth', '重阳节', '2026-10-28', 0, { reason: 'skipped_cap_reached' }),
              ],
              totals: [],
              totalFen: 25_050,
            },
          },
    );
    const { wrapper } = await mountWithApp(MemberHomePage, { path: '/me' });
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(['/api/members/me', '/api/members/M1/care']);
    const rows = wrapper.findAll('[data-testid=my-care] li').map((li) => li.text());
    expect(rows[0]).toContain('三八妇女节');
    expect(rows[0]).toContain('3月6日');
    expect(rows[0]).toContain('200.00 元 + 鲜花');
    expect(rows[1]).toContain('月饼');
    expect(rows[1]).not.toContain('元');
    expect(rows[2]).toContain('50.50 元');
    expect(rows[2]).toContain('按剩余额度发放');
    expect(rows[3]).toContain('未发放');
    expect(rows[3]).toContain('年度慰问上限已用完');
    expect(wrapper.find('[data-testid=care-total]').text()).toBe('共 4 次，合计 250.50 元');
    expect(wrapper.find('[data-testid=my-care] h2').text()).toBe('2026 年收到的慰问');
    expect(wrapper.text()).not.toMatch(/25050|5050/);
  });

  it('says there was no care yet, and a failure is an error with a retry, not an empty list', async () => {
    signInAs('T1', ['member']);
    let fail = true;
    fakeApi((req) =>
      req.url.endsWith('/members/me')
        ? { status: 200, body: me }
        : fail
          ? { status: 500, body: { message: 'boom' } }
          : {
              status: 200,
              body: {
                memberId: 'M1',
                employeeId: 'T1',
                year: 2026,
                capsAsOf: '2026-12-06',
                entries: [],
                totals: [],
                totalFen: 0,
              },
            },
    );
    const { wrapper } = await mountWithApp(MemberHomePage, { path: '/me' });
    const card = () => wrapper.find('[data-testid=my-care]');
    expect(card().find('[role=alert]').exists()).toBe(true);
    fail = false;
    await card().findAll('button').at(-1)!.trigger('click');
    await flushPromises();
    expect(card().text()).toContain('今年还没有慰问记录');
  });
});
