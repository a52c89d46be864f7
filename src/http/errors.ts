// Errors the routes throw about the request itself, and the one table that turns every ServiceError code into an
// HTTP status; app.ts answers each with one response (problem+json, or HTML for browsers) in onError.
import { type ErrorCode, ServiceError } from "../core/errors.ts";

/** The statuses this service answers with. */
export type HttpStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 412 | 413 | 415 | 422 | 500 | 503;

/**
 * Every error code as an HTTP status (RFC 9110 §15): the only place a code becomes a status. The configuration is the
 * operator's fault, not the client's (500); a store that does not answer is temporary (503, with Retry-After).
 */
export const STATUS_OF_CODE: Readonly<Record<ErrorCode, HttpStatus>> = {
  "bad-request": 400,
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  gone: 410,
  "method-not-allowed": 405,
  conflict: 409,
  "precondition-failed": 412,
  "too-large": 413,
  "unsupported-media-type": 415,
  "content-rejected": 422,
  config: 500,
  "storage-unavailable": 503,
};

/** The status of an error the service threw on purpose; 500 for anything else (a bug, logged where it is answered). */
export function statusOf(error: unknown): HttpStatus {
  return error instanceof ServiceError ? STATUS_OF_CODE[error.code] : 500;
}

/** A request that cannot be answered as asked: its code, a sentence for the client, and headers to add (Allow, WWW-Authenticate). */
export class RequestError extends ServiceError {
  readonly headers: Readonly<Record<string, string>>;
  constructor(code: ErrorCode, detail: string, headers: Record<string, string> = {}) {
    super(code, detail);
    this.name = "RequestError";
    this.headers = headers;
  }
}

/** Nothing public is at this path (now): a 404 whose lifetime app.ts cuts to the next publication. */
export class NotFoundError extends RequestError {
  constructor(path: string) {
    super("not-found", `There is nothing at ${path}.`);
    this.name = "NotFoundError";
  }
}
