/**
 * The staff CSV as the import page reads it: each row with the line of the file it starts on
 * (blank lines, a quoted cell over two lines, CRLF, a BOM), the header by name, the rows refused
 * before sending, the file's encoding (UTF-8 or Excel's GBK), the chunks for the API, and a run
 * that stops at a failed chunk and resumes there.
 */
import { describe, expect, it } from 'vitest';
import type { ImportAnswer, ImportRow } from '../../web/src/admin-members/api';
import {
  chunkRows,
  decodeCsv,
  IMPORT_COLUMNS,
  MAX_CHUNK_BYTES,
  parseStaffCsv,
} from '../../web/src/admin-members/import/csv';
import { createImportRun, lineRanges, unsentLines } from '../../web/src/admin-members/import/run';
import { ApiError } from '../../web/src/app/api/errors';

const HEADER = IMPORT_COLUMNS.join(',');
const row = (id: string, extra: Partial<Record<string, string>> = {}) =>
  IMPORT_COLUMNS.map((c) =>
    c in extra
      ? extra[c]
      : ({
          employeeId: id,
          name: `姓名${id}`,
          gender: 'female',
          birthDate: '1990-05-01',
          email: `${id.toLowerCase()}@example.edu.cn`,
          mobile: '',
          departmentCode: 'CS',
          departmentName: '计算机学院',
          position: '讲师',
          category: 'teaching',
          employmentType: 'permanent',
          hireDate: '2019-09-01',
        }[c] ?? ''),
  ).join(',');

describe('reading the staff CSV', () => {
  it('gives each row the line of the file it starts on, through blank lines and a cell over two lines', () => {
    const text = [
      `\uFEFF${HEADER}`, // 1
      row('T1'), // 2
      '', // 3
      row('T2', { position: '"讲师\r\n（兼）"' }), // 4-5
      '   ', // 6
      ',,,,,,,,,,,', // 7: a row of empty cells
      row('T3', { departmentName: '"计算机学院, 软件所"' }), // 8
    ].join('\r\n');
    const parsed = parseStaffCsv(`${text}\r\n`);
    expect(parsed.missingColumns).toEqual([]);
    expect(parsed.rows.map((r) => [r.line, r.employeeId])).toEqual([
      [2, 'T1'],
      [4, 'T2'],
      [8, 'T3'],
    ]);
    expect(parsed.rows[1]?.position).toBe('讲师\r\n（兼）');
    expect(parsed.rows[2]?.departmentName).toBe('计算机学院, 软件所');
    // The lines 3, 6 and 7; the end of the file after its last newline is no line.
    expect(parsed.blankLines).toBe(3);
    expect(parsed.rows[0]).toEqual({
      line: 2,
      employeeId: 'T1',
      name: '姓名T1',
      gender: 'female',
      birthDate: '1990-05-01',
      email: 't1@example.edu.cn',
      mobile: '',
      departmentCode: 'CS',
      departmentName: '计算机学院',
      position: '讲师',
      category: 'teaching',
      employmentType: 'permanent',
      hireDate: '2019-09-01',
    });
  });

  it('reads the header by name in any order and case, trims cells, and says what it ignores or lacks', () => {
    const parsed = parseStaffCsv(
      'NAME, employeeid ,remark,gender,birthDate,email,departmentCode,departmentName,category,employmentType,hireDate\n' +
        ' 张三 ,T9,新来的,male,1985-01-02,z@example.edu.cn,CS,计算机学院,research,contract,2020-01-01\n',
    );
    expect(parsed.extraColumns).toEqual(['remark']);
    expect(parsed.rows).toEqual([
      expect.objectContaining({ line: 2, employeeId: 'T9', name: '张三', category: 'research' }),
    ]);
    expect(parsed.rows[0]).not.toHaveProperty('mobile');

    const lacking = parseStaffCsv('employeeId,name\nT1,张三\n');
    expect(lacking.missingColumns).toEqual([
      'gender',
      'birthDate',
      'email',
      'departmentCode',
      'departmentName',
      'category',
      'employmentType',
      'hireDate',
    ]);
    expect(lacking.rows).toEqual([]);
    expect(parseStaffCsv('').missingColumns.length).toBeGreaterThan(0);
  });

  it('refuses here what the API would refuse as a whole request, and repeats of an earlier row', () => {
    const parsed = parseStaffCsv(
      [
        HEADER,
        row('T1'),
        row('T2', { position: 'x'.repeat(257) }),
        row('T1'),
        row('T3', { name: '"未闭合' }),
      ].join('\n'),
    );
    expect(parsed.rows.map((r) => r.line)).toEqual([2]);
    expect(parsed.rejected).toEqual([
      {
        line: 3,
        employeeId: 'T2',
        reasons: [{ field: 'position', message: '不超过 256 个字符 / At most 256 characters' }],
      },
      {
        line: 4,
        employeeId: 'T1',
        reasons: [{ field: 'employeeId', message: '与第 2 行重复 / repeats line 2' }],
      },
      { line: 5, employeeId: 'T3', reasons: [expect.objectContaining({ field: '(row)' })] },
    ]);
  });

  it('decodes UTF-8 (dropping the BOM) and, failing that, GBK as Excel saves it', () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('姓名,张三')]);
    expect(decodeCsv(utf8)).toEqual({ text: '姓名,张三', encoding: 'utf-8' });
    // "姓名,张三" in GBK.
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd]);
    expect(decodeCsv(gbk)).toEqual({ text: '姓名,张三', encoding: 'gb18030' });
  });
});

const rows = (n: number, from = 2): ImportRow[] =>
  Array.from({ length: n }, (_, i) => ({ line: from + i, employeeId: `T${i}`, name: `姓名${i}` }));

describe('chunks for POST /members/import', () => {
  it('sends every row once, in order, at most 25 (and never over 100) rows a request', () => {
    const all = rows(300);
    const chunks = chunkRows(all);
    expect(chunks.map((c) => c.length)).toEqual(Array(12).fill(25));
    expect(chunks.flat()).toEqual(all);
    expect(chunkRows(all, 100).map((c) => c.length)).toEqual([100, 100, 100]);
    expect(chunkRows([])).toEqual([]);
  });

  it('keeps each request under the body limit when cells are long', () => {
    const long = rows(100).map((r) => ({
      ...r,
      departmentName: '长'.repeat(256),
      position: 'p'.repeat(256),
    }));
    const chunks = chunkRows(long, 100);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(new TextEncoder().encode(JSON.stringify({ rows: c })).length).toBeLessThan(MAX_CHUNK_BYTES + 64);
    }
    expect(chunks.flat().map((r) => r.line)).toEqual(long.map((r) => r.line));
  });
});

describe('an import run', () => {
  const answer = (chunk: ImportRow[]): ImportAnswer => ({
    rows: chunk.length,
    enrolled: chunk.length - 1,
    alreadyMembers: 0,
    rejected: 1,
    results: chunk.map((r, i) =>
      i === 0
        ? { line: r.line, employeeId: r.employeeId ?? null, outcome: 'rejected' as const, reasons: [] }
        : {
            line: r.line,
            employeeId: r.employeeId ?? '',
            outcome: 'enrolled' as const,
            memberId: `M${r.line}`,
            membershipNumber: `GLU-${r.line}`,
            branch: { code: 'B', name: '分工会' },
            branchAssignedByDefault: false,
          },
    ),
  });

  it('stops at a failed chunk, names the rows not sent, and resumes from that chunk', async () => {
    const sent: number[][] = [];
    let failNext = true;
    const { run, start, resume } = createImportRun(
      rows(120),
      [{ line: 200, employeeId: 'X', reasons: [{ field: 'employeeId', message: 'dup' }] }],
      async (chunk) => {
        sent.push(chunk.map((r) => r.line));
        if (sent.length === 2 && failNext) {
          failNext = false;
          throw new ApiError(503, { message: 'Service Unavailable' });
        }
        return answer(chunk);
      },
    );
    expect(run.status).toBe('idle');
    expect(run.chunks.map((c) => c.length)).toEqual([25, 25, 25, 25, 20]);
    expect(run.rejected).toBe(1);
    await start();
    expect(run.status).toBe('stopped');
    expect((run.error as ApiError).status).toBe(503);
    expect(run.done).toBe(25);
    expect(unsentLines(run)).toEqual(rows(95, 27).map((r) => r.line));
    expect(lineRanges(unsentLines(run))).toBe('27–121');
    await resume();
    expect(run.status).toBe('done');
    expect(sent.map((c) => [c[0], c.length])).toEqual([
      [2, 25],
      [27, 25],
      [27, 25],
      [52, 25],
      [77, 25],
      [102, 20],
    ]);
    expect(run.done).toBe(120);
    expect([run.enrolled, run.alreadyMembers, run.rejected]).toEqual([115, 0, 6]);
    expect(run.results.map((r) => r.line)).toEqual([...rows(120).map((r) => r.line), 200]);
  });

  it('writes ranges of lines as a person reads them', () => {
    expect(lineRanges([2, 3, 4, 9, 11, 12])).toBe('2–4, 9, 11–12');
    expect(lineRanges([])).toBe('');
  });
});
