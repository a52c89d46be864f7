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

/** A site setting (wrangler `[vars]` or CLI flag) is missing or invalid. */
export class ConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = "ConfigError";
    this.setting = setting;
  }
}

/**
 * A store (D1, R2) failed to answer: the content is there but cannot be read now. The HTTP layer answers 503 with
 * Retry-After, never a partial document; the scheduled run leaves its clock where it was and tries again.
 */
export class StorageError extends Error {
  readonly store: "d1" | "r2";
  /** What was being done, e.g. the catalog question (`newest`) or the object read (`image bytes`). */
  readonly operation: string;
  constructor(store: "d1" | "r2", operation: string, cause: unknown) {
    super(`${store} ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
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
