// The one place the worker calls Workers Caching (wrangler.toml, `[env.production.cache]`): a purge by tag through the
// invocation's `ctx.cache`, after a publish, a delete or an embargo release. Where there is no `ctx.cache` (wrangler
// dev, the vitest plugin: Miniflare has no Workers Caching, and nothing caches in front of the worker there) there is
// nothing to purge. A purge the platform refuses (it allows a few calls a minute: docs/deploying.md) or that fails is
// logged and its tags kept in D1, and the next scheduled run purges them, so an answer is never stale for long.
import { describeError, type EmitEvent } from "../core/events.ts";
import { type CachePurgeApi, SITE_TAG } from "../http/cache-tags.ts";

/** Tags a purge could not take, kept for the next scheduled run (D1's `state` table: src/store/d1/state.ts). */
export interface PurgeQueue {
  add(tags: readonly string[]): Promise<void>;
  /** Up to `limit` queued tags, and whether more wait. */
  pending(limit: number): Promise<{ tags: string[]; more: boolean }>;
  /** Forgets these tags, or every tag queued up to `upTo` (a tag queued after a purge began still waits for the next). */
  clear(tags: readonly string[] | "all", upTo: Date): Promise<void>;
}

export interface PurgeDeps {
  emit: EmitEvent;
  /** Where refused tags wait for the next scheduled run; without one they are only logged. */
  queue?: PurgeQueue;
}

export type PurgeTrigger = "publish" | "release" | "retry" | "manual" | "settings";

/**
 * Most tags one purge carries. A change that touches more (a large batch) purges the whole site in one call instead:
 * the platform limits purge calls a minute, not what they drop.
 */
export const PURGE_TAGS_MAX = 30;

/** The invocation's Workers Caching handle, where the runtime gives one. */
export function purgeApiOf(ctx: { cache?: CachePurgeApi } | undefined): CachePurgeApi | undefined {
  return ctx?.cache;
}

/**
 * Purges `tags` through `api`: true when the platform took them. Refused or failed, they are queued for the next
 * scheduled run and logged; nothing is thrown, so a publish or a run never fails for its purge.
 */
export async function purgeTags(
  api: CachePurgeApi | undefined,
  tags: readonly string[],
  trigger: PurgeTrigger,
  deps: PurgeDeps,
): Promise<boolean> {
  if (!api || tags.length === 0) return false;
  const sent = tags.length > PURGE_TAGS_MAX ? [SITE_TAG] : [...new Set(tags)];
  let error: string;
  try {
    const result = await api.purge({ tags: sent });
    if (result.success) {
      deps.emit({ event: "cache-purge", trigger, tags: sent, outcome: "purged" });
      return true;
    }
    error = result.errors.map((e) => `${e.code}: ${e.message}`).join("; ") || "refused";
  } catch (thrown) {
    error = describeError(thrown);
  }
  try {
    await deps.queue?.add(sent);
  } catch (thrown) {
    deps.emit({ event: "storage-fault", store: "d1", operation: "purge queue write", message: describeError(thrown) });
  }
  deps.emit({ event: "cache-purge", trigger, tags: sent, outcome: "queued", error });
  return false;
}

/**
 * The scheduled run's purge: what the run released and what earlier purges left queued, in one call; the queue is
 * cleared of what was sent once the platform took it. Answers how many tags were purged.
 */
export async function purgeReleasedAndQueued(
  api: CachePurgeApi | undefined,
  released: readonly string[],
  deps: PurgeDeps,
  now: () => Date = () => new Date(),
): Promise<number> {
  if (!api) return 0;
  const started = now();
  const queued = deps.queue ? await deps.queue.pending(PURGE_TAGS_MAX) : { tags: [], more: false };
  let tags = [...new Set([...queued.tags, ...released])];
  const everything = queued.more || tags.length > PURGE_TAGS_MAX || tags.includes(SITE_TAG);
  if (everything) tags = [SITE_TAG];
  if (tags.length === 0) return 0;
  const purged = await purgeTags(api, tags, released.length > 0 ? "release" : "retry", deps);
  if (purged && deps.queue && queued.tags.length > 0) await deps.queue.clear(everything ? "all" : queued.tags, started);
  return purged ? tags.length : 0;
}
