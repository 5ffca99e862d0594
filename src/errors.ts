/**
 * Expected failures are typed errors thrown where they are found and mapped to an exit code once,
 * in the CLI entry point. Their messages are one readable line, already free of secrets.
 */
export const EXIT_CODES = {
  ok: 0,
  /** Reserved for an unexpected crash (a bug): Node's own code for an uncaught exception. */
  internal: 1,
  usage: 2,
  notFound: 3,
  /** The source could not be read, rows were malformed, or output was refused (it held a secret). */
  source: 4,
  /** `health`: the fleet's verdict is WARNING (the failure rate is over the warning threshold). */
  healthWarning: 5,
  /** `health`: the fleet's verdict is BLOCKED. */
  healthBlocked: 6,
} as const;

export abstract class ForensicsError extends Error {
  abstract readonly exitCode: number;
}

/** Bad arguments, options, parameters or input files given by the user. */
export class UsageError extends ForensicsError {
  readonly exitCode = EXIT_CODES.usage;
  override readonly name = 'UsageError';
}

/** A worker or task the source does not have. */
export class NotFoundError extends ForensicsError {
  readonly exitCode = EXIT_CODES.notFound;
  override readonly name = 'NotFoundError';
  constructor(
    message: string,
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The source could not be read: network, HTTP, SQL, timeouts, unreadable snapshot. */
export class SourceError extends ForensicsError {
  readonly exitCode = EXIT_CODES.source;
  override readonly name = 'SourceError';
}

/**
 * A file not written because it would still hold a secret after redaction (a key a worker logged
 * in a shape redaction cannot take apart). Exit 4, like the unreadable data it came from.
 */
export class OutputRefusedError extends ForensicsError {
  readonly exitCode = EXIT_CODES.source;
  override readonly name = 'OutputRefusedError';
}

export function isForensicsError(error: unknown): error is ForensicsError {
  return error instanceof ForensicsError;
}

/** The message of anything thrown, without a stack. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
