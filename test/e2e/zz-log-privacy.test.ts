/**
 * Runs after every other e2e file (the sequencer in vitest.config.ts puts it last): reads every
 * log the shared runtime wrote during the run (functions, gateway, bus, pollers, DynamoDB Local)
 * and finds no e-mail address, mobile number or name of the people the tests fed in.
 */
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { LOCAL_MAIL_FROM, LOCAL_UNION_CONTACT } from '../../infra/local/local-env.ts';
import { recordFigure } from '../support/figures.ts';
import { scanLogDir } from '../support/log-privacy.ts';

/** The personal data every e2e hire carries (support.ts hiredEvent and the member tests). */
const NAMES_FED_IN = ['黄丽萍', '黄丽'];

it('no personal data in any log of the run', () => {
  const scan = scanLogDir(join(inject('dataDir'), 'logs'), {
    names: NAMES_FED_IN,
    allowedEmails: [LOCAL_UNION_CONTACT, ...(/<([^>]+)>/.exec(LOCAL_MAIL_FROM)?.slice(1) ?? [])],
  });
  const count = (kind: string) => scan.findings.filter((f) => f.kind === kind).length;
  recordFigure({
    id: 'logs.e2e',
    section: 'logs',
    what: 'every log line of the full e2e run (functions, gateway, bus, pollers, DynamoDB Local), read for e-mail addresses, mobile numbers and the names fed in',
    counts: {
      'log files': scan.files,
      lines: scan.lines,
      'e-mail addresses': count('email'),
      'mobile numbers': count('mobile'),
      names: count('name'),
    },
    command: 'npm test',
  });
  // Logged lines are not repeated here: the masked findings say where to look.
  expect(scan.findings.map((f) => `${f.file}:${f.line} ${f.kind} ${f.masked}`)).toEqual([]);
  // A run that logged nothing would prove nothing.
  expect(scan.lines).toBeGreaterThan(100);
});
