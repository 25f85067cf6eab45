/**
 * One import of a parsed file: its chunks sent one after another to POST /members/import, the
 * results gathered by line, the progress as rows done. A chunk that fails (network, 5xx, or
 * anything else the API refuses as a whole) stops the run there: the rows from that chunk on are
 * not sent, and `resume()` sends them from that chunk. Sending a chunk again is safe: the import
 * reports a member enrolled before as "already a member" and changes nothing.
 */
import { reactive } from 'vue';
import type { ImportAnswer, ImportResult, ImportRow } from '../api';
import { chunkRows, type LocalRejection } from './csv';

export type SendChunk = (rows: ImportRow[]) => Promise<ImportAnswer>;

/** A row's result as the table shows it: the API's, or a refusal made here before sending. */
export type RowResult = ImportResult | (LocalRejection & { outcome: 'rejected'; local: true });

export interface ImportRun {
  /** idle: not started; running; stopped: a chunk failed; done: every chunk answered. */
  status: 'idle' | 'running' | 'stopped' | 'done';
  chunks: ImportRow[][];
  /** The next chunk to send (the failed one when stopped). */
  next: number;
  /** Rows to send, and rows the API has answered. */
  total: number;
  done: number;
  results: RowResult[];
  enrolled: number;
  alreadyMembers: number;
  rejected: number;
  /** Why the run stopped (an ApiError: status 0 for the network). */
  error: unknown;
}

/** Lines of the rows not sent yet (when stopped: the failed chunk's and every one after it). */
export const unsentLines = (run: ImportRun): number[] =>
  run.chunks.slice(run.next).flatMap((c) => c.map((r) => r.line));

/** Consecutive lines as ranges, for saying which rows were not sent: "12–111, 140". */
export const lineRanges = (lines: readonly number[]): string => {
  const parts: string[] = [];
  let from: number | undefined;
  let to: number | undefined;
  const flush = () => {
    if (from !== undefined) parts.push(from === to ? `${from}` : `${from}–${to}`);
  };
  for (const line of lines) {
    if (to !== undefined && line === to + 1) to = line;
    else {
      flush();
      from = line;
      to = line;
    }
  }
  flush();
  return parts.join(', ');
};

const byLine = (a: RowResult, b: RowResult) => a.line - b.line;

export const createImportRun = (
  rows: readonly ImportRow[],
  refusedHere: readonly LocalRejection[],
  send: SendChunk,
) => {
  const local: RowResult[] = refusedHere.map((r) => ({ ...r, outcome: 'rejected', local: true }));
  const run = reactive<ImportRun>({
    status: 'idle',
    chunks: chunkRows(rows),
    next: 0,
    total: rows.length,
    done: 0,
    results: [...local].sort(byLine),
    enrolled: 0,
    alreadyMembers: 0,
    rejected: local.length,
    error: null,
  });

  /** Sends the chunks from `next` on, one at a time; stops at the first that fails. */
  const start = async () => {
    if (run.status === 'running' || run.status === 'done') return;
    run.status = 'running';
    run.error = null;
    while (run.next < run.chunks.length) {
      const chunk = run.chunks[run.next]!;
      let answer: ImportAnswer;
      try {
        answer = await send(chunk);
      } catch (error) {
        run.error = error;
        run.status = 'stopped';
        return;
      }
      run.enrolled += answer.enrolled;
      run.alreadyMembers += answer.alreadyMembers;
      run.rejected += answer.rejected;
      run.results = [...run.results, ...answer.results].sort(byLine);
      run.done += chunk.length;
      run.next++;
    }
    run.status = 'done';
  };

  return { run, start, resume: start };
};
