/**
 * Typed domain errors. Use cases throw these; the HTTP layer maps them to status codes in one
 * place, the event consumers decide between retry and DLQ by kind.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is malformed: retrying cannot help. */
export class InvalidInput extends DomainError {}
export class NotFound extends DomainError {}
export class Forbidden extends DomainError {}
export class Unauthorized extends DomainError {}
/** The action is not allowed in the current state. */
export class Conflict extends DomainError {}
/** The caller's version is stale (If-Match). */
export class PreconditionFailed extends DomainError {}
/** A transient condition (a lease held elsewhere, throttling): try again later. */
export class RetryLater extends DomainError {}
