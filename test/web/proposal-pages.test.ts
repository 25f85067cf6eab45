import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import { forbidden } from '../../web/src/app/router';
import ProposalFormPage from '../../web/src/proposals/pages/ProposalFormPage.vue';
import ProposalListPage from '../../web/src/proposals/pages/ProposalListPage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

const draft = {
  id: 'P1',
  number: null,
  session: '2026',
  state: 'draft',
  title: '原标题',
  content: '原内容',
  category: null,
  author: { id: 'T1' },
  seconders: [],
  review: null,
  assignment: null,
  answer: null,
  feedback: null,
  ratings: [],
  withdrawal: null,
  submittedAt: null,
  closedAt: null,
  version: 1,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
};

describe('the proposal form', () => {
  it('sends the ETag it was shown as If-Match, and keeps the typed text on a 412', async () => {
    signInAs('T1', ['delegate']);
    const seen = fakeApi((req) =>
      req.method === 'GET'
        ? { status: 200, body: draft, headers: { etag: '"v1"' } }
        : {
            status: 412,
            body: { message: '提案已被修改，请刷新后重试 / changed', version: 2, state: 'draft' },
          },
    );
    const { wrapper } = await mountWithApp(ProposalFormPage, {
      props: { id: 'P1' },
      path: '/proposals/P1/edit',
    });
    const content = wrapper.find('textarea#proposal-content');
    expect((content.element as HTMLTextAreaElement).value).toBe('原内容');
    await content.setValue('新内容，不能丢');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(patch.url).toMatch(/\/api\/proposals\/P1$/);
    expect(patch.headers.get('if-match')).toBe('"v1"');
    expect(patch.body).toEqual({ title: '原标题', content: '新内容，不能丢', category: null });
    expect(wrapper.text()).toContain('内容已被他人修改');
    expect((wrapper.find('textarea#proposal-content').element as HTMLTextAreaElement).value).toBe(
      '新内容，不能丢',
    );
  });

  it('shows a 400 next to the field it names', async () => {
    signInAs('T1', ['delegate']);
    fakeApi(() => ({
      status: 400,
      body: { message: '请求内容有误 / invalid', errors: [{ field: 'title', message: 'Invalid input' }] },
    }));
    const { wrapper } = await mountWithApp(ProposalFormPage, { path: '/proposals/new' });
    await wrapper.find('textarea#proposal-content').setValue('只有内容');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const titleItem = wrapper.findAll('.el-form-item').find((i) => i.text().includes('标题'))!;
    // The message itself renders through Element's transition (checked in Chromium: test/e2e/web).
    expect(titleItem.classes()).toContain('is-error');
    expect(wrapper.text()).toContain('请检查标出的字段');
    expect((wrapper.find('textarea#proposal-content').element as HTMLTextAreaElement).value).toBe('只有内容');
  });
});

describe('the proposals list and the router', () => {
  it('lists with the filters from the address, only mine when asked', async () => {
    signInAs('T1', ['delegate']);
    const seen = fakeApi(() => ({ status: 200, body: { items: [{ ...draft, state: 'submitted' }] } }));
    const { wrapper } = await mountWithApp(ProposalListPage, { path: '/proposals?state=submitted&mine=1' });
    expect(new URL(seen[0]!.url).searchParams.toString()).toBe('state=submitted&author=T1');
    expect(wrapper.text()).toContain('原标题');
    expect(wrapper.text()).toContain('征集附议中');
  });

  it('marks a page of other roles forbidden (the layout shows 403), and sends the signed-out to sign in', async () => {
    signInAs('T9', ['member']);
    fakeApi(() => ({ status: 200, body: { items: [] } }));
    const { router } = await mountWithApp(ProposalListPage, { path: '/' });
    await router.push('/proposals/review');
    expect(forbidden.roles).toEqual(['committee', 'chair']);
    await router.push('/me');
    expect(forbidden.roles).toBeNull();
    setAccessToken(null);
    await router.push('/proposals');
    expect(router.currentRoute.value.name).toBe('signin');
    expect(router.currentRoute.value.query.returnTo).toBe('/proposals');
  });
});
