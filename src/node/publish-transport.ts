// How the publish client talks to the worker's publish API: the manifest, and batches (POST /api/batch) of files,
// renames and deletions, each with what it was based on (the manifest's hash, or nothing stored), several requests at
// once, each retried with exponential back-off on 429, 5xx and network errors (honouring Retry-After), a bounded number
// of times.
import { ServiceError } from "../core/errors.ts";
import { BATCH_CONTROL, MANIFEST_PAGE, type ManifestEntry, PUBLISH_LIMITS } from "../core/publishing.ts";

/**
 * The client's own limits, inside the API's (PUBLISH_LIMITS: 1,000 files and 16 MiB per batch):
 * - `batchFiles`, `batchBytes`: a batch is at most 200 files and 8 MiB (an image up to its 10 MiB limit goes alone), so
 *   one request stays about a second of the worker's time (200 articles are one D1 transaction: PUBLISH_GROUP), well
 *   inside a Worker request's CPU and D1 query limits, and a retry repeats little;
 * - `parallel`: requests in flight at once (`--parallel`, 1 to `maxParallel`): two keep the worker busy while the
 *   client reads and sends the next batch (D1 writes one transaction at a time: more only wait there, holding their
 *   batch in memory; 4 at once cost the worker about a third more CPU per article than 2 in `npm run bench`), and
 *   leave room for readers on a small deployment;
 * - `attempts`: tries per request before its files are reported as not sent (about 8 s of back-off in all);
 * - back-off: `baseDelayMs` doubled per attempt, with jitter (half to all of it), capped at `maxDelayMs`; a
 *   `Retry-After` from the worker is honoured instead, up to `maxRetryAfterMs`;
 * - `timeoutMs`: the longest one request may take (a large image over a slow link); a request that times out is
 *   retried like a network error. `registryTimeoutMs` for the registries: an author change re-publishes every article
 *   of that author in the same request.
 */
export const CLIENT_LIMITS = {
  batchFiles: 200,
  batchBytes: 8 * 1024 * 1024,
  parallel: 2,
  maxParallel: 8,
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 120_000,
  registryTimeoutMs: 600_000,
} as const satisfies Record<string, number>;

// The client's batch limits must stay inside the API's, whatever either becomes.
if (CLIENT_LIMITS.batchFiles > PUBLISH_LIMITS.batchFiles || CLIENT_LIMITS.batchBytes > PUBLISH_LIMITS.batchBytes) {
  throw new Error("CLIENT_LIMITS must stay within PUBLISH_LIMITS");
}

/**
 * A problem that stops the run before or while it talks to the worker (a missing or empty folder, the deletion guard,
 * no token or a refused one, the worker unreachable): the command says it in one line and exits 2.
 */
export class PublishClientError extends ServiceError {
  constructor(message: string) {
    super("bad-request", message);
    this.name = "PublishClientError";
  }
}

/**
 * A file of a batch: its path and bytes, and what the client's diff was based on (the manifest's hash of the path when
 * it was read; null: nothing was stored there), so that a file changed meanwhile by another publish is refused (412)
 * instead of overwritten. A renamed file names the file it replaces and that file's hash.
 */
export interface BatchFile {
  path: string;
  bytes: Uint8Array;
  based?: string | null;
  replaces?: { path: string; based: string | null };
}

/** A file of a batch to delete, and the manifest's hash of it when it was read. */
export interface BatchDeletion {
  path: string;
  based?: string | null;
}

/** The batch's control part (src/http/publish.ts, BATCH_CONTROL): each path's precondition, the renames and deletions. */
export function batchControl(files: readonly BatchFile[], deletions: readonly BatchDeletion[]): string | undefined {
  const ifMatch: Record<string, string> = {};
  const ifNoneMatch: Record<string, string> = {};
  const replaces: Record<string, string> = {};
  const based = (path: string, hash: string | null | undefined) => {
    if (hash === null) ifNoneMatch[path] = "*";
    else if (hash !== undefined) ifMatch[path] = `"${hash}"`;
  };
  for (const file of files) {
    based(file.path, file.based);
    if (file.replaces) {
      replaces[file.path] = file.replaces.path;
      based(file.replaces.path, file.replaces.based);
    }
  }
  for (const deletion of deletions) based(deletion.path, deletion.based);
  const control = {
    ...(Object.keys(ifMatch).length ? { "if-match": ifMatch } : {}),
    ...(Object.keys(ifNoneMatch).length ? { "if-none-match": ifNoneMatch } : {}),
    ...(Object.keys(replaces).length ? { replaces } : {}),
    ...(deletions.length ? { delete: deletions.map((d) => d.path) } : {}),
  };
  return Object.keys(control).length ? JSON.stringify(control) : undefined;
}

/** One file's answer: the status its PUT or DELETE route gives, and the JSON body (or problem) the worker sent. */
export interface FileAnswer {
  path: string;
  status: number;
  body: Record<string, unknown>;
  /** Requests it took (more than 1 after retries). */
  attempts: number;
}

/** A request that got no usable answer after every attempt: its files were not sent (or not all of them). */
export interface SendFailure {
  path: string;
  status: 0;
  /** The last reason: `503 …`, `network error: …`. */
  failure: string;
  attempts: number;
}

export type Answer = FileAnswer | SendFailure;

export const isFailure = (answer: Answer): answer is SendFailure => "failure" in answer;

export interface ApiOptions {
  to: string;
  token: string;
  fetch?: typeof fetch;
  /** Waits between attempts (tests pass one that records and returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. */
  random?: () => number;
  /** Told of each retry, for the run's output. */
  onRetry?: (what: string, attempt: number, delayMs: number, reason: string) => void;
  attempts?: number;
}

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1), from `Retry-After` when the worker sent one (RFC 9110
 * §10.2.3: seconds, or an HTTP date), else exponential back-off with jitter.
 */
export function retryDelay(attempt: number, retryAfter: string | null, random: number, now = Date.now()): number {
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const text = retryAfter.trim();
    const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), CLIENT_LIMITS.maxRetryAfterMs);
  }
  const full = Math.min(CLIENT_LIMITS.baseDelayMs * 2 ** (attempt - 1), CLIENT_LIMITS.maxDelayMs);
  return Math.round(full * (0.5 + random / 2));
}

/** Whether an answer is worth another attempt: overload (429) and server-side failures (5xx). */
export const isRetryable = (status: number): boolean => status === 429 || status >= 500;

interface Raw {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** The worker's publish API, as the client uses it. */
export class PublishApi {
  readonly base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onRetry: ApiOptions["onRetry"];
  readonly #attempts: number;

  constructor(options: ApiOptions) {
    this.base = options.to.replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
    this.#attempts = options.attempts ?? CLIENT_LIMITS.attempts;
  }

  /** Every stored file, page after page. */
  async manifest(): Promise<ManifestEntry[]> {
    const entries: ManifestEntry[] = [];
    let after = "";
    for (;;) {
      const path = `/api/manifest?limit=${MANIFEST_PAGE.max}&after=${encodeURIComponent(after)}`;
      const result = await this.#request("GET", path, "the manifest");
      if ("failure" in result) throw new PublishClientError(`${this.base}/api/manifest: ${result.failure}`);
      if (result.status === 404) {
        throw new PublishClientError(`${this.base} has no publish API: the worker needs PUBLISH_TOKEN set and its DB and IMAGES bindings`);
      }
      if (result.status !== 200) throw new PublishClientError(`${this.base}/api/manifest: ${result.status} ${detailOf(result.body)}`);
      const page = result.body as unknown as { entries: ManifestEntry[]; next: string | null };
      entries.push(...page.entries);
      if (page.next === null) return entries;
      after = page.next;
    }
  }

  /**
   * Files and deletions in one POST /api/batch, each answered as its PUT or DELETE route answers: the files' answers,
   * then the deletions'. A batch the worker keeps failing with 500 (a fault one file triggers, say) is sent again file
   * by file, so the others still go and the fault is named.
   */
  async batch(
    files: readonly BatchFile[],
    timeoutMs: number = CLIENT_LIMITS.timeoutMs,
    deletions: readonly BatchDeletion[] = [],
  ): Promise<Answer[]> {
    const paths = [...files.map((f) => f.path), ...deletions.map((d) => d.path)];
    const form = () => {
      const body = new FormData();
      for (const f of files) body.append(f.path, new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.path.split("/").at(-1));
      const control = batchControl(files, deletions);
      if (control !== undefined) body.append(BATCH_CONTROL, control);
      return body;
    };
    const what = paths.length === 1 ? paths[0]! : `a batch of ${paths.length} files`;
    const result = await this.#request("POST", "/api/batch", what, form, timeoutMs);
    if ("failure" in result) {
      if (paths.length > 1 && result.lastStatus === 500) {
        const one: Answer[] = [];
        for (const f of files) one.push(...(await this.batch([f], timeoutMs)));
        for (const d of deletions) one.push(...(await this.batch([], timeoutMs, [d])));
        return one;
      }
      return paths.map((path) => ({ path, status: 0, failure: result.failure, attempts: result.attempts }));
    }
    const results = (result.body as { results?: Record<string, unknown>[] }).results;
    if (result.status !== 200 || !Array.isArray(results)) {
      // The request as a whole was refused (too large, not multipart): every file in it gets that answer.
      return paths.map((path) => ({ path, status: result.status, body: result.body, attempts: result.attempts }));
    }
    return paths.map((path, i) => {
      const found = results[i]?.path === path ? results[i]! : results.find((r) => r.path === path);
      if (!found) return { path, status: 0, failure: "the worker's answer did not list this file", attempts: result.attempts };
      return { path, status: Number(found.status), body: found, attempts: result.attempts };
    });
  }

  /**
   * One request, retried while the worker is overloaded or failing or cannot be reached. A refused token stops the
   * whole run; any other answer (a refusal included) is returned as it is.
   */
  async #request(
    method: string,
    path: string,
    what: string,
    body?: () => BodyInit | Uint8Array,
    timeoutMs: number = CLIENT_LIMITS.timeoutMs,
  ): Promise<(Raw & { attempts: number }) | { failure: string; attempts: number; lastStatus: number }> {
    let failure = "";
    let lastStatus = 0;
    for (let attempt = 1; ; attempt++) {
      let retryAfter: string | null = null;
      try {
        const raw = await this.#send(method, path, body?.(), timeoutMs);
        if (raw.status === 401 || raw.status === 403) {
          throw new PublishClientError(
            `${this.base} refused the token (${raw.status}): PUBLISH_TOKEN must be the worker's (locally, .dev.vars)`,
          );
        }
        if (!isRetryable(raw.status)) return { ...raw, attempts: attempt };
        lastStatus = raw.status;
        failure = `${raw.status} ${detailOf(raw.body)}`.trim();
        retryAfter = raw.headers.get("Retry-After");
      } catch (error) {
        if (error instanceof PublishClientError) throw error;
        lastStatus = 0;
        const cause = (error as Error).cause ?? (error as Error).message;
        failure = `cannot reach ${this.base} (${String((cause as Error).message ?? cause)}); is the worker running?`;
      }
      if (attempt >= this.#attempts) return { failure: `${failure} (after ${attempt} attempts)`, attempts: attempt, lastStatus };
      const delay = retryDelay(attempt, retryAfter, this.#random());
      this.#onRetry?.(what, attempt, delay, failure);
      await this.#sleep(delay);
    }
  }

  async #send(method: string, path: string, body: BodyInit | Uint8Array | undefined, timeoutMs: number): Promise<Raw> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}` };
    if (body instanceof Uint8Array) headers["Content-Type"] = "application/octet-stream";
    const res = await this.#fetch(this.base + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: body as BodyInit }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(text);
      parsed = value && typeof value === "object" ? (value as Record<string, unknown>) : { detail: text.slice(0, 400) };
    } catch {
      parsed = { detail: text.slice(0, 400) };
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** The detail of a problem body, for a message. */
export function detailOf(body: Record<string, unknown>): string {
  return typeof body.detail === "string" ? body.detail : "";
}

/**
 * Runs `work` over `items`, at most `parallel` at once, in order of start; resolves when all are done. A rejection
 * stops new work from starting and is thrown once the running ones settle.
 */
export async function runPool<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failed) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, lane));
  if (failed) throw failed.error;
}
