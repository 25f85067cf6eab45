/** Stream positions survive a restart, per mapping, and a new stream starts afresh. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCheckpoints } from '../../../infra/local/stream-checkpoints.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gonghui-checkpoints-'));
  file = join(dir, 'streams.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('stream checkpoints', () => {
  it('are read back after a restart', () => {
    // Prepare
    const first = openCheckpoints(file, 'publish-outbox', 'arn:stream/1');
    first.advance('shard-a', '000000000000000000007');
    first.finish('shard-old');
    // Act
    const again = openCheckpoints(file, 'publish-outbox', 'arn:stream/1');
    // Assess
    expect(again.get('shard-a')).toEqual({ sequenceNumber: '000000000000000000007' });
    expect(again.get('shard-old')).toEqual({ finished: true });
  });

  it('are kept per mapping, and one mapping does not overwrite another', () => {
    const a = openCheckpoints(file, 'fn-a', 'arn:stream/1');
    const b = openCheckpoints(file, 'fn-b', 'arn:stream/1');
    a.advance('shard', '000000000000000000001');
    b.advance('shard', '000000000000000000009');
    a.advance('shard', '000000000000000000002');
    expect(openCheckpoints(file, 'fn-a', 'arn:stream/1').get('shard')?.sequenceNumber).toBe(
      '000000000000000000002',
    );
    expect(openCheckpoints(file, 'fn-b', 'arn:stream/1').get('shard')?.sequenceNumber).toBe(
      '000000000000000000009',
    );
  });

  it('start afresh for another stream (the table was made anew)', () => {
    openCheckpoints(file, 'publish-outbox', 'arn:stream/1').advance('shard', '000000000000000000005');
    expect(openCheckpoints(file, 'publish-outbox', 'arn:stream/2').get('shard')).toBeUndefined();
  });

  it('drop shards the stream no longer has', () => {
    const store = openCheckpoints(file, 'publish-outbox', 'arn:stream/1');
    store.finish('trimmed');
    store.advance('live', '000000000000000000003');
    store.retain(new Set(['live']));
    const again = openCheckpoints(file, 'publish-outbox', 'arn:stream/1');
    expect(again.get('trimmed')).toBeUndefined();
    expect(again.get('live')).toBeDefined();
  });

  it('treat an unreadable file as no checkpoints, and replace it whole', () => {
    writeFileSync(file, '{"version":1,"mappi');
    const store = openCheckpoints(file, 'publish-outbox', 'arn:stream/1');
    expect(store.get('shard')).toBeUndefined();
    store.advance('shard', '000000000000000000001');
    expect(JSON.parse(readFileSync(file, 'utf8')).mappings['publish-outbox'].shards.shard).toEqual({
      sequenceNumber: '000000000000000000001',
    });
  });
});
