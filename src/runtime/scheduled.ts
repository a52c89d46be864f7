// The Cron Trigger's run (wrangler.toml `[triggers] crons`) over the composed services: the release check —
// releases logged, purged from Workers Caching, changed feeds announced to WEBSUB_HUB, the clock kept in D1's `state`
// table — and a bounded sweep of every database holding articles' parts for versions no article names.
import { StorageError } from "../core/errors.ts";
import { type ReleasedArticle, type ReleaseRun, runReleaseCheck } from "../core/releases.ts";
import { type CachePurgeApi, tagsOfRelease } from "../http/cache-tags.ts";
import { sweepParts } from "../store/d1/parts.ts";
import { purgeReleasedAndQueued } from "./edge-cache.ts";
import type { Services } from "./services.ts";

/**
 * One scheduled run at `scheduledTime` (the minute it was due, so a late start sees the same window). What the window
 * released, and what earlier purges left queued, is purged from Workers Caching through `cache` (the invocation's
 * `ctx.cache`; absent locally) before the hub is told. A store fault is logged as one event and rethrown, so the
 * dashboard shows the run as failed and the next run covers the same window. A finished run logs `scheduled-run`.
 */
export async function runScheduled(
  services: Pick<Services, "ledger" | "emit" | "hub" | "shards" | "purge">,
  scheduledTime: number,
  cache?: CachePurgeApi,
): Promise<ReleaseRun> {
  const { ledger, emit, hub, shards, purge } = services;
  try {
    let purged = 0;
    const beforeAnnounce = async (released: readonly ReleasedArticle[]) => {
      purged = await purgeReleasedAndQueued(cache, tagsOfRelease(released), purge);
    };
    const run = await runReleaseCheck({ ledger, emit, beforeAnnounce, ...(hub ? { hub } : {}) }, new Date(scheduledTime));
    // Parts that no article names any more (a clean-up that failed, a publish cut off half way) go, a bounded step a run.
    for (const swept of await sweepParts(shards)) {
      if (swept.deleted) emit({ event: "parts-sweep", shard: swept.shard, checked: swept.checked, deleted: swept.deleted });
    }
    emit({
      event: "scheduled-run",
      until: run.until.toISOString(),
      released: run.released.length,
      announced: run.hub?.notified.length ?? 0,
      purged,
    });
    return run;
  } catch (error) {
    if (error instanceof StorageError)
      emit({ event: "storage-fault", store: error.store, operation: error.operation, message: error.message });
    throw error;
  }
}
