/**
 * Family members on an activity: the input (rows up to the API's limit, each a place, the API's
 * errors next to the row they name, nothing typed lost) and the activity page that sends them
 * (`familyMembers`), shows the waiting position, and keeps the rows through a refusal.
 */
import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import type { FamilyMember } from '../../web/src/life/api';
import FamilyMembersInput from '../../web/src/life/components/FamilyMembersInput.vue';
import ActivityDetailPage from '../../web/src/life/pages/ActivityDetailPage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

/** The input with its v-model wired as a parent would: each update becomes the new prop. */
const mountInput = async (props: Record<string, unknown> = {}) => {
  const { wrapper } = await mountWithApp(FamilyMembersInput, {
    props: {
      modelValue: [],
      ...props,
      'onUpdate:modelValue': (v: FamilyMember[]) => wrapper.setProps({ modelValue: v }),
    },
  });
  return wrapper as VueWrapper;
};
const rows = (w: VueWrapper) => (w.props() as { modelValue: FamilyMember[] }).modelValue;
const add = (w: VueWrapper) => w.find('[data-testid=family-add]').trigger('click');

describe('the family members input', () => {
  it('adds rows up to the limit, counts a place for each, and removes the one asked', async () => {
    signInAs('T1', ['member']);
    const w = await mountInput({ max: 2 });
    expect(w.text()).toContain('不带家属时无需填写');
    expect(w.find('[data-testid=family-places]').text()).toBe('共 1 个名额（本人 1 + 家属 0）');
    await add(w);
    await w.find('input#family-name-0').setValue('李梅');
    w.findComponent(ElSelect).vm.$emit('update:modelValue', 'spouse');
    await flushPromises();
    await add(w);
    await w.find('input#family-name-1').setValue('王小明');
    expect(rows(w)).toEqual([
      { name: '李梅', relation: 'spouse' },
      { name: '王小明', relation: 'child' },
    ]);
    expect(w.find('[data-testid=family-places]').text()).toBe('共 3 个名额（本人 1 + 家属 2）');
    // At the limit: no third row, and the page says why.
    expect(w.find('[data-testid=family-add]').attributes('disabled')).toBeDefined();
    await add(w);
    expect(rows(w)).toHaveLength(2);
    expect(w.text()).toContain('最多 2 位家属');
    // Every control is labelled, per row.
    expect(w.find('label[for=family-name-1]').text()).toBe('家属 2 姓名');
    expect(w.find('label[for=family-relation-0]').text()).toBe('家属 1 关系');
    await w.find('button[aria-label="删除家属 1"]').trigger('click');
    expect(rows(w)).toEqual([{ name: '王小明', relation: 'child' }]);
    expect((w.find('input#family-name-0').element as HTMLInputElement).value).toBe('王小明');
  });

  it('puts the API’s errors next to the row and input they name; an empty name is simply required', async () => {
    signInAs('T1', ['member']);
    const w = await mountInput({
      modelValue: [
        { name: '', relation: 'child' },
        { name: '李梅', relation: 'spouse' },
      ],
      errors: {
        'familyMembers.0.name': 'Invalid input',
        'familyMembers.1.relation': 'Invalid option: expected one of "spouse"|"child"',
      },
    });
    const items = w.findAll('.el-form-item');
    expect(items[0]!.classes()).toContain('is-error');
    expect(items[1]!.classes()).not.toContain('is-error');
    expect(items[3]!.classes()).toContain('is-error');
    const vm = w.vm as unknown as { $: { setupState: { errorOf: (i: number, k: string) => string } } };
    expect(vm.$.setupState.errorOf(0, 'name')).toBe('必填，不能为空');
    expect(vm.$.setupState.errorOf(1, 'relation')).toBe('请选择一个有效的选项');
    // An error about the list as a whole (family on a members-only activity) is said once, in the language.
    await w.setProps({ errors: { familyMembers: '该活动不可携带家属 / members only' } });
    expect(w.find('.gh-family-error').text()).toBe('该活动不可携带家属');
  });
});

const activity = {
  id: 'A1',
  title: '亲子运动会',
  kind: 'family_sports',
  description: null,
  date: '2099-05-10',
  place: '东区田径场',
  capacity: 2,
  opensOn: '2000-01-01',
  closesOn: '2099-05-01',
  eligibility: 'members_with_family',
  branch: null,
  taken: 1,
  free: 1,
  waiting: 0,
  createdBy: 'OF1',
  createdAt: '2026-12-01T00:00:00Z',
  mine: null,
};
const waitingMine = {
  status: 'waiting',
  family: 1,
  familyMembers: [{ name: '李梅', relation: 'spouse' }],
  places: 2,
  registeredAt: '2026-12-06T02:00:00Z',
  confirmedAt: null,
  promoted: false,
  position: 3,
};

describe('the activity page', () => {
  it('warns that two places will not fit, sends the family by name, and shows the waiting position', async () => {
    signInAs('T1', ['member']);
    let registered = false;
    const seen = fakeApi((req) => {
      if (req.method === 'POST') {
        registered = true;
        return { status: 201, body: waitingMine };
      }
      return { status: 200, body: registered ? { ...activity, waiting: 3, mine: waitingMine } : activity };
    });
    const { wrapper } = await mountWithApp(ActivityDetailPage, {
      props: { id: 'A1' },
      path: '/life/activities/A1',
    });
    expect(wrapper.find('[data-testid=my-status]').attributes('data-status')).toBe('none');
    await wrapper.find('[data-testid=family-add]').trigger('click');
    await wrapper.find('input#family-name-0').setValue('李梅');
    wrapper.findComponent(ElSelect).vm.$emit('update:modelValue', 'spouse');
    await flushPromises();
    // One place free, two asked: the page says so before the member tries.
    expect(wrapper.text()).toContain('名额已不足');
    expect(wrapper.find('button[type=submit]').text()).toBe('报名（进入候补）');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const post = seen.find((r) => r.method === 'POST')!;
    expect(post.url).toMatch(/\/api\/activities\/A1\/register$/);
    expect(post.body).toEqual({ familyMembers: [{ name: '李梅', relation: 'spouse' }] });
    expect(wrapper.find('[data-testid=my-position]').text()).toBe('候补第 3 位');
    expect(wrapper.text()).toContain('李梅（配偶）');
    expect(wrapper.text()).toContain('您已进入候补，第 3 位');
  });

  it('keeps the family rows as typed through a 400 and a 409', async () => {
    signInAs('T1', ['member']);
    let attempt = 0;
    fakeApi((req) => {
      if (req.method === 'GET') return { status: 200, body: activity };
      attempt++;
      return attempt === 1
        ? {
            status: 400,
            body: {
              message: '请求内容有误 / invalid',
              errors: [{ field: 'familyMembers.0.name', message: 'Invalid input' }],
            },
          }
        : { status: 409, body: { message: '报名已截止（2026-12-01） / Registration closed on 2026-12-01' } };
    });
    const { wrapper } = await mountWithApp(ActivityDetailPage, {
      props: { id: 'A1' },
      path: '/life/activities/A1',
    });
    await wrapper.find('[data-testid=family-add]').trigger('click');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('.gh-family-name').classes()).toContain('is-error');
    await wrapper.find('input#family-name-0').setValue('李梅');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).toContain('当前状态不允许此操作');
    expect(wrapper.text()).toContain('报名已截止（2026-12-01）');
    expect((wrapper.find('input#family-name-0').element as HTMLInputElement).value).toBe('李梅');
  });

  it('lets a confirmed member cancel, and says when they were promoted from the waiting list', async () => {
    signInAs('T1', ['member']);
    let cancelled = false;
    const confirmed = { ...waitingMine, status: 'confirmed', position: undefined, promoted: true };
    const seen = fakeApi((req) => {
      if (req.method === 'POST') {
        cancelled = true;
        return { status: 200, body: { status: 'cancelled', promoted: 0 } };
      }
      return { status: 200, body: { ...activity, mine: cancelled ? null : confirmed } };
    });
    const { wrapper } = await mountWithApp(ActivityDetailPage, {
      props: { id: 'A1' },
      path: '/life/activities/A1',
    });
    expect(wrapper.find('[data-testid=my-status]').attributes('data-status')).toBe('confirmed');
    expect(wrapper.text()).toContain('已由候补转为正式报名');
    await wrapper.find('[data-testid=cancel]').trigger('click');
    await flushPromises();
    expect(seen.find((r) => r.method === 'POST')!.url).toMatch(/\/activities\/A1\/cancel$/);
    expect(wrapper.find('[data-testid=my-status]').attributes('data-status')).toBe('none');
    expect(wrapper.text()).toContain('已取消报名');
  });
});
