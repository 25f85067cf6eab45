/**
 * How send-email hands its mails over: `ses` (Amazon SES, the default) or `smtp` (a mail server
 * of the operator's, e.g. the university's own, where SES is not offered: the AWS China regions).
 * One list, read by the deployment parameters, the topology, the embedded runtime and the function.
 */
export const MAIL_TRANSPORTS = ['ses', 'smtp'] as const;
export type MailTransport = (typeof MAIL_TRANSPORTS)[number];

/** `starttls`: the server must offer STARTTLS (587); `tls`: TLS from the first byte (465); `none`: plain. */
export const SMTP_TLS_MODES = ['starttls', 'tls', 'none'] as const;
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number];

/** The usual port of each TLS mode. */
export const DEFAULT_SMTP_PORT: Record<SmtpTlsMode, number> = { starttls: 587, tls: 465, none: 25 };
