/**
 * Invitation tokens (confirm mode). A token is 32 random bytes, sent once, in the invitation's
 * link; the member item keeps only its SHA-256. A capability link rather than an HMAC-signed
 * one: there is no signing key to keep, share between functions or rotate, a token is worthless
 * once used or expired (the check reads the member), and a leaked table holds no usable token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const hashInvitationToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export const newInvitationToken = (): { token: string; hash: string } => {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
};

/** Compares in constant time, so the answer's timing says nothing about the stored hash. */
export const invitationTokenMatches = (token: string, storedHash: string): boolean => {
  const given = Buffer.from(hashInvitationToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
};
