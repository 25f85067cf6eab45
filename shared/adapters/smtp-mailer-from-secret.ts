/**
 * The smtp transport as send-email builds it: nodemailer's pool, with the account read from
 * Secrets Manager at the first mail (an instance that sends nothing reads nothing). Its own module
 * so that mail-deps.ts loads it, and nodemailer with it, only in an smtp deployment: a bundle with
 * ses (the default) parses nodemailer's code but never runs it at cold start.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { Mailer } from '../mail/send-notifications.ts';
import { secretsManagerClient } from './aws-clients.ts';
import { parseSmtpCredentials, type SmtpSettings, smtpMailer } from './smtp-mailer.ts';

export const smtpMailerFromSecret = (settings: SmtpSettings, secretId: string): Mailer =>
  smtpMailer(settings, async () => {
    const out = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: secretId }));
    return parseSmtpCredentials(out.SecretString);
  });
