/**
 * The reasons a refused row of the staff CSV gets: in both languages and in the file's terms
 * (what to put in the column), not the validator's "Invalid input". Pure logic: the rows here are
 * all refused before the repository is asked anything that matters (an empty in-memory one).
 */
import { describe, expect, it } from 'vitest';
import { type ImportRow, importMembers } from '../../../shared/domain/members/import-members.ts';

const deps = {
  repo: {
    load: async () => new Map(),
    branchesFor: async () => new Map(),
    lastMembershipSequence: async () => 0,
    readBatch: async () => ({ members: new Map(), branches: new Map(), counters: new Map() }),
    save: async () => 'saved' as const,
  },
  membershipPrefix: 'GLU',
  now: () => new Date('2026-08-25T02:00:00Z'),
  newId: () => 'x',
};
const admin = { sub: 'A1', roles: new Set(['admin'] as const) };

const good: ImportRow = {
  line: 2,
  employeeId: 'T1',
  name: '黄丽萍',
  gender: 'female',
  birthDate: '1990-05-01',
  email: 't1@example.edu.cn',
  departmentCode: 'CS',
  departmentName: '计算机学院',
  category: 'teaching',
  employmentType: 'permanent',
  hireDate: '2019-09-01',
};

const reasonsFor = async (row: Partial<ImportRow>) => {
  const out = await importMembers(admin, () => [{ ...good, ...row }], deps);
  const r = out.results[0]!;
  return r.outcome === 'rejected' ? r.reasons : [];
};

describe('the reasons of a refused import row', () => {
  it('says what the column needs, in Chinese and English', async () => {
    expect(await reasonsFor({ name: '  ' })).toEqual([{ field: 'name', message: '必填 / Required' }]);
    expect(await reasonsFor({ gender: '女' })).toEqual([
      { field: 'gender', message: '应为 female、male 之一 / One of: female, male' },
    ]);
    expect(await reasonsFor({ birthDate: '1990/5/1' })).toEqual([
      { field: 'birthDate', message: expect.stringContaining('YYYY-MM-DD') },
    ]);
    expect(await reasonsFor({ email: 'not-an-email' })).toEqual([
      { field: 'email', message: '不是有效的电子邮箱 / Not an email address' },
    ]);
    expect(await reasonsFor({ employmentType: 'temp' })).toEqual([
      {
        field: 'employmentType',
        message: expect.stringContaining('One of: permanent, contract, dispatched'),
      },
    ]);
    expect(await reasonsFor({ departmentCode: '' })).toEqual([
      { field: 'departmentCode', message: '必填 / Required' },
    ]);
    expect(await reasonsFor({ employeeId: 'X'.repeat(33) })).toEqual([
      { field: 'employeeId', message: '不超过 32 个字符 / At most 32 characters' },
    ]);
    expect(await reasonsFor({ name: '名'.repeat(65) })).toEqual([
      { field: 'name', message: '不超过 64 个字符 / At most 64 characters' },
    ]);
  });

  it('names every failing column of a row, each once', async () => {
    const reasons = await reasonsFor({ gender: '', hireDate: '2019-13-01', category: 'teacher' });
    expect(reasons.map((r) => r.field)).toEqual(['gender', 'category', 'hireDate']);
    expect(reasons.every((r) => r.message.includes(' / '))).toBe(true);
  });
});
