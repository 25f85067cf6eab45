/** The ledger's totals: per branch and occasion, life events per kind (not one row per request). */
import { describe, expect, it } from 'vitest';
import type { GrantRecord } from '../../../shared/domain/care/grants.ts';
import { type LedgerReader, readLedger } from '../../../shared/domain/care/ledger.ts';
import type { Principal } from '../../../shared/domain/principal.ts';

const grant = (
  employeeId: string,
  occasion: string,
  occasionName: string,
  amountFen: number,
): GrantRecord => ({
  employeeId,
  memberId: `M-${employeeId}`,
  membershipNumber: `GLU-2026-${employeeId}`,
  branch: { code: 'B1', name: '一分工会' },
  occasion,
  occasionName,
  category: occasion.includes(':') ? 'life' : 'holiday',
  year: 2026,
  date: '2026-12-01',
  amountFen,
  reason: 'full',
  policyEffectiveFrom: '2000-01-01',
  createdAt: '2026-12-01T01:00:00Z',
});

const reader: LedgerReader = {
  branches: async () => ['B1'],
  entries: async () => [
    grant('T1', 'hospital:R1', '住院慰问', 100_000),
    grant('T2', 'hospital:R2', '住院慰问', 80_000),
    grant('T1', 'mid_autumn', '中秋节', 30_000),
  ],
};
const auditor: Principal = { sub: 'A1', roles: new Set(['auditor']) };

describe('readLedger', () => {
  it('totals life events per kind, with the name people read, and keeps each grant as an entry', async () => {
    const ledger = await readLedger(auditor, () => ({ year: 2026 }), reader);
    expect(ledger.entries.map((e) => e.occasion)).toEqual(['hospital:R1', 'hospital:R2', 'mid_autumn']);
    expect(ledger.totals).toEqual([
      { branch: 'B1', occasion: 'hospital', name: '住院慰问', entries: 2, amountFen: 180_000 },
      { branch: 'B1', occasion: 'mid_autumn', name: '中秋节', entries: 1, amountFen: 30_000 },
    ]);
    expect(ledger.totalFen).toBe(210_000);
  });
});
