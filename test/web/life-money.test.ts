/**
 * Money on the union-life pages: yuan in, yuan out, never fen and never floating point. The
 * formatter and the parser, the fee input's hint, the chair's window form (what it sends, what a
 * refusal leaves), and the member's page (the fee, my choice, changing my mind).
 */
import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import { formatYuan, parseYuan, yuanFromFen } from '../../web/src/app/money';
import YuanInput from '../../web/src/life/components/YuanInput.vue';
import { windowState } from '../../web/src/life/format';
import MutualAidManagePage from '../../web/src/life/pages/MutualAidManagePage.vue';
import MutualAidPage from '../../web/src/life/pages/MutualAidPage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

describe('yuan', () => {
  it('formats the API’s yuan text with two decimals and grouped thousands, in each language', () => {
    expect(formatYuan('30.5')).toBe('30.50 元');
    expect(formatYuan('30')).toBe('30.00 元');
    expect(formatYuan('0.05')).toBe('0.05 元');
    expect(formatYuan('1234567.8')).toBe('1,234,567.80 元');
    expect(formatYuan('30.50', 'en')).toBe('¥30.50');
    // Not an amount: nothing, rather than a wrong figure.
    expect(formatYuan('3050 fen')).toBe('');
    expect(formatYuan('')).toBe('');
  });

  it('reads what people type as yuan: full-width digits, a 元 or ¥, separators; refuses more than two decimals', () => {
    expect(parseYuan('30.5')).toBe('30.5');
    expect(parseYuan(' ３０．５ ')).toBe('30.5');
    expect(parseYuan('30元')).toBe('30');
    expect(parseYuan('￥1,200.00')).toBe('1200.00');
    expect(parseYuan('30.555')).toBeNull();
    expect(parseYuan('-5')).toBeNull();
    expect(parseYuan('三十')).toBeNull();
    expect(parseYuan('')).toBeNull();
    // The sum a float would get wrong stays exact: 0.1 + 0.2 is typed, not added.
    expect(formatYuan(parseYuan('0.30')!)).toBe('0.30 元');
  });

  it('turns the ledger’s fen into yuan without floating point', () => {
    expect(yuanFromFen(3050)).toBe('30.50');
    expect(yuanFromFen(5)).toBe('0.05');
    expect(yuanFromFen(0)).toBe('0.00');
    expect(yuanFromFen(220000)).toBe('2200.00');
    expect(formatYuan(yuanFromFen(220000))).toBe('2,200.00 元');
  });

  it('tells today’s place in a window, both days included', () => {
    const w = { opensOn: '2026-12-01', closesOn: '2026-12-10' };
    expect(windowState(w, '2026-11-30')).toBe('not_open');
    expect(windowState(w, '2026-12-01')).toBe('open');
    expect(windowState(w, '2026-12-10')).toBe('open');
    expect(windowState(w, '2026-12-11')).toBe('closed');
  });
});

describe('the fee input', () => {
  it('shows what will be saved, or why it cannot be, under the box', async () => {
    signInAs('C1', ['chair']);
    const { wrapper } = await mountWithApp(YuanInput, {
      props: {
        modelValue: '',
        id: 'fee',
        'onUpdate:modelValue': (v: string) => wrapper.setProps({ modelValue: v }),
      },
    });
    const w = wrapper as VueWrapper;
    const hint = () => w.find('[data-testid=yuan-hint]').text();
    expect(hint()).toBe('以元为单位，最多两位小数，如 30 或 30.50');
    expect(w.find('input#fee').attributes('aria-describedby')).toBe('fee-hint');
    await w.find('input#fee').setValue('３０．５');
    expect(hint()).toBe('即每人 30.50 元');
    await w.find('input#fee').setValue('30.555');
    expect(hint()).toBe('请输入金额（元），最多两位小数');
    expect(w.find('[data-testid=yuan-hint]').classes()).toContain('invalid');
    expect(w.text()).toContain('元');
    expect(w.text()).not.toContain('分');
  });
});

const window2071 = {
  year: 2071,
  opensOn: '2071-01-01',
  closesOn: '2071-01-31',
  feeYuan: '30.50',
  reminderDaysBefore: [7, 1],
  state: 'open',
  mine: null,
};

describe('the chair’s mutual-aid window', () => {
  it('opens a year with the fee as the API reads yuan, and shows it back in yuan', async () => {
    signInAs('C1', ['chair']);
    let opened = false;
    const seen = fakeApi((req) => {
      if (req.method === 'PUT') {
        opened = true;
        return { status: 200, body: { ...window2071, mine: undefined } };
      }
      return opened ? { status: 200, body: window2071 } : { status: 404, body: { message: '无 / none' } };
    });
    const { wrapper } = await mountWithApp(MutualAidManagePage, {
      path: '/life/manage/mutual-aid?year=2071',
    });
    expect(wrapper.find('[data-testid=no-window]').text()).toBe('2071 年度尚未开放登记。');
    await wrapper.find('input#window-opens').setValue('2071-01-01');
    await wrapper.find('input#window-closes').setValue('2071-01-31');
    await wrapper.find('input#window-fee').setValue('３０．５元');
    await wrapper.find('input#window-reminders').setValue('7，1');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.url).toMatch(/\/api\/mutual-aid\/2071$/);
    expect(put.body).toEqual({
      opensOn: '2071-01-01',
      closesOn: '2071-01-31',
      feeYuan: '30.5',
      reminderDaysBefore: [7, 1],
    });
    expect(wrapper.find('[data-testid=current-fee]').text()).toBe('每人 30.50 元');
    expect(wrapper.text()).toContain('已保存 2071 年度的登记设置，每人 30.50 元');
  });

  it('keeps the typed fee through a 400 (next to its field) and offers no form once the window has closed', async () => {
    signInAs('C1', ['chair']);
    let closed = false;
    fakeApi((req) => {
      if (req.method === 'PUT')
        return {
          status: 400,
          body: {
            message: '请求内容有误 / invalid',
            errors: [{ field: 'feeYuan', message: '请填写大于 0 的金额（元），最多两位小数 / yuan' }],
          },
        };
      return { status: 200, body: closed ? { ...window2071, state: 'closed' } : window2071 };
    });
    const { wrapper, router } = await mountWithApp(MutualAidManagePage, {
      path: '/life/manage/mutual-aid?year=2071',
    });
    expect((wrapper.find('input#window-fee').element as HTMLInputElement).value).toBe('30.50');
    await wrapper.find('input#window-fee').setValue('0');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const fee = wrapper.findAll('.el-form-item').find((i) => i.text().includes('每人费用'))!;
    expect(fee.classes()).toContain('is-error');
    expect((wrapper.find('input#window-fee').element as HTMLInputElement).value).toBe('0');
    closed = true;
    await router.push('/life/manage/mutual-aid?year=2072');
    await router.push('/life/manage/mutual-aid?year=2071');
    await flushPromises();
    expect(wrapper.find('[data-testid=window-form]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=closed-note]').text()).toContain('不能再修改');
    expect(wrapper.find('[data-testid=download-enrolled]').exists()).toBe(true);
  });
});

describe('the member’s mutual aid', () => {
  it('shows the fee in yuan, opts in, and changes the member’s mind', async () => {
    signInAs('T1', ['member']);
    let mine: { enrol: boolean; decidedAt: string; changes: number } | null = null;
    const seen = fakeApi((req) => {
      if (req.method === 'POST') {
        return { status: 200, body: mine };
      }
      return { status: 200, body: { ...window2071, mine } };
    });
    const { wrapper } = await mountWithApp(MutualAidPage, { path: '/life/mutual-aid?year=2071' });
    expect(wrapper.find('[data-testid=fee]').text()).toBe('每人 30.50 元');
    expect(wrapper.find('[data-testid=my-choice]').attributes('data-choice')).toBe('none');
    expect(wrapper.find('[data-testid=opt-in]').text()).toBe('参加（30.50 元）');
    mine = { enrol: true, decidedAt: '2071-01-02T02:00:00Z', changes: 1 };
    await wrapper.find('[data-testid=opt-in]').trigger('click');
    await flushPromises();
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ enrol: true }]);
    expect(wrapper.find('[data-testid=my-choice]').attributes('data-choice')).toBe('in');
    expect(wrapper.find('[data-testid=opt-in]').exists()).toBe(false);
    mine = { enrol: false, decidedAt: '2071-01-03T02:00:00Z', changes: 2 };
    await wrapper.find('[data-testid=opt-out]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=my-choice]').attributes('data-choice')).toBe('out');
    expect(wrapper.find('[data-testid=my-choice]').text()).toContain('已更改 1 次');
    expect(wrapper.text()).not.toMatch(/3050|分/);
  });

  it('says when no window is open for the year instead of an error', async () => {
    signInAs('T1', ['member']);
    fakeApi(() => ({ status: 404, body: { message: '该年度未开放医疗互助登记 / none' } }));
    const { wrapper } = await mountWithApp(MutualAidPage, { path: '/life/mutual-aid?year=2071' });
    expect(wrapper.text()).toContain('2071 年度尚未开放医疗互助登记');
    expect(wrapper.find('[role=alert]').exists()).toBe(false);
  });
});
