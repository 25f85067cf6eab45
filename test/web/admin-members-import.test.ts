/**
 * The import page against a fake API: the chosen file is previewed, sent in chunks of at most
 * 25 rows with each row's line, a chunk that fails stops the run with the lines not sent, resuming
 * sends them, and the result table shows every row or only the refused ones with their reasons.
 */
import { enableAutoUnmount, flushPromises, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ImportResults from '../../web/src/admin-members/components/ImportResults.vue';
import { IMPORT_COLUMNS } from '../../web/src/admin-members/import/csv';
import type { RowResult } from '../../web/src/admin-members/import/run';
import ImportPage from '../../web/src/admin-members/pages/ImportPage.vue';
import { setAccessToken } from '../../web/src/app/auth/session';
import { fakeApi, mountWithApp, signInAs } from './support';

enableAutoUnmount(afterEach);
afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

/** 120 data rows; line 10's email is bad (the fake API refuses it). */
const csv = () => {
  const lines = [IMPORT_COLUMNS.join(',')];
  for (let i = 0; i < 120; i++)
    lines.push(
      [
        `T${i}`,
        `姓名${i}`,
        'male',
        '1990-01-01',
        i === 8 ? 'bad' : `t${i}@example.edu.cn`,
        '',
        'CS',
        '计算机学院',
        '',
        'teaching',
        'permanent',
        '2019-09-01',
      ].join(','),
    );
  return `\uFEFF${lines.join('\n')}\n`;
};

type Sent = { line: number; employeeId: string; email: string };

/** The import as the API answers it: the bad email refused, the others enrolled (or already members). */
const answerFor = (rows: Sent[], known: Set<string>) => {
  const results = rows.map((r) => {
    if (r.email === 'bad')
      return {
        line: r.line,
        employeeId: r.employeeId,
        outcome: 'rejected',
        reasons: [{ field: 'email', message: '不是有效的电子邮箱 / Not an email address' }],
      };
    const already = known.has(r.employeeId);
    known.add(r.employeeId);
    return already
      ? {
          line: r.line,
          employeeId: r.employeeId,
          outcome: 'already_member',
          memberId: `M${r.line}`,
          membershipNumber: `GLU-${r.line}`,
          status: 'active',
          branch: null,
        }
      : {
          line: r.line,
          employeeId: r.employeeId,
          outcome: 'enrolled',
          memberId: `M${r.line}`,
          membershipNumber: `GLU-${r.line}`,
          branch: { code: 'B', name: '分工会' },
          branchAssignedByDefault: false,
        };
  });
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return {
    rows: rows.length,
    enrolled: count('enrolled'),
    alreadyMembers: count('already_member'),
    rejected: count('rejected'),
    results,
  };
};

const chooseFile = async (wrapper: VueWrapper, text: string) => {
  const input = wrapper.find('input#import-file');
  const file = new File([text], 'staff.csv', { type: 'text/csv' });
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await vi.waitFor(() => expect(wrapper.find('[data-testid=import-preview]').exists()).toBe(true));
  await flushPromises();
};

const settle = async (wrapper: VueWrapper, testid: string) => {
  await vi.waitFor(() => expect(wrapper.find(`[data-testid=${testid}]`).exists()).toBe(true));
  await flushPromises();
};

const totals = (wrapper: VueWrapper) =>
  ['enrolled', 'already', 'rejected'].map((k) => Number(wrapper.find(`[data-total=${k}] dd`).text()));

describe('the import page', () => {
  it('sends the file in chunks with each row’s line, stops at a failed chunk, and resumes there', async () => {
    signInAs('O1', ['officer'], { branch: 'B' });
    const known = new Set<string>();
    let failures = 1;
    const seen = fakeApi(async (req) => {
      const body = (await req.clone().json()) as { rows: Sent[] };
      if (body.rows[0]?.line === 52 && failures-- > 0)
        return { status: 502, body: { message: 'Bad Gateway' } };
      return { status: 200, body: answerFor(body.rows, known) };
    });
    const { wrapper } = await mountWithApp(ImportPage, { path: '/admin/members/import' });
    await chooseFile(wrapper, csv());
    expect(wrapper.find('[data-testid=import-preview]').text()).toContain('staff.csv：120 行待导入');
    expect(seen).toEqual([]);

    await wrapper.find('[data-testid=start-import] ').trigger('click');
    await settle(wrapper, 'import-stopped');
    expect(wrapper.find('[data-testid=import-stopped]').text()).toContain('第 52–121 行（共 70 行）尚未发送');
    expect(wrapper.find('[data-testid=import-progress]').text()).toContain('已处理 50 / 120 行');
    expect(totals(wrapper)).toEqual([49, 0, 1]);

    await wrapper.find('[data-testid=resume-import]').trigger('click');
    await vi.waitFor(() => expect(wrapper.text()).toContain('导入完成'));
    await flushPromises();
    const posts = seen.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.url.endsWith('/api/members/import'))).toBe(true);
    const chunks = posts.map((r) => (r.body as { rows: Sent[] }).rows.map((x) => x.line));
    expect(chunks.map((c) => [c[0], c.length])).toEqual([
      [2, 25],
      [27, 25],
      [52, 25],
      [52, 25],
      [77, 25],
      [102, 20],
    ]);
    // Every line of the file, once each, in the chunks that were answered.
    expect(chunks.filter((_, i) => i !== 2).flat()).toEqual(Array.from({ length: 120 }, (_, i) => i + 2));
    expect(totals(wrapper)).toEqual([119, 0, 1]);
    expect(wrapper.findAll('[data-testid=import-results] tbody tr')).toHaveLength(100);

    // The same file again: already members, nothing enrolled.
    await wrapper.find('[data-testid=import-again]').trigger('click');
    await vi.waitFor(() => expect(totals(wrapper)).toEqual([0, 119, 1]));
  });

  it('says which columns a file lacks and sends nothing', async () => {
    signInAs('A1', ['admin']);
    const seen = fakeApi(() => ({ status: 500 }));
    const { wrapper } = await mountWithApp(ImportPage, { path: '/admin/members/import' });
    await chooseFile(wrapper, '工号,姓名\nT1,张三\n');
    expect(wrapper.find('[data-testid=import-preview]').text()).toContain('文件缺少这些列：');
    expect(wrapper.find('[data-testid=start-import]').exists()).toBe(false);
    expect(seen).toEqual([]);
  });
});

describe('the result table', () => {
  const results: RowResult[] = [
    {
      line: 2,
      employeeId: 'T1',
      outcome: 'enrolled',
      memberId: 'M1',
      membershipNumber: 'GLU-2026-000001',
      branch: { code: 'B', name: '分工会' },
      branchAssignedByDefault: true,
    },
    {
      line: 3,
      employeeId: 'T2',
      outcome: 'already_member',
      memberId: 'M2',
      membershipNumber: 'GLU-2025-000007',
      status: 'retired',
      branch: null,
    },
    {
      line: 5,
      employeeId: 'T3',
      outcome: 'rejected',
      reasons: [
        { field: 'gender', message: '应为 female、male 之一 / One of: female, male' },
        { field: 'birthDate', message: 'Invalid input' },
      ],
    },
    {
      line: 9,
      employeeId: 'T1',
      outcome: 'rejected',
      local: true,
      reasons: [{ field: 'employeeId', message: '与第 2 行重复 / repeats line 2' }],
    },
  ];

  it('shows every row by line, and the refused ones only with their reasons by column', async () => {
    const { wrapper } = await mountWithApp(ImportResults, { props: { results } });
    const lines = () => wrapper.findAll('tbody tr').map((tr) => tr.find('[data-col=line]').text());
    expect(lines()).toEqual(['2', '3', '5', '9']);
    const text = wrapper.text();
    expect(text).toContain('GLU-2026-000001');
    expect(text).toContain('部门未对应，暂归校工会直属');
    expect(text).toContain('退休');

    await wrapper.find('[data-testid=only-rejected] input').setValue(true);
    expect(lines()).toEqual(['5', '9']);
    const reasons = wrapper.findAll('tbody tr').map((tr) => tr.find('[data-col=detail]').text());
    expect(reasons[0]).toContain('性别：应为 female、male 之一');
    expect(reasons[0]).toContain('出生日期：格式或长度不符合要求');
    expect(reasons[1]).toContain('工号：与第 2 行重复');
    expect(reasons[1]).toContain('（本地检查）');
  });
});
