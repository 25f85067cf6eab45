/**
 * Sign-in: OpenID Connect, authorization code with PKCE (oidc-client-ts), the same code against
 * the university SSO on AWS and the local provider on `npm start`. Tokens live in sessionStorage
 * (gone with the tab), never localStorage; so does the sign-in state (the PKCE verifier). When the
 * access token expires or the API answers 401, the app says so and offers to sign in again: no
 * silent renewal behind the user's back, and what they typed stays on the page until they choose.
 */
import { type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { reactive, readonly } from 'vue';
import type { AppConfig } from '../config';
import { type Principal, principalFromAccessToken } from './roles';

interface SessionState {
  principal: Principal | null;
  accessToken: string | null;
  /** The API answered 401 or the token expired: the layout offers to sign in again. */
  expired: boolean;
}

const state = reactive<SessionState>({ principal: null, accessToken: null, expired: false });
export const session = readonly(state);

let manager: UserManager | undefined;

/** Sets who is signed in from an access token (also for component tests); null signs out. */
export const setAccessToken = (token: string | null) => {
  state.accessToken = token;
  state.principal = token ? principalFromAccessToken(token) : null;
  state.expired = false;
};

export const markExpired = () => {
  if (state.principal) state.expired = true;
};

const useUser = (user: User | null) => setAccessToken(user && !user.expired ? user.access_token : null);

export const initAuth = async (config: AppConfig) => {
  const origin = window.location.origin;
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}/signin/callback`,
    post_logout_redirect_uri: `${origin}/signed-out`,
    response_type: 'code',
    scope: config.scope,
    userStore: store,
    stateStore: store,
    loadUserInfo: false,
    automaticSilentRenew: false,
    monitorSession: false,
    ...(config.extraQueryParams ? { extraQueryParams: config.extraQueryParams } : {}),
  });
  manager.events.addUserLoaded(useUser);
  manager.events.addAccessTokenExpired(() => markExpired());
  useUser(await manager.getUser());
};

const requireManager = () => {
  if (!manager) throw new Error('auth not initialised');
  return manager;
};

/** To the provider's sign-in; back to `returnTo` afterwards. `prompt: 'login'` asks for a fresh login. */
export const signIn = (returnTo: string, prompt?: 'login') =>
  requireManager().signinRedirect({ state: { returnTo }, ...(prompt ? { prompt } : {}) });

/** On /signin/callback: trades the code for tokens; returns where to go. */
export const completeSignIn = async (): Promise<string> => {
  const user = await requireManager().signinCallback();
  useUser(user ?? null);
  const returnTo = (user?.state as { returnTo?: unknown } | undefined)?.returnTo;
  return typeof returnTo === 'string' && returnTo.startsWith('/') && !returnTo.startsWith('//')
    ? returnTo
    : '/';
};

/** Forgets the tokens here and ends the provider's session when it offers that. */
export const signOut = async () => {
  const m = requireManager();
  const user = await m.getUser();
  await m.removeUser();
  setAccessToken(null);
  const metadata = await m.metadataService.getMetadata().catch(() => undefined);
  if (metadata?.end_session_endpoint) {
    await m.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
  } else {
    window.location.assign('/signed-out');
  }
};
