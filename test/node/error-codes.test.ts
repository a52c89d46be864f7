// The one error base and its two tables: every error the service throws on purpose has a code, and each boundary
// (HTTP statuses, exit codes) maps the code once. Rows name the error as thrown and what each boundary makes of it.
import { describe, expect, it } from "vitest";
import { ConfigError, ServiceError, StorageError } from "../../src/core/errors.ts";
import { HeadlinesRequestError } from "../../src/core/partners.ts";
import { PublishConflictError, PublishRejectedError } from "../../src/core/publishing.ts";
import { NotFoundError, RequestError, statusOf } from "../../src/http/errors.ts";
import { EXIT_BUG, exitCodeOf } from "../../src/node/exit-codes.ts";

const rows: { error: Error; status: number; exit: number }[] = [
  { error: new ConfigError("SITE_URL", "is required"), status: 500, exit: 78 },
  { error: new StorageError("d1", "newest", new Error("D1_ERROR")), status: 503, exit: 75 },
  { error: new PublishRejectedError("a.md", [{ file: "a.md", found: "x", expected: "y" }]), status: 422, exit: 1 },
  { error: new PublishConflictError("a.md", "taken meanwhile"), status: 409, exit: 1 },
  { error: new HeadlinesRequestError("unknown-partner", "no such key"), status: 403, exit: 77 },
  { error: new HeadlinesRequestError("origin-not-allowed", "not from here"), status: 403, exit: 77 },
  { error: new HeadlinesRequestError("section-not-allowed", "not that section"), status: 403, exit: 77 },
  { error: new HeadlinesRequestError("unknown-section", "no such section"), status: 404, exit: 66 },
  { error: new HeadlinesRequestError("bad-limit", "limit 0"), status: 400, exit: 2 },
  { error: new RequestError("method-not-allowed", "POST", { Allow: "GET" }), status: 405, exit: 2 },
  { error: new RequestError("too-large", "big"), status: 413, exit: 1 },
  { error: new RequestError("unsupported-media-type", "json"), status: 415, exit: 2 },
  { error: new RequestError("unauthorized", "no token"), status: 401, exit: 77 },
  { error: new RequestError("gone", "deleted"), status: 410, exit: 66 },
  { error: new RequestError("precondition-failed", "stale"), status: 412, exit: 1 },
  { error: new NotFoundError("/nowhere"), status: 404, exit: 66 },
  { error: new Error("a bug"), status: 500, exit: EXIT_BUG },
  { error: new TypeError("another bug"), status: 500, exit: EXIT_BUG },
];

describe("error codes", () => {
  it.each(rows)("$error.name ($error.message) is HTTP $status and exit $exit", ({ error, status, exit }) => {
    expect(statusOf(error)).toBe(status);
    expect(exitCodeOf(error)).toBe(exit);
  });

  it("gives every deliberate error the one base", () => {
    for (const { error } of rows.filter((r) => r.exit !== EXIT_BUG)) expect(error).toBeInstanceOf(ServiceError);
  });
});
