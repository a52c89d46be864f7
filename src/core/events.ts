// The service's log: one JSON line per event (publish, rejection, release, hub notification, cache purge, scheduled
// run, storage fault, error), written through one function to a sink the caller passes in (console.log at the edge, an
// array in tests).

/** Where event lines go. At the edge, `console.log`: Workers Logs indexes each JSON line's fields. */
export type EventSink = (line: string) => void;

/** The stores a read or write can fail on. */
export type StoreName = "d1" | "r2";

/** Every event the service logs, by name; each has its own fields. */
export type LogEvent =
  /** An article, draft or registry stored (or deleted) by the publish API. */
  | { event: "publish"; file: string; result: "created" | "updated" | "unchanged" | "deleted"; slug?: string }
  /** A publish refused: the file, and why (the content check's messages, or the request's fault). */
  | { event: "rejection"; file?: string; reason: string; issues?: readonly string[] }
  /** An article whose publication time the scheduled run passed: it is now in its feeds. */
  | { event: "release"; slug: string; published: string }
  /** One feed URL told to the WebSub hub, with the hub's answer; `deferred` when the run's request budget was spent. */
  | {
      event: "hub-notification";
      hub: string;
      feed: string;
      outcome: "accepted" | "refused" | "unreachable" | "deferred";
      status?: number;
      error?: string;
      /** When a refused or unreachable feed is tried again at the earliest (ISO 8601): later after each failure in a row. */
      retryAt?: string;
    }
  /**
   * Answers purged from Workers Caching by tag (src/runtime/edge-cache.ts): after a publish, an embargo release, or a
   * retry by the scheduled run of tags a purge could not take (`queued`: kept in D1 for the next run).
   */
  | {
      event: "cache-purge";
      trigger: "publish" | "release" | "retry" | "manual" | "settings";
      tags: readonly string[];
      outcome: "purged" | "queued";
      error?: string;
    }
  /**
   * One scheduled run, done: articles released, feed URLs the hub accepted, tags purged from Workers Caching (a few
   * minutes without one is a silent cron: docs/monitoring.md).
   */
  | { event: "scheduled-run"; until: string; released: number; announced: number; purged: number }
  /**
   * The scheduled run's step of publishing again what was stored under other settings that shape stored items
   * (src/core/publish/shaping.ts): articles whose stored bytes changed (purged and announced), articles and registries
   * whose bytes came out the same (their settings noted), files that no longer pass (kept as they are), and whether
   * others wait for the next run. Logged only when a run had something to do.
   */
  | {
      event: "settings-refresh";
      refreshed: number;
      unchanged: number;
      refused: number;
      registries: number;
      more: boolean;
      announced: number;
    }
  /** The scheduled run deleted parts no article names from a database holding them (src/store/d1/parts.ts). */
  | { event: "parts-sweep"; shard: number; checked: number; deleted: number }
  /** A store failed: reads answer 503, the scheduled run tries again next time. */
  | { event: "storage-fault"; store: StoreName; operation: string; message: string; path?: string }
  /** Anything else that went wrong: the request answered 500. */
  | { event: "error"; message: string; stack?: string; path?: string };

export type EventName = LogEvent["event"];

/** Longest text field an event line carries: an error message may quote a whole SQL statement or a request. */
const FIELD_MAX = 1000;

/** The JSON line of an event: its name first, texts capped, nothing else added (the runtime stamps the time). */
export function formatEvent(event: LogEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === "string" ? capField(value) : value));
}

function capField(text: string): string {
  if (text.length <= FIELD_MAX) return text;
  const end = /[\ud800-\udbff]/.test(text[FIELD_MAX - 2]!) ? FIELD_MAX - 2 : FIELD_MAX - 1; // never half a surrogate pair
  return `${text.slice(0, end)}…`;
}

/** The function everything logs events through. */
export type EmitEvent = (event: LogEvent) => void;

/** An emitter writing each event as one line to `sink`. */
export function createEventLog(sink: EventSink): EmitEvent {
  return (event) => sink(formatEvent(event));
}

/** Events that are faults: written at error level, the rest at info level (Workers Logs and `wrangler dev` show the level). */
const FAULTS: ReadonlySet<EventName> = new Set(["storage-fault", "error"]);

/** The console as an event sink: faults to `console.error`, every other event to `console.log`. */
export function consoleSink(line: string): void {
  const name = /^\{"event":"([a-z-]+)"/.exec(line)?.[1] as EventName | undefined;
  if (name && FAULTS.has(name)) console.error(line);
  else console.log(line);
}

/** An error's message, for an event. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
