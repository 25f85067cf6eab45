/**
 * The credential provider of the deployed bundles, in place of the SDK's default chain
 * (@aws-sdk/credential-provider-node, swapped by infra/bundling.ts's alias). On Lambda the
 * execution role's credentials are always in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), and the default chain takes them from there first;
 * its other links (profiles and SSO, web identity, IMDS, processes) and the STS and SSO clients
 * they bring are a third of each bundle's SDK and some 12 ms of every cold start
 * (BENCHMARKS.md, init). The local runtime sets the same variables. Tests and the CLI run the
 * sources, not the bundles, and keep the default chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The same signature as the default chain's `defaultProvider`, which the clients' runtime config calls. */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
