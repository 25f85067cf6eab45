/**
 * Awards on the page: the results with a tie at the cut-off called out by name, a second vote
 * refused (409) and said so, the shortlist the committee ticks sent as it was ticked.
 */
import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../../web/src/app/auth/session';
import AwardDetailPage from '../../web/src/life/pages/AwardDetailPage.vue';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

const award = (phase: string, over: Record<string, unknown> = {}) => ({
  id: 'W1',
  title: '最美家庭',
  kind: 'most_beautiful_family',
  description: null,
  nominationOpensOn: '2026-11-01',
  nominationClosesOn: '2026-11-10',
  votingOpensOn: '2026-11-15',
  votingClosesOn: '2026-11-20',
  places: 1,
  phase,
  shortlistedAt: '2026-11-12T00:00:00Z',
  createdAt: '2026-10-30T00:00:00Z',
  shortlist: [
    {
      nominationId: 'N1',
      employeeId: 'N1',
      name: '周婷',
      branch: 'B',
      branchName: '生活分工会',
      citation: '热心公益',
    },
    {
      nominationId: 'N2',
      employeeId: 'N2',
      name: '吴刚',
      branch: 'B',
      branchName: '生活分工会',
      citation: '家庭和睦',
    },
    {
      nominationId: 'N3',
      employeeId: 'N3',
      name: '郑爽',
      branch: 'B',
      branchName: '生活分工会',
      citation: '孝老爱亲',
    },
  ],
  voted: false,
  ...over,
});
const row = (id: string, name: string, votes: number, rank: number, awarded: boolean) => ({
  nominationId: id,
  employeeId: id,
  name,
  branch: 'B',
  votes,
  rank,
  awarded,
});

describe('an award’s results', () => {
  it('calls out a tie at the cut-off, naming the tied, and marks their rows', async () => {
    signInAs('T1', ['member']);
    const seen = fakeApi((req) =>
      req.url.endsWith('/results')
        ? {
            status: 200,
            body: {
              award: award('counting_closed'),
              totalVotes: 4,
              results: [
                row('N1', '周婷', 2, 1, true),
                row('N2', '吴刚', 2, 1, true),
                row('N3', '郑爽', 0, 3, false),
              ],
              awarded: 2,
              tieAtCutoff: true,
            },
          }
        : { status: 200, body: award('counting_closed') },
    );
    const { wrapper } = await mountWithApp(AwardDetailPage, { props: { id: 'W1' }, path: '/life/awards/W1' });
    const tie = wrapper.find('[data-testid=tie-at-cutoff]');
    expect(tie.text()).toContain('第 1 名出现并列');
    expect(tie.text()).toContain('周婷、吴刚 同为 2 票');
    expect(tie.text()).toContain('比名额 1 个多 1 人');
    expect(wrapper.find('[data-row=N1]').text()).toContain('并列');
    expect(wrapper.find('[data-row=N3]').text()).not.toContain('并列');
    expect(wrapper.find('[data-row=N3]').text()).toContain('第 3 名');
    expect(wrapper.find('[data-testid=results-summary]').text()).toBe('共 4 票；评选名额 1 个，获评 2 人。');
    // A member reads no nominations list (that is the committee's and the branches').
    expect(seen.some((r) => r.url.endsWith('/nominations'))).toBe(false);
    // The table has a caption and column headers (cards on a phone keep each cell's name).
    expect(wrapper.find('caption').text()).toContain('按得票排序');
    expect(wrapper.find('[data-row=N1] td[data-col=votes]').attributes('data-label')).toBe('得票');
  });

  it('says nothing of a tie when there is none', async () => {
    signInAs('T1', ['member']);
    fakeApi((req) =>
      req.url.endsWith('/results')
        ? {
            status: 200,
            body: {
              award: award('counting_closed'),
              totalVotes: 3,
              results: [row('N1', '周婷', 2, 1, true), row('N2', '吴刚', 1, 2, false)],
              awarded: 1,
              tieAtCutoff: false,
            },
          }
        : { status: 200, body: award('counting_closed') },
    );
    const { wrapper } = await mountWithApp(AwardDetailPage, { props: { id: 'W1' }, path: '/life/awards/W1' });
    expect(wrapper.find('[data-testid=tie-at-cutoff]').exists()).toBe(false);
    expect(wrapper.find('[data-row=N1]').text()).toContain('获评');
  });
});

describe('voting', () => {
  it('sends the ballot once, and shows a 409 (voted elsewhere) plainly, then the voted state', async () => {
    signInAs('T1', ['member']);
    let voted = false;
    const seen = fakeApi((req) => {
      if (req.method === 'POST') {
        voted = true;
        return { status: 409, body: { message: '您已投票 / You have voted already' } };
      }
      return { status: 200, body: award('voting', { voted }) };
    });
    const { wrapper } = await mountWithApp(AwardDetailPage, { props: { id: 'W1' }, path: '/life/awards/W1' });
    const submit = wrapper.find('[data-testid=vote-form] button[type=submit]');
    expect(submit.attributes('disabled')).toBeDefined();
    await wrapper.find('input[type=radio][value=N2]').setValue(true);
    expect(wrapper.find('[data-testid=vote-form] button[type=submit]').text()).toBe('投票给 吴刚');
    await wrapper.find('[data-testid=vote-form]').trigger('submit');
    await flushPromises();
    expect(seen.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ nominationId: 'N2' }]);
    const alert = wrapper.find('[role=alert]');
    expect(alert.text()).toContain('当前状态不允许此操作');
    expect(alert.text()).toContain('您已投票');
    await alert.find('button').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid=voted]').text()).toContain('您已投票');
    expect(wrapper.find('[data-testid=vote-form]').exists()).toBe(false);
  });
});

describe('shortlisting', () => {
  it('sends the nominations the committee ticked', async () => {
    signInAs('CM1', ['committee']);
    const nominations = ['N1', 'N2', 'N3'].map((id, i) => ({
      ...award('shortlisting').shortlist[i]!,
      shortlisted: id === 'N1',
      nominatedBy: 'OF1',
    }));
    const seen = fakeApi((req) => {
      if (req.method === 'POST') return { status: 200, body: { shortlisted: 2, changed: 1 } };
      if (req.url.endsWith('/nominations')) return { status: 200, body: { items: nominations } };
      return { status: 200, body: award('shortlisting', { shortlist: [], shortlistedAt: null }) };
    });
    const { wrapper } = await mountWithApp(AwardDetailPage, { props: { id: 'W1' }, path: '/life/awards/W1' });
    const boxes = wrapper.findAll('[data-testid=nominations] input[type=checkbox]');
    expect(boxes).toHaveLength(3);
    // Each box is named after its nominee (its label: the name, hidden on screen, then 入围).
    expect(wrapper.findAll('[data-testid=nominations] label.el-checkbox')[0]!.text()).toBe('周婷 入围');
    expect((boxes[0]!.element as HTMLInputElement).checked).toBe(true);
    await boxes[2]!.setValue(true);
    expect(wrapper.find('[data-testid=save-shortlist]').text()).toBe('保存候选名单（2 人）');
    await wrapper.find('[data-testid=save-shortlist]').trigger('click');
    await flushPromises();
    expect(seen.find((r) => r.method === 'POST')!.body).toEqual({ nominationIds: ['N1', 'N3'] });
    expect(wrapper.text()).toContain('已保存候选名单，共 2 人');
  });
});
