/**
 * The one API client: openapi-fetch over the types generated from the API's own OpenAPI
 * document (schema.d.ts), so a path, a parameter or a body the API does not have fails the type
 * check. Every call carries the access token; a 401 marks the session expired (the layout offers
 * to sign in again). `call()` turns the result into data or an ApiError the shared components show.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { markExpired, session } from '../auth/session';
import { ApiError } from './errors';
import type { paths } from './schema';

export type { paths } from './schema';

const auth: Middleware = {
  onRequest({ request }) {
    if (session.accessToken) request.headers.set('authorization', `Bearer ${session.accessToken}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) markExpired();
    return response;
  },
};

/** Same origin: `/api/…` reaches the HTTP API (its `api` stage on AWS, the local gateway here). */
export const api = createClient<paths>({
  baseUrl: `${globalThis.location?.origin ?? ''}/api`,
  // Looked up at each call, not captured once (component tests replace it).
  fetch: (request) => globalThis.fetch(request),
});
api.use(auth);

/** A successful answer: its body and its ETag (for If-Match on the next change). */
export interface Answer<T> {
  data: T;
  etag: string | null;
}

/**
 * Awaits an openapi-fetch call: its data, or an ApiError with the status and the body the API
 * sent (`message`, 400's `errors[]`, 409's `state` …). A network failure is status 0.
 */
export const call = async <T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Answer<T>> => {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (cause) {
    throw new ApiError(0, { message: cause instanceof Error ? cause.message : String(cause) });
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, error);
  return { data: data as T, etag: response.headers.get('etag') };
};
