/**
 * Where each stream event source mapping is in each shard, kept in `<dataDir>/streams.json` so a
 * restart neither replays what was processed nor skips what was not (Lambda keeps the same
 * position for its mappings). One entry per mapping (a function): the stream ARN it read, and
 * per shard the last sequence number done and whether the shard was read to its end.
 * Writes are atomic (a temporary file renamed over the old one): a crash leaves the old file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ShardCheckpoint {
  /** The last record processed (or skipped by the filter); reading resumes after it. */
  sequenceNumber?: string;
  /** The shard is closed and every record of it processed: its children may be read. */
  finished?: boolean;
}

interface MappingCheckpoints {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

interface CheckpointFile {
  version: 1;
  mappings: Record<string, MappingCheckpoints>;
}

const empty = (): CheckpointFile => ({ version: 1, mappings: {} });

const read = (file: string): CheckpointFile => {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CheckpointFile>;
    if (parsed.version === 1 && parsed.mappings && typeof parsed.mappings === 'object') {
      return { version: 1, mappings: parsed.mappings };
    }
  } catch {
    // absent or unreadable: every shard starts at its trim horizon
  }
  return empty();
};

export interface MappingCheckpointStore {
  get(shardId: string): ShardCheckpoint | undefined;
  /** Records progress in a shard and writes the file. */
  advance(shardId: string, sequenceNumber: string): void;
  finish(shardId: string): void;
  /** Drops what is kept for shards the stream no longer has (trimmed after 24 h). */
  retain(shardIds: ReadonlySet<string>): void;
  forget(shardId: string): void;
}

/** The checkpoints of one mapping; another stream ARN than the recorded one (a new table) starts afresh. */
export const openCheckpoints = (
  file: string,
  mappingId: string,
  streamArn: string,
): MappingCheckpointStore => {
  const state = read(file);
  const existing = state.mappings[mappingId];
  const mapping: MappingCheckpoints =
    existing?.streamArn === streamArn && existing.shards ? existing : { streamArn, shards: {} };
  state.mappings[mappingId] = mapping;

  const write = () => {
    // Other mappings may have written since: re-read, replace this mapping's entry, write back.
    const latest = read(file);
    latest.mappings[mappingId] = mapping;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${mappingId}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(latest, null, 1)}\n`);
    renameSync(tmp, file);
  };

  return {
    get: (shardId) => mapping.shards[shardId],
    advance: (shardId, sequenceNumber) => {
      mapping.shards[shardId] = { ...mapping.shards[shardId], sequenceNumber };
      write();
    },
    finish: (shardId) => {
      mapping.shards[shardId] = { ...mapping.shards[shardId], finished: true };
      write();
    },
    retain: (shardIds) => {
      const gone = Object.keys(mapping.shards).filter((id) => !shardIds.has(id));
      for (const id of gone) delete mapping.shards[id];
      if (gone.length) write();
    },
    forget: (shardId) => {
      delete mapping.shards[shardId];
      write();
    },
  };
};
