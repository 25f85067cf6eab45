import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { ApiError, fieldMessageIn, messageIn } from '../../web/src/app/api/errors';
import { areas } from '../../web/src/app/areas';
import { hasAnyRole, principalFromAccessToken } from '../../web/src/app/auth/roles';
import { session, setAccessToken } from '../../web/src/app/auth/session';
import ApiErrorAlert from '../../web/src/app/components/ApiErrorAlert.vue';
import AsyncState from '../../web/src/app/components/AsyncState.vue';
import { useApiForm } from '../../web/src/app/components/useApiForm';
import { createAppI18n } from '../../web/src/app/i18n';
import { getMyMembership } from '../../web/src/members/api';
import { fakeApi, fakeToken } from './support';

const i18n = () => createAppI18n(areas, 'zh-CN');
afterEach(() => vi.unstubAllGlobals());

describe('ApiErrorAlert', () => {
  const show = (error: unknown, props: Record<string, unknown> = {}) =>
    mount(ApiErrorAlert, { props: { error, ...props }, global: { plugins: [i18n()] } });

  it('shows a 409 with the current state, named by the page', () => {
    const w = show(new ApiError(409, { message: '当前状态不允许此操作 / not allowed', state: 'submitted' }), {
      stateLabel: (s: string) => `«${s}»`,
    });
    expect(w.text()).toContain('当前状态不允许此操作');
    expect(w.text()).toContain('当前状态：«submitted»');
  });

  it('offers a reload on 412 and emits it', async () => {
    const w = show(new ApiError(412, { message: '提案已被修改，请刷新后重试 / changed' }));
    expect(w.text()).toContain('内容已被他人修改');
    await w.get('button').trigger('click');
    expect(w.emitted('reload')).toHaveLength(1);
  });

  it('lists the failing fields the form does not show, in Chinese', () => {
    const w = show(
      new ApiError(400, {
        message: '请求内容有误 / invalid',
        errors: [
          { field: 'title', message: 'Invalid input' },
          { field: 'dueDate', message: 'Invalid input' },
        ],
      }),
      { shownFields: ['title'] },
    );
    expect(w.text()).toContain('请检查标出的字段');
    expect(w.findAll('li').map((li) => li.text())).toEqual(['dueDate: 格式或长度不符合要求']);
  });

  it('says so when the server cannot be reached, and shows nothing without an error', () => {
    expect(show(new ApiError(0, { message: 'Failed to fetch' })).text()).toContain('无法连接服务器');
    expect(show(null).text()).toBe('');
  });
});

describe('AsyncState', () => {
  const render = (props: { loading: boolean; error?: unknown; empty?: boolean }) =>
    mount(AsyncState, { props, slots: { default: () => h('p', 'content') }, global: { plugins: [i18n()] } });
  it('shows loading, then the error with a retry, then empty, then the content', async () => {
    expect(render({ loading: true }).find('[role=status]').exists()).toBe(true);
    const failed = render({ loading: false, error: new ApiError(500, {}) });
    expect(failed.text()).toContain('服务器出错');
    await failed.findAll('button').at(-1)!.trigger('click');
    expect(failed.emitted('retry')).toHaveLength(1);
    expect(render({ loading: false, empty: true }).text()).toContain('暂无内容');
    expect(render({ loading: false }).text()).toBe('content');
  });
});

describe('useApiForm', () => {
  it('keeps what was typed when a request fails, and names the failing fields', async () => {
    let form!: ReturnType<typeof useApiForm<{ title: string; content: string }>>;
    mount(
      defineComponent({
        setup() {
          form = useApiForm({ title: '', content: '' });
          return () => h('div');
        },
      }),
      { global: { plugins: [i18n()] } },
    );
    form.model.content = '我写的内容';
    const ok = await form.submit(async () => {
      throw new ApiError(400, { errors: [{ field: 'title', message: 'Invalid input' }] });
    });
    expect(ok).toBe(false);
    expect(form.model).toEqual({ title: '', content: '我写的内容' });
    expect(form.fieldError('title')).toBe('必填，不能为空');
    form.model.title = 'x'.repeat(300);
    expect(form.fieldError('title')).toBe('格式或长度不符合要求');
    await form.submit(async () => {
      throw new ApiError(412, { message: 'stale' });
    });
    expect(form.model.content).toBe('我写的内容');
    expect(await form.submit(async () => {})).toBe(true);
    expect(form.error.value).toBeNull();
    await flushPromises();
  });
});

describe('the API client', () => {
  it('sends the token, and a 401 marks the session expired (the layout then offers to sign in again)', async () => {
    setAccessToken(fakeToken({ sub: 'T1', groups: ['member'] }));
    const seen = fakeApi(() => ({ status: 401, body: { message: 'Unauthorized' } }));
    await expect(getMyMembership()).rejects.toMatchObject({ status: 401 });
    expect(seen[0]!.headers.get('authorization')).toMatch(/^Bearer /);
    expect(session.expired).toBe(true);
    setAccessToken(null);
  });
});

describe('roles and messages', () => {
  it('reads who the API will see from the access token, groups as an array or bracketed', () => {
    expect(
      principalFromAccessToken(fakeToken({ sub: 'T1', groups: ['delegate', 'bogus'], department: 'LOG' })),
    ).toEqual({ sub: 'T1', roles: ['delegate'], department: 'LOG' });
    expect(principalFromAccessToken(fakeToken({ sub: 'T2', groups: '[member chair]' }))?.roles).toEqual([
      'member',
      'chair',
    ]);
    expect(principalFromAccessToken('not a token')).toBeNull();
    expect(hasAnyRole({ roles: ['member'] }, ['committee', 'chair'])).toBe(false);
    expect(hasAnyRole({ roles: ['chair'] }, ['committee', 'chair'])).toBe(true);
  });

  it('picks the part of a bilingual message for the language', () => {
    expect(messageIn('提案不存在 / No such proposal', 'zh-CN')).toBe('提案不存在');
    expect(messageIn('提案不存在 / No such proposal', 'en')).toBe('No such proposal');
    expect(fieldMessageIn('Invalid input', 'en')).toBe('Check the format or length');
  });

  it('has every message in both languages, for the shell and every area', () => {
    const keys = (o: unknown, prefix = ''): string[] =>
      Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
      );
    const { messages } = i18n().global;
    const zh = keys(messages.value['zh-CN']).sort();
    expect(zh.length).toBeGreaterThan(100);
    expect(keys(messages.value.en).sort()).toEqual(zh);
  });
});
