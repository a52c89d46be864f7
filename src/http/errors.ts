// Errors the routes throw; app.ts turns each into one response (problem+json, or HTML for browsers) in onError.

export type HttpStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503;

/** A request that cannot be answered as asked: the status, a sentence for the client, and headers to add. */
export class HttpError extends Error {
  readonly status: HttpStatus;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: HttpStatus, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = "HttpError";
    this.status = status;
    this.headers = headers;
  }
}

/** Nothing public is at this path (now): a 404 whose lifetime app.ts cuts to the next publication. */
export class NotFoundError extends HttpError {
  constructor(path: string) {
    super(404, `There is nothing at ${path}.`);
    this.name = "NotFoundError";
  }
}
