/** Small pure parts of the runtime: Java's version, the fire request's body, the persisted inbox. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFireBody } from '../../../infra/local/control-server.ts';
import { JAVA_MISSING_MESSAGE, parseJavaMajor } from '../../../infra/local/dynamodb.ts';
import { readSavedEmails } from '../../../infra/local/ses.ts';
import { liveQueueUrl } from '../../../infra/local/sqs.ts';

describe('java -version', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['bash: java: command not found', undefined],
  ])('%s → %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  it('missing is told in one line with the command that installs it', () => {
    expect(JAVA_MISSING_MESSAGE).not.toContain('\n');
    expect(JAVA_MISSING_MESSAGE).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});

describe('a schedule fire request', () => {
  it('takes no body, or an ISO time', () => {
    expect(parseFireBody('')).toEqual({});
    expect(parseFireBody('{}')).toEqual({});
    expect(parseFireBody('{"at":"2026-09-24T00:00:00Z"}')).toEqual({ at: new Date('2026-09-24T00:00:00Z') });
  });

  it.each(['nope', '[]', '{"at":"yesterday"}', '{"at":5}'])('refuses %s', (body) => {
    expect(parseFireBody(body)).toHaveProperty('error');
  });
});

describe('the persisted inbox', () => {
  it('reads every whole line and skips a torn last one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonghui-ses-'));
    try {
      const file = join(dir, 'emails.jsonl');
      writeFileSync(file, '{"messageId":"a"}\n{"messageId":"b"}\n{"messageId":"c');
      expect(readSavedEmails(file).map((e) => e.messageId)).toEqual(['a', 'b']);
      expect(readSavedEmails(join(dir, 'none.jsonl'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('queue URLs', () => {
  it('carry the live endpoint, whatever port fauxqs stored them with', () => {
    expect(
      liveQueueUrl('http://127.0.0.1:4000', 'http://sqs.ap-east-1.localhost:39999/000000000000/gonghui-hr'),
    ).toBe('http://127.0.0.1:4000/000000000000/gonghui-hr');
  });
});
