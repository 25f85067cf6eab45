/**
 * Transfers HR announced ahead take effect on their date: the daily apply-transfers job moves
 * every member whose announced transfer is due (on or before "today", so a missed day catches
 * up), to the branch their new department maps to on that day, and publishes MemberTransferred.
 * Each member is applied under the same optimistic concurrency as HR's events: a concurrent HR
 * event on the same person makes the save conflict, and the member is read and decided again
 * (an HR event that overtook the announcement has settled it, and nothing is left to do).
 */
import type { DomainEvent } from '../../../events/domain.ts';
import { transferNow } from './apply-hr-event.ts';
import { type ApplyDeps, type MemberRepository, toDomainEvents } from './apply-hr-events.ts';
import { addHistory, type Member } from './member.ts';

export interface DueTransfers {
  /** 工号 of members whose announced transfer is effective on or before `date`. */
  dueOn(date: string): Promise<string[]>;
}

export interface ApplyTransfersDeps extends Pick<ApplyDeps, 'now' | 'newId' | 'sleep'> {
  repo: MemberRepository;
  due: DueTransfers;
}

const BATCH = 10;
const MAX_ATTEMPTS = 20;

export const applyDueTransfers = async (
  date: string,
  deps: ApplyTransfersDeps,
): Promise<{ due: number; moved: number; settled: number }> => {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const ids = await deps.due.dueOn(date);
  let moved = 0;
  let settled = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    for (let attempt = 1; ; attempt++) {
      const current = await deps.repo.load(batch);
      const ready = [...current.values()].filter(
        (m) => m.pendingPlacement && m.pendingPlacement.effectiveDate <= date,
      );
      const branches = await deps.repo.branchesFor([
        ...new Set(ready.map((m) => m.pendingPlacement!.department.code)),
      ]);
      const now = deps.now();
      const members: Member[] = [];
      const events: DomainEvent[] = [];
      for (const m of ready) {
        const next = structuredClone(m);
        const { department, effectiveDate } = m.pendingPlacement!;
        const change = transferNow(next, department, effectiveDate, branches);
        // When HR announced it: the stamp the announcement left on the placement.
        const announced = m.stamps.placement?.split('#')[0] ?? now.toISOString();
        addHistory(next, {
          kind: 'placement',
          on: effectiveDate,
          at: announced,
          department,
          ...(next.branch ? { branch: next.branch } : {}),
        });
        next.updatedAt = now.toISOString();
        next.version = m.version + 1;
        members.push(next);
        // A placeholder (not yet enrolled) moves silently, as its other changes do.
        if (change && next.enrolled) events.push(...toDomainEvents(next, [change], deps, now));
      }
      // Markers whose member has no announced transfer left (an HR event settled it) just go.
      const stale = batch.filter((id) => !current.get(id)?.pendingPlacement);
      if (members.length === 0 && stale.length === 0) break;
      const outcome = await deps.repo.save({
        members,
        before: current,
        counters: [],
        events,
        settledTransfers: [...members.map((m) => m.employeeId), ...stale],
      });
      if (outcome === 'saved') {
        moved += events.length;
        settled += members.length + stale.length;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`transfers kept conflicting after ${attempt} attempts`);
      await sleep(Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * Math.random());
    }
  }
  return { due: ids.length, moved, settled };
};
