/**
 * "No personal data in logs", checked on what a run really logged: every function's log, the
 * gateway's and DynamoDB Local's, as the embedded runtime wrote them under `<dataDir>/logs`.
 *
 * Looked for: e-mail addresses (but the union's own sender and contact addresses, which are not
 * personal), mainland mobile numbers, and the names the tests fed in (every hire in the e2e
 * tests is 黄丽萍, with a mobile and an address of its own, so a logged event or member shows).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PrivacyFinding {
  file: string;
  line: number;
  kind: 'email' | 'mobile' | 'name';
  /** The finding with its middle masked, so the report itself leaks nothing. */
  masked: string;
}

export interface PrivacyScan {
  files: number;
  lines: number;
  findings: PrivacyFinding[];
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// A mainland mobile: 11 digits from 13–19, not inside a longer run of letters, digits or dashes
// (request ids and UUIDs are full of digit runs).
const MOBILE = /(?<![0-9A-Za-z-])1[3-9]\d{9}(?![0-9A-Za-z-])/g;

const mask = (s: string) =>
  s.length <= 2 ? '*'.repeat(s.length) : `${s[0]}${'*'.repeat(s.length - 2)}${s.at(-1)}`;

export const scanText = (
  text: string,
  opts: { names: readonly string[]; allowedEmails: readonly string[] },
  file = '(text)',
): PrivacyFinding[] => {
  const findings: PrivacyFinding[] = [];
  const allowed = new Set(opts.allowedEmails.map((e) => e.toLowerCase()));
  text.split('\n').forEach((content, i) => {
    const line = i + 1;
    for (const m of content.matchAll(EMAIL))
      if (!allowed.has(m[0].toLowerCase())) findings.push({ file, line, kind: 'email', masked: mask(m[0]) });
    for (const m of content.matchAll(MOBILE))
      findings.push({ file, line, kind: 'mobile', masked: mask(m[0]) });
    for (const name of opts.names)
      if (content.includes(name)) findings.push({ file, line, kind: 'name', masked: mask(name) });
  });
  return findings;
};

export const scanLogDir = (
  logDir: string,
  opts: { names: readonly string[]; allowedEmails: readonly string[] },
): PrivacyScan => {
  const scan: PrivacyScan = { files: 0, lines: 0, findings: [] };
  for (const entry of readdirSync(logDir)) {
    if (!entry.endsWith('.log')) continue;
    const text = readFileSync(join(logDir, entry), 'utf8');
    scan.files++;
    scan.lines += text.split('\n').length;
    scan.findings.push(...scanText(text, opts, entry));
  }
  return scan;
};
