/**
 * The care settings routes of care-api (chair, admin): policy versions, the union's own
 * occasions, working-day overrides. Kept apart from the ledger and request routes so that each
 * group reads on its own; care-api serves both.
 */
import * as z from 'zod/mini';
import {
  addOccasion,
  listOccasions,
  putPolicy,
  putWorkdays,
  readPolicy,
  readWorkdays,
  removeOccasion,
  type SettingsDeps,
} from '../domain/care/settings-admin.ts';
import type { RouteHandler } from './api.ts';
import {
  occasionBody,
  occasionPath,
  policyBody,
  policyQuery,
  workdaysBody,
  workdaysYear,
} from './care-schemas.ts';
import { principalOf } from './principal.ts';
import { json } from './responses.ts';

const yearParam = z.strictObject({ year: workdaysYear });

export const careSettingsRoutes = (deps: SettingsDeps): Record<string, RouteHandler> => ({
  'GET /care/policy': async (req) =>
    json(200, await readPolicy(principalOf(req.event), () => policyQuery.parse(req.query).date, deps)),
  'PUT /care/policy': async (req) =>
    json(200, await putPolicy(principalOf(req.event), () => policyBody.parse(req.json({})), deps)),
  'GET /care/occasions': async (req) => json(200, await listOccasions(principalOf(req.event), deps)),
  'POST /care/occasions': async (req) =>
    json(201, await addOccasion(principalOf(req.event), () => occasionBody.parse(req.json({})), deps)),
  'DELETE /care/occasions/{occasion}': async (req) =>
    json(
      200,
      await removeOccasion(
        principalOf(req.event),
        // A key that could never have been added is simply not there.
        occasionPath.safeParse(req.path.occasion).success ? req.path.occasion! : '-',
        deps,
      ),
    ),
  'GET /care/workdays/{year}': async (req) =>
    json(
      200,
      await readWorkdays(principalOf(req.event), () => yearParam.parse({ year: req.path.year }).year, deps),
    ),
  'PUT /care/workdays/{year}': async (req) =>
    json(
      200,
      await putWorkdays(
        principalOf(req.event),
        () => yearParam.parse({ year: req.path.year }).year,
        () => workdaysBody.parse(req.json({})),
        deps,
      ),
    ),
});
