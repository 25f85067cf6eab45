/**
 * A client's precondition on a change (HTTP's If-Match, parsed at the edge by
 * shared/http/if-match.ts): the use case asks it about the ETag it finds, and throws
 * PreconditionFailed (412) when it does not hold. A change that lost a race to another is
 * checked again against the version that won.
 */
export interface Precondition {
  /** Does it hold for a resource whose current ETag is this one? */
  holds(etag: string): boolean;
}
