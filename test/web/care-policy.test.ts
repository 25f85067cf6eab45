/**
 * The care policy's versions on the settings pages: the API's rules as the page's rules. The
 * version list says which are the past (read-only, "add a later version") and which may still be
 * replaced; the form is prefilled from the version in force before its date, sends only what
 * differs from it (the rest carries over, as PUT /care/policy does), refuses a date before today
 * before asking the API, and follows a new date to its own starting point without losing what
 * was typed.
 */
import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OCCASIONS } from '../../shared/domain/care/occasions.ts';
import { DEFAULT_CARE_POLICY } from '../../shared/domain/care/policy.ts';
import { setAccessToken } from '../../web/src/app/auth/session';
import PolicyFormPage from '../../web/src/care/pages/PolicyFormPage.vue';
import PolicyPage from '../../web/src/care/pages/PolicyPage.vue';
import { baseFor, modelFrom, policyChange, rebase } from '../../web/src/care/policy-form';
import { fakeApi, mountWithApp, signInAs } from './support';

// The pages unmount first (hooks after a test run last-registered first), then the fakes go.
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});
enableAutoUnmount(afterEach);

const saved = { updatedAt: '2026-01-01T01:00:00Z', updatedBy: 'C1' };
/** In force since 1 January (before today, 6 December): the past. Holiday cap 1,800 yuan. */
const past = {
  ...structuredClone(DEFAULT_CARE_POLICY),
  effectiveFrom: '2026-01-01',
  caps: { ...DEFAULT_CARE_POLICY.caps, holiday: 180_000 },
  ...saved,
  state: 'in_force' as const,
  editable: false,
};
/** From 1 March next year: hospital stays 1,500 yuan. */
const scheduled = {
  ...structuredClone(past),
  effectiveFrom: '2027-03-01',
  lifeEvents: { ...past.lifeEvents, hospital: { amountFen: 150_000 } },
  state: 'scheduled' as const,
  editable: true,
};
const policyAnswer = {
  date: '2026-12-06',
  today: '2026-12-06',
  inForce: past,
  source: 'stored' as const,
  versions: [past, scheduled],
  default: DEFAULT_CARE_POLICY,
};
const sanyuesanRule = { ...DEFAULT_CARE_POLICY.occasions.new_year!, amountFen: 8800, gift: '五色糯米饭' };
const occasions = {
  items: [
    ...DEFAULT_OCCASIONS.map((o) => ({
      ...o,
      source: 'builtin',
      rule: past.occasions[o.occasion],
      next: null,
    })),
    {
      occasion: 'sanyuesan',
      name: '三月三',
      calendar: 'lunar',
      month: 3,
      day: 3,
      audience: 'all',
      source: 'custom',
      rule: sanyuesanRule,
      next: null,
    },
  ],
};

const settingsApi = () =>
  fakeApi((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'PUT') return { status: 200, body: {} };
    if (path.endsWith('/care/policy')) return { status: 200, body: policyAnswer };
    if (path.endsWith('/care/occasions')) return { status: 200, body: occasions };
    return { status: 404, body: { message: 'Not Found' } };
  });

const inputValue = (w: VueWrapper, selector: string) => (w.find(selector).element as HTMLInputElement).value;

describe('the policy versions page', () => {
  it('shows the past read-only with "add a later version", and a scheduled version as changeable', async () => {
    signInAs('C1', ['chair']);
    settingsApi();
    const { wrapper } = await mountWithApp(PolicyPage, { path: '/admin/care/settings' });
    await flushPromises();
    expect(wrapper.find('[data-testid=policy-rules]').text()).toContain(
      '今天（2026-12-06）以前生效的版本已经用于发放，不能修改',
    );
    const cards = wrapper.findAll('[data-version]');
    expect(cards.map((c) => [c.attributes('data-version'), c.attributes('data-state')])).toEqual([
      ['2027-03-01', 'scheduled'],
      ['2026-01-01', 'in_force'],
    ]);
    const next = cards[0]!;
    const current = cards[1]!;
    expect(next.text()).toContain('待生效');
    expect(next.find('a[href*="edit=2027-03-01"]').text()).toBe('修改此版本');
    expect(next.find('[data-life=hospital]').text()).toBe('¥1,500.00');
    expect(current.text()).toContain('现行');
    expect(current.find('[data-testid=version-locked]').text()).toBe('已于 2026-01-01 生效，不可修改。');
    expect(current.find('a[href*="edit="]').exists()).toBe(false);
    expect(current.find('a[href="/admin/care/settings/policy/new"]').text()).toBe('新增更晚的版本');
    expect(current.find('[data-cap=holiday]').text()).toBe('¥1,800.00');
  });
});

describe('the policy version form', () => {
  it('is prefilled from the version in force, from the first of next month, and sends only what changed', async () => {
    signInAs('C1', ['chair']);
    const seen = settingsApi();
    const { wrapper, router } = await mountWithApp(PolicyFormPage, {
      path: '/admin/care/settings/policy/new',
    });
    await flushPromises();
    expect(inputValue(wrapper, '#policy-effective')).toBe('2027-01-01');
    expect(wrapper.find('[data-testid=policy-based-on]').text()).toContain('表单已按2026-01-01 起的版本填好');
    expect(inputValue(wrapper, '#cap-holiday')).toBe('1800');
    expect(inputValue(wrapper, '#life-hospital')).toBe('1000');
    expect(inputValue(wrapper, '#occ-mid_autumn-amount')).toBe('300');
    expect(inputValue(wrapper, '#occ-sanyuesan-amount')).toBe('88');
    expect(inputValue(wrapper, '#occ-sanyuesan-gift')).toBe('五色糯米饭');

    await wrapper.find('#life-hospital').setValue('1200');
    await wrapper.find('#occ-mid_autumn-amount').setValue('350.5');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const put = seen.filter((r) => r.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toEqual({
      effectiveFrom: '2027-01-01',
      lifeEvents: { hospital: { amountFen: 120_000 } },
      occasions: { mid_autumn: { amountFen: 35_050 } },
    });
    expect(router.currentRoute.value.fullPath).toBe('/admin/care/settings?saved=2027-01-01');
  });

  it('refuses a date before today on the page, before asking the API; a bad amount next to its field', async () => {
    signInAs('C1', ['chair']);
    const seen = settingsApi();
    const { wrapper } = await mountWithApp(PolicyFormPage, { path: '/admin/care/settings/policy/new' });
    await flushPromises();
    await wrapper.find('#policy-effective').setValue('2026-11-01');
    // The message renders through Element's transition (its text is checked in Chromium: test/e2e/web).
    const dateItem = wrapper.findAll('.el-form-item').find((i) => i.text().includes('生效日期'))!;
    expect(dateItem.classes()).toContain('is-error');
    expect(wrapper.find('[data-testid=policy-based-on]').exists()).toBe(false);
    expect(wrapper.find('button[type=submit]').attributes('disabled')).toBeDefined();
    await wrapper.find('form').trigger('submit');
    await wrapper.find('#policy-effective').setValue('2027-01-01');
    await wrapper.find('#cap-life').setValue('六千');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(seen.filter((r) => r.method === 'PUT')).toEqual([]);
    const life = wrapper.findAll('.el-form-item').find((i) => i.text().includes('生活慰问上限'))!;
    expect(life.classes()).toContain('is-error');
  });

  it('follows another date to its own starting point, keeping what was typed', async () => {
    signInAs('C1', ['chair']);
    const seen = settingsApi();
    const { wrapper } = await mountWithApp(PolicyFormPage, { path: '/admin/care/settings/policy/new' });
    await flushPromises();
    await wrapper.find('#cap-birthday').setValue('400');
    // After the scheduled version of 1 March: its hospital amount (1,500) is the starting point now.
    await wrapper.find('#policy-effective').setValue('2027-04-01');
    await flushPromises();
    expect(wrapper.find('[data-testid=policy-based-on]').text()).toContain('2027-03-01 起的版本');
    expect(inputValue(wrapper, '#life-hospital')).toBe('1500');
    expect(inputValue(wrapper, '#cap-birthday')).toBe('400');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(seen.find((r) => r.method === 'PUT')!.body).toEqual({
      effectiveFrom: '2027-04-01',
      caps: { birthday: 40_000 },
    });
  });

  it('changes a scheduled version in place; a version in effect offers only a later one', async () => {
    signInAs('C1', ['chair']);
    let seen = settingsApi();
    let { wrapper } = await mountWithApp(PolicyFormPage, {
      path: '/admin/care/settings/policy/new?edit=2027-03-01',
    });
    await flushPromises();
    expect(wrapper.find('h1').text()).toBe('修改待生效的版本');
    expect(inputValue(wrapper, '#life-hospital')).toBe('1500');
    expect(wrapper.find('#policy-effective').attributes('readonly')).toBeDefined();
    await wrapper.find('#life-wedding').setValue('1100');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    // The base is the version before (1 January): the replaced version's own change is sent again.
    expect(seen.find((r) => r.method === 'PUT')!.body).toEqual({
      effectiveFrom: '2027-03-01',
      lifeEvents: { hospital: { amountFen: 150_000 }, wedding: { amountFen: 110_000 } },
    });
    wrapper.unmount();
    vi.unstubAllGlobals();

    seen = settingsApi();
    ({ wrapper } = await mountWithApp(PolicyFormPage, {
      path: '/admin/care/settings/policy/new?edit=2026-01-01',
    }));
    await flushPromises();
    expect(wrapper.find('[data-testid=policy-locked]').text()).toContain(
      '2026-01-01 起的版本已经生效，不可修改',
    );
    expect(wrapper.find('form').exists()).toBe(false);
    expect(wrapper.find('a[href="/admin/care/settings/policy/new"]').text()).toBe('新增更晚的版本');
    expect(seen.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});

describe('the form as data', () => {
  it('bases a date on the latest version before it, else the default', () => {
    expect(baseFor(policyAnswer, '2026-01-01')).toBe(DEFAULT_CARE_POLICY);
    expect(baseFor(policyAnswer, '2026-01-02').effectiveFrom).toBe('2026-01-01');
    expect(baseFor(policyAnswer, '2027-03-01').effectiveFrom).toBe('2026-01-01');
    expect(baseFor(policyAnswer, '2027-03-02').effectiveFrom).toBe('2027-03-01');
  });

  it('sends nothing but the date when nothing changed, and names what cannot be sent', () => {
    const keys = ['mid_autumn', 'sanyuesan'];
    const model = modelFrom(past, '2027-01-01', keys, { sanyuesan: sanyuesanRule });
    expect(policyChange(model, past, { sanyuesan: sanyuesanRule })).toEqual({
      body: { effectiveFrom: '2027-01-01' },
      errors: {},
    });
    model.occasions[1]!.gift = ' ';
    model.occasions[0]!.enabled = false;
    model.caps.holiday = '1.234';
    const { body, errors } = policyChange(model, past, { sanyuesan: sanyuesanRule });
    expect(errors).toEqual({ 'caps.holiday': 'amount', 'occasions.sanyuesan.gift': 'gift' });
    expect(body.occasions).toEqual({ mid_autumn: { enabled: false } });
  });

  it('rebases only what the user left alone', () => {
    const keys = ['mid_autumn'];
    const from = modelFrom(past, 'x', keys);
    const to = modelFrom(scheduled, 'x', keys);
    const mine = { ...from, caps: { ...from.caps, life: '7000' } };
    const next = rebase(mine, from, to);
    expect(next.caps.life).toBe('7000');
    expect(next.lifeEvents.hospital).toBe('1500');
  });
});
