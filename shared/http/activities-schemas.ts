/** Request schemas of the activities API: validation and the OpenAPI document share them. */
import * as z from 'zod/mini';
import { ACTIVITY_KINDS, ELIGIBILITIES, MAX_FAMILY } from '../domain/activities/activity.ts';

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

export const registerBody = z.strictObject({
  /** Family members coming along (members_with_family only); each takes a place. */
  family: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(MAX_FAMILY))),
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
});

export const registrationResponse = z.object({
  status: z.enum(['confirmed', 'waiting']),
  family: z.number(),
  places: z.number(),
  position: z.optional(z.number()),
});
