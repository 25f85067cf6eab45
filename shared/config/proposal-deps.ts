/** The proposals context's configuration, read once at cold start, shared by its two functions. */
import type { Directory, ProposalDeps, ProposalStore } from '../domain/proposals/proposals-service.ts';
import { readEnv } from './config.ts';
import { ENV } from './env-names.ts';

const readCount = (name: (typeof ENV)[keyof typeof ENV]) => {
  const value = Number(readEnv(name));
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`Environment variable ${name} must be a whole number`);
  return value;
};

export const proposalDeps = (make: {
  store: (table: string) => ProposalStore;
  directory: (table: string) => Directory;
  newId: () => string;
}): ProposalDeps => {
  const table = readEnv(ENV.tableName);
  return {
    store: make.store(table),
    directory: make.directory(table),
    policy: {
      secondersRequired: readCount(ENV.proposalSecondersRequired),
      maxReassignments: readCount(ENV.proposalMaxReassignments),
    },
    currentSession: readEnv(ENV.congressSession),
    now: () => new Date(),
    newId: make.newId,
  };
};
