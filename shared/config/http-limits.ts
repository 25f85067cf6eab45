/** Limits of the HTTP edge, shared by the handlers and both runtimes' gateways. */
export const http = {
  /** Bodies above this get 413 before any parsing. */
  maxBodyBytes: 64 * 1024,
  jwt: { audience: 'gonghui', groupsClaim: 'groups' },
} as const;
