/**
 * Every environment variable a function reads, named once. The topology lists which function
 * reads which, the AWS stack and the embedded runtime supply the values, and `config.ts` reads
 * them at cold start (a missing one fails loudly).
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  mailFrom: 'MAIL_FROM',
  /**
   * The mail transport's maximum send rate (mails per second): the SES account's (SES drops what
   * exceeds it) or the one the SMTP server's operator allows (the university's server has one too).
   */
  mailMaxSendRate: 'MAIL_MAX_SEND_RATE',
  /** `ses` or `smtp`: how send-email hands its mails over. */
  mailTransport: 'MAIL_TRANSPORT',
  /** SMTP only: the server's host name (or address) and port. */
  smtpHost: 'SMTP_HOST',
  smtpPort: 'SMTP_PORT',
  /** SMTP only: `starttls` (required, the default), `tls` (TLS from the first byte) or `none`. */
  smtpTls: 'SMTP_TLS',
  /** SMTP only: the Secrets Manager secret (ARN or name) with the server's credentials. */
  smtpSecretId: 'SMTP_SECRET_ID',
  /** How many send-email instances may run at once (the event source mapping's maximum concurrency). */
  mailConcurrency: 'MAIL_CONCURRENCY',
  /**
   * How long a send-email claim on a mail holds before a retry may take it over: longer than the
   * function's timeout (a live sender never loses it), shorter than the queue's visibility
   * timeout (the retry after a crash finds it free).
   */
  mailClaimLeaseSeconds: 'MAIL_CLAIM_LEASE_SECONDS',
  /** Address members are told to write to (leave the union, questions). */
  unionContactEmail: 'UNION_CONTACT_EMAIL',
  membershipPrefix: 'MEMBERSHIP_PREFIX',
  /** `automatic` (HR's hire enrols) or `confirm` (HR's hire invites; the person confirms by link). */
  enrolmentMode: 'ENROLMENT_MODE',
  /** Dispatched staff (派遣): `enrol` them like everyone, or `skip` them and tell the officers. */
  dispatchedStaff: 'DISPATCHED_STAFF',
  /** The page an invitation links to; it shows the invitation and calls POST /invitations/{id}/accept. */
  invitationUrl: 'INVITATION_URL',
  /** The staff congress's current session: new proposals belong to it (e.g. 2026). */
  congressSession: 'CONGRESS_SESSION',
  /** Seconds by other delegates a proposal needs before review. */
  proposalSecondersRequired: 'PROPOSAL_SECONDERS_REQUIRED',
  /** Reassignments after a dissatisfied rating before the proposal closes. */
  proposalMaxReassignments: 'PROPOSAL_MAX_REASSIGNMENTS',
  /** The care queue: the planner fans work out on it, grant-care hands on the rest of a page. */
  careQueueUrl: 'CARE_QUEUE_URL',
  /**
   * The function's own dead-letter queue (its trigger queue's DLQ, or its stream's on-failure
   * queue): messages that fail their contract go there at once, with the reason.
   */
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

export type EnvKey = keyof typeof ENV;
export type EnvName = (typeof ENV)[EnvKey];
