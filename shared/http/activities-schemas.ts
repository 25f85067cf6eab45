/** Request schemas of the activities API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import {
  ACTIVITY_KINDS,
  ELIGIBILITIES,
  FAMILY_RELATIONS,
  MAX_FAMILY,
} from '../domain/activities/activity.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const createActivityBody = z.strictObject({
  title: text(200),
  kind: z.enum(ACTIVITY_KINDS),
  description: z.optional(text(5000)),
  date: z.iso.date(),
  place: text(200),
  capacity: z.number().check(z.int(), z.minimum(1), z.maximum(100_000)),
  opensOn: z.iso.date(),
  closesOn: z.iso.date(),
  eligibility: z.enum(ELIGIBILITIES),
  /** A branch union code; officers may only name their own (or leave it out). */
  branch: z.optional(z.string().check(z.regex(/^[\w.-]{1,32}$/))),
});

const familyMember = z.strictObject({ name: text(50), relation: z.enum(FAMILY_RELATIONS) });

export const registerBody = z.strictObject({
  /** Family members coming along (members_with_family only); each takes a place. */
  family: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(MAX_FAMILY))),
  /** The same, by name and relation (then `family`, if sent, must be their number). */
  familyMembers: z.optional(z.array(familyMember).check(z.maxLength(MAX_FAMILY))),
});

export const cancelBody = z.strictObject({});

export const participantsQuery = z.strictObject({ format: z.optional(z.enum(['json', 'csv'])) });

export const activityResponse = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(ACTIVITY_KINDS),
  description: z.nullable(z.string()),
  date: z.string(),
  place: z.string(),
  capacity: z.number(),
  opensOn: z.string(),
  closesOn: z.string(),
  eligibility: z.enum(ELIGIBILITIES),
  branch: z.nullable(z.string()),
  taken: z.number(),
  free: z.number(),
  waiting: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const familyMemberView = z.object({ name: z.string(), relation: z.enum(FAMILY_RELATIONS) });

export const registrationResponse = z.object({
  status: z.enum(['confirmed', 'waiting']),
  family: z.number(),
  familyMembers: z.array(familyMemberView),
  places: z.number(),
  registeredAt: z.string(),
  confirmedAt: z.nullable(z.string()),
  /** Confirmed from the waiting list. */
  promoted: z.boolean(),
  /** On the waiting list: 1 is next. */
  position: z.optional(z.number()),
});

export const activityListResponse = z.object({ items: z.array(activityResponse) });

/** One activity with the caller's registration (null: not registered, or cancelled). */
export const activityDetailResponse = z.object({
  ...activityResponse.shape,
  mine: z.nullable(registrationResponse),
});

export const cancelResponse = z.object({
  status: z.literal('cancelled'),
  /** Registrations the freed places confirmed from the waiting list. */
  promoted: z.number(),
});

const participantRow = z.object({
  status: z.enum(['confirmed', 'waiting']),
  /** On the waiting list: 1 is next; null when confirmed. */
  position: z.nullable(z.number()),
  employeeId: z.string(),
  name: z.string(),
  branch: z.string(),
  family: z.number(),
  familyMembers: z.array(familyMemberView),
  places: z.number(),
  registeredAt: z.string(),
  promoted: z.boolean(),
});

export const participantsResponse = z.object({
  activity: activityResponse,
  confirmed: z.array(participantRow),
  waiting: z.array(participantRow),
  totals: z.object({
    confirmedRegistrations: z.number(),
    confirmedPlaces: z.number(),
    waiting: z.number(),
  }),
});
