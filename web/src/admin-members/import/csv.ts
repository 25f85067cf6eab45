/**
 * The staff CSV as the browser reads it before the import: decoded (UTF-8, or GB18030 as the
 * Chinese Excel saves "CSV" by default), parsed by papaparse, each row with the line of the file
 * it starts on (what the results name, and what the person fixing the file looks for), and cut
 * into chunks the API takes (≤ 100 rows, and small enough for its 64 KiB body limit).
 *
 * Only the import page imports this module: papaparse stays in that page's chunk.
 */
import Papa from 'papaparse';
import type { ImportRow } from '../api';

/** The template's columns (GET /members/import/template.csv), in its order. */
export const IMPORT_COLUMNS = [
  'employeeId',
  'name',
  'gender',
  'birthDate',
  'email',
  'mobile',
  'departmentCode',
  'departmentName',
  'position',
  'category',
  'employmentType',
  'hireDate',
] as const satisfies ReadonlyArray<Exclude<keyof ImportRow, 'line'>>;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** A column the API takes and this list lacks fails the type check here (`never` otherwise). */
export type UnlistedColumn = Exclude<keyof ImportRow, 'line' | ImportColumn>;
export const EVERY_COLUMN_LISTED: [UnlistedColumn] extends [never] ? true : never = true;

/** Columns the file must have (the others may be missing or empty). */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = IMPORT_COLUMNS.filter(
  (c) => c !== 'mobile' && c !== 'position',
);

/** The API's limits: rows per request, characters per cell, and a body well under 64 KiB. */
export const MAX_CHUNK_ROWS = 100;
export const MAX_CELL_CHARS = 256;
export const MAX_CHUNK_BYTES = 48 * 1024;
/**
 * Rows per request this page sends: a quarter of the API's 100, one transaction of the hire use
 * case (it writes 25 rows per transaction), so that a request stays well within the API
 * function's 10 s timeout on a loaded local runtime (seen at a load average of 20-30 on 2 cores:
 * 100 rows took 6.6-10.5 s and timed out; 50 rows 3-4 s, and once over 10 s).
 */
export const IMPORT_CHUNK_ROWS = 25;

export interface Reason {
  field: string;
  message: string;
}

/** A row refused here, before sending: unreadable, a cell too long, or a repeat of an earlier row. */
export interface LocalRejection {
  line: number;
  employeeId: string | null;
  reasons: Reason[];
}

export interface ParsedFile {
  /** Required columns the header lacks: nothing can be imported until they are there. */
  missingColumns: ImportColumn[];
  /** Header cells the import does not read (ignored). */
  extraColumns: string[];
  /** The rows to send, each with its line in the file. */
  rows: ImportRow[];
  rejected: LocalRejection[];
  /** Empty lines (or rows of empty cells), skipped. */
  blankLines: number;
}

/**
 * The file's text: UTF-8 when it is valid UTF-8 (a BOM is dropped), otherwise GB18030 (a
 * superset of GBK), which is what Excel on a Chinese Windows writes when asked for "CSV".
 */
export const decodeCsv = (
  bytes: ArrayBuffer | Uint8Array,
): { text: string; encoding: 'utf-8' | 'gb18030' } => {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
};

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

interface RawRecord {
  cells: string[];
  line: number;
  broken: boolean;
}

/** Every record of the text with the line it starts on (a quoted cell may span lines). */
const records = (text: string): RawRecord[] => {
  const out: RawRecord[] = [];
  const newline = text.includes('\n') ? '\n' : '\r';
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    // Every line comes back, blank ones too: the line count stays right, blanks are skipped below.
    skipEmptyLines: false,
    step: (result) => {
      // The "record" after the file's last newline is nothing at all, not a blank line.
      if (start >= text.length && isBlank(result.data)) return;
      out.push({ cells: result.data, line, broken: result.errors.length > 0 });
      const end = result.meta.cursor;
      for (let i = text.indexOf(newline, start); i !== -1 && i < end; i = text.indexOf(newline, i + 1))
        line++;
      start = end;
    },
  });
  return out;
};

/**
 * Reads the staff CSV: the header by column name (any order, any case; a BOM ignored), then each
 * row by its columns, trimmed, with its line. Rows the API would refuse as a whole request (a
 * cell over 256 characters) or that repeat an earlier row's 工号 are refused here with the reason.
 */
export const parseStaffCsv = (input: string): ParsedFile => {
  const text = input.replace(/^\uFEFF/, '');
  const all = records(text);
  const headerAt = all.findIndex((r) => !isBlank(r.cells));
  const parsed: ParsedFile = { missingColumns: [], extraColumns: [], rows: [], rejected: [], blankLines: 0 };
  if (headerAt === -1) {
    parsed.missingColumns = [...REQUIRED_COLUMNS];
    return parsed;
  }
  const header = all[headerAt]!.cells.map((c) => c.trim());
  const byLower = new Map(IMPORT_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const index = new Map<ImportColumn, number>();
  header.forEach((name, i) => {
    const column = byLower.get(name.toLowerCase());
    if (column && !index.has(column)) index.set(column, i);
    else if (name) parsed.extraColumns.push(name);
  });
  parsed.missingColumns = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (parsed.missingColumns.length) return parsed;

  const firstLineOf = new Map<string, number>();
  for (const record of all.slice(headerAt + 1)) {
    if (isBlank(record.cells)) {
      parsed.blankLines++;
      continue;
    }
    const row: ImportRow = { line: record.line };
    for (const [column, i] of index) row[column] = (record.cells[i] ?? '').trim();
    const employeeId = row.employeeId || null;
    const reasons: Reason[] = [];
    if (record.broken)
      reasons.push({
        field: '(row)',
        message: '引号不成对，无法读取该行 / Unbalanced quotes: the row cannot be read',
      });
    for (const column of IMPORT_COLUMNS)
      if ((row[column]?.length ?? 0) > MAX_CELL_CHARS)
        reasons.push({
          field: column,
          message: `不超过 ${MAX_CELL_CHARS} 个字符 / At most ${MAX_CELL_CHARS} characters`,
        });
    const first = employeeId ? firstLineOf.get(employeeId) : undefined;
    if (first !== undefined)
      reasons.push({ field: 'employeeId', message: `与第 ${first} 行重复 / repeats line ${first}` });
    if (reasons.length) {
      parsed.rejected.push({ line: record.line, employeeId, reasons });
      continue;
    }
    if (employeeId) firstLineOf.set(employeeId, record.line);
    parsed.rows.push(row);
  }
  return parsed;
};

const utf8 = new TextEncoder();

/**
 * Chunks for POST /members/import, in the file's order: at most `maxRows` rows each, and at
 * most `maxBytes` of JSON (long cells make rows bigger; the API's body limit is 64 KiB).
 */
export const chunkRows = (
  rows: readonly ImportRow[],
  maxRows = IMPORT_CHUNK_ROWS,
  maxBytes = MAX_CHUNK_BYTES,
): ImportRow[][] => {
  const chunks: ImportRow[][] = [];
  let current: ImportRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = utf8.encode(JSON.stringify(row)).length + 1;
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
};
