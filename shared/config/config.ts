/**
 * Configuration is read once, at cold start, from the environment variables the topology gives
 * the function. A missing or malformed value fails loudly: no silent defaults.
 */
import type { EnvName } from './env-names.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const readEnv = (name: EnvName, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`Environment variable ${name} is not set`);
  }
  return value;
};

export const readPositiveNumberEnv = (name: EnvName, env: NodeJS.ProcessEnv = process.env): number => {
  const raw = readEnv(name, env);
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`Environment variable ${name} must be a positive number, got "${raw}"`);
  }
  return value;
};

export const readEnumEnv = <T extends string>(
  name: EnvName,
  values: readonly T[],
  env: NodeJS.ProcessEnv = process.env,
): T => {
  const raw = readEnv(name, env);
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(`Environment variable ${name} must be one of ${values.join(', ')}, got "${raw}"`);
  }
  return raw as T;
};
