/**
 * What the app signs in with, read at start from `/config.json` beside the assets: the stack
 * writes it on AWS (the university SSO), the local runtime serves its own (the local provider).
 * One build serves every deployment.
 */
export interface AppConfig {
  /** The OpenID provider's issuer URL (discovery at `<authority>/.well-known/openid-configuration`). */
  authority: string;
  clientId: string;
  /** Scopes to ask for; the access token must carry `groups` (and `branch`, `department`). */
  scope: string;
  /** Where the API is, on this origin: `/api`. */
  apiBase: string;
  /** Extra parameters of the authorization request some providers need (e.g. `resource`, `audience`). */
  extraQueryParams?: Record<string, string>;
  /** True on `npm start`: the sign-in page offers the local provider's role picker. */
  local?: boolean;
}

let loaded: AppConfig | undefined;

export const loadConfig = async (fetchImpl: typeof fetch = fetch): Promise<AppConfig> => {
  const res = await fetchImpl('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`/config.json: ${res.status}`);
  loaded = (await res.json()) as AppConfig;
  return loaded;
};

export const setConfig = (config: AppConfig) => {
  loaded = config;
};

export const appConfig = (): AppConfig => {
  if (!loaded) throw new Error('config not loaded');
  return loaded;
};
