import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanLogDir, scanText } from '../../support/log-privacy.ts';

const opts = { names: ['黄丽萍'], allowedEmails: ['union@gonghui.local'] };

describe('log privacy scan', () => {
  it('finds an address, a mobile and a name, and masks them in its report', () => {
    const findings = scanText(
      '{"level":"INFO","to":"e1001@example.edu.cn","mobile":"13900000117","name":"黄丽萍"}',
      opts,
    );
    expect(findings.map((f) => [f.kind, f.masked])).toEqual([
      ['email', 'e******************n'],
      ['mobile', '1*********7'],
      ['name', '黄*萍'],
    ]);
  });

  it('leaves request ids, UUIDs, timestamps and the union’s own address alone', () => {
    const text = [
      'START RequestId: 3e733671-12ad-4223-a71c-168896568579 Version: $LATEST',
      'REPORT RequestId: 1a2b Duration: 760.42 ms Billed Duration: 761 ms',
      '{"timestamp":"2026-11-24T03:00:00.000Z","xray_trace_id":"1-6742a1b0-139000001171234567890abc"}',
      'mail from union@gonghui.local sent',
      'employee E13900000117X enrolled',
    ].join('\n');
    expect(scanText(text, opts)).toEqual([]);
  });

  it('reads every .log file of a directory and counts its lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'privacy-'));
    writeFileSync(join(dir, 'a.log'), 'ok\nmember 黄丽萍 enrolled\n');
    writeFileSync(join(dir, 'b.log'), 'ok\n');
    writeFileSync(join(dir, 'notes.txt'), '13900000117');
    const scan = scanLogDir(dir, opts);
    expect(scan.files).toBe(2);
    expect(scan.findings).toEqual([{ file: 'a.log', line: 2, kind: 'name', masked: '黄*萍' }]);
  });
});
