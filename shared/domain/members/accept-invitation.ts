/**
 * Confirm mode's second half: the invited person follows their link and confirms, and becomes a
 * member there and then: a membership number from the year's counter (in the same transaction,
 * so numbers stay gap-free), joined today, and the MemberEnrolled event whose welcome mail
 * follows. A second click answers with the membership and changes nothing.
 */
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import { shanghaiDate, shanghaiYear } from '../time.ts';
import { enrolledEvent } from './apply-hr-events.ts';
import { invitationTokenMatches } from './invitation-token.ts';
import { addHistory, formatMembershipNumber, type Member } from './member.ts';
import { type MembersDeps, viewOf } from './members-service.ts';

const MAX_ATTEMPTS = 20;

export const acceptInvitation = async (
  memberId: string,
  body: () => { token: string },
  deps: MembersDeps,
) => {
  const { token } = body();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    const indexed = await deps.directory.byMemberId(memberId);
    // The index finds the person; the item itself is read consistently before deciding.
    const m: Member | undefined =
      indexed && (await deps.repo.load([indexed.employeeId])).get(indexed.employeeId);
    if (!m?.invitation) throw new NotFound('邀请不存在 / No such invitation');
    if (!invitationTokenMatches(token, m.invitation.tokenHash))
      throw new Forbidden('邀请链接无效 / This invitation link is not valid');
    if (m.enrolled) return viewOf(m, deps);
    const now = deps.now();
    const today = shanghaiDate(now);
    if (m.status !== 'active')
      throw new Conflict('该邀请已失效（人事状态已变更）/ The invitation no longer applies', {
        state: m.status,
      });
    if (today > m.invitation.expiresOn)
      throw new Conflict('邀请已过期，请联系工会 / The invitation has expired; please contact the union', {
        state: 'expired',
        expiresOn: m.invitation.expiresOn,
      });

    const year = shanghaiYear(now);
    const previous = await deps.repo.lastMembershipSequence(year);
    const next: Member = {
      ...m,
      enrolled: true,
      membershipNumber: formatMembershipNumber(deps.membershipPrefix, year, previous + 1),
      joinedOn: today,
      invitation: { ...m.invitation, acceptedAt: now.toISOString() },
      updatedAt: now.toISOString(),
      version: m.version + 1,
    };
    addHistory(next, { kind: 'enrolled', on: today, at: now.toISOString(), reason: 'invitation' });
    const event = enrolledEvent(next, 'invitation', {
      eventId: deps.newId(),
      occurredAt: now.toISOString(),
      version: 1,
      memberId: m.memberId,
      employeeId: m.employeeId,
    });
    const saved = await deps.repo.save({
      members: [next],
      before: new Map([[m.employeeId, m]]),
      counters: [{ year, previous, next: previous + 1 }],
      events: [event],
    });
    if (saved === 'saved') return viewOf(next, deps);
    // Another enrolment took the counter (or this person changed): read again and retry.
    if (attempt >= MAX_ATTEMPTS) throw new Conflict('请稍后重试 / Busy; please try again', { state: 'busy' });
    await sleep(Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * Math.random());
  }
};
