// Typed errors thrown by the core; http/ and cli.ts translate them into statuses and exit codes.
import { clip } from "./describe-value.ts";

/** One problem in one content file: where it is, what was found, and what would be right. */
export interface ContentIssue {
  /** Path relative to the content root, e.g. `2025/baku-visit.md` or `authors.yaml`. */
  file: string;
  /** The front-matter field (dotted for nested ones, e.g. `image.src`), or undefined for the file as a whole. */
  field?: string;
  /** 1-based line in the file where the problem is, when known. */
  line?: number;
  /** What was found. */
  found: string;
  /** What is expected instead: the fix. */
  expected: string;
}

/**
 * `file:line [field]: found; expected fix`. Messages are built with `describeValue`, so they quote little input; the
 * field (a key from the file) and the whole line are capped here as well, so that no log line can grow with the input.
 */
export function formatIssue(issue: ContentIssue): string {
  const where = showInvisible(issue.file) + (issue.line ? `:${issue.line}` : "") + (issue.field ? ` [${clip(issue.field, 80)}]` : "");
  return clip(`${where}: ${issue.found}; expected ${issue.expected}`, 1000);
}

/**
 * A file name with its controls and invisible formatting characters written as `<U+202E>`: a bidi override in a name
 * would otherwise reorder the rest of the line on a terminal. ZWNJ and ZWJ stay (they are spelling in Persian).
 */
export function showInvisible(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (ch) =>
    ch === "\u200c" || ch === "\u200d" ? ch : `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`,
  );
}

/**
 * What went wrong, as a closed set: every error the service throws on purpose carries one of these, and each boundary
 * translates it with one table (HTTP statuses: src/http/error-status.ts; exit codes: src/node/exit-codes.ts). A new
 * code that a table does not map does not compile.
 */
export type ErrorCode =
  /** The request itself is malformed (a bad query parameter, an unreadable body). */
  | "bad-request"
  /** No credentials were presented where they are required. */
  | "unauthorized"
  /** The credentials or the caller's origin are not allowed this. */
  | "forbidden"
  /** Nothing public is there (now). */
  | "not-found"
  /** Something was there and is gone for good (a deleted article). */
  | "gone"
  /** The method is not one the path answers. */
  | "method-not-allowed"
  /** The change cannot be made in the store's current state (a slug taken meanwhile, an image in use). */
  | "conflict"
  /** The change was based on a state that is no longer the stored one (a stale publish). */
  | "precondition-failed"
  /** An upload or a request is larger than its limit. */
  | "too-large"
  /** The body is not of a type the route takes. */
  | "unsupported-media-type"
  /** Content that fails the check's rules: nothing was stored. */
  | "content-rejected"
  /** A setting is missing or invalid: the service cannot run as configured. */
  | "config"
  /** A store (D1, R2) did not answer: try again shortly. */
  | "storage-unavailable";

/**
 * The base of every error the service throws on purpose: a code from the closed set, a message meant for the person
 * who will read it, and data fields in the subclasses (the file, the issues, the setting).
 */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ServiceError";
    this.code = code;
  }
}

/** A site setting (wrangler `[vars]` or CLI flag) is missing or invalid. */
export class ConfigError extends ServiceError {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super("config", `${setting}: ${message}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

/**
 * A store (D1, R2) failed to answer: the content is there but cannot be read now. The HTTP layer answers 503 with
 * Retry-After, never a partial document; the scheduled run leaves its clock where it was and tries again.
 */
export class StorageError extends ServiceError {
  readonly store: "d1" | "r2";
  /** What was being done, e.g. the catalog question (`newest`) or the object read (`image bytes`). */
  readonly operation: string;
  constructor(store: "d1" | "r2", operation: string, cause: unknown) {
    super("storage-unavailable", `${store} ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StorageError";
    this.store = store;
    this.operation = operation;
  }
}

/** Runs one call to a store (a query, an object read); a failure becomes a StorageError naming what was being done. */
export async function callStore<T>(store: StorageError["store"], operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new StorageError(store, operation, error);
  }
}
