// The Cron Trigger's run (wrangler.toml `[triggers] crons`) over the composed services: the release check —
// releases logged, purged from Workers Caching, changed feeds announced to WEBSUB_HUB, the clock kept in D1's `state`
// table — a bounded sweep of every database holding articles' parts for versions no article names, and a bounded
// step of publishing again the articles stored under other settings (src/core/publish/shaping.ts).
import { StorageError } from "../core/errors.ts";
import { type ReleasedArticle, type ReleaseRun, runReleaseCheck } from "../core/releases.ts";
import { notifyChangedFeeds } from "../core/websub.ts";
import { type CachePurgeApi, tagsOfChange, tagsOfRelease } from "../http/cache-tags.ts";
import { sweepParts } from "../store/d1/parts.ts";
import { purgeReleasedAndQueued, purgeTags } from "./edge-cache.ts";
import type { Services } from "./services.ts";

/**
 * One scheduled run at `scheduledTime` (the minute it was due, so a late start sees the same window). What the window
 * released, and what earlier purges left queued, is purged from Workers Caching through `cache` (the invocation's
 * `ctx.cache`; absent locally) before the hub is told. A store fault is logged as one event and rethrown, so the
 * dashboard shows the run as failed and the next run covers the same window. A finished run logs `scheduled-run`.
 */
export async function runScheduled(
  services: Pick<Services, "ledger" | "emit" | "hub" | "shards" | "purge" | "refresher">,
  scheduledTime: number,
  cache?: CachePurgeApi,
): Promise<ReleaseRun> {
  const { ledger, emit, hub, shards, purge, refresher } = services;
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
    // Items stored under other settings (a new SITE_URL…): the newest SHAPING_STEP published again, purged and announced
    // as a publish is when their bytes changed. Logged only when there was something to do.
    if (refresher) {
      const refresh = await refresher.refreshShaping(new Date(scheduledTime));
      let announced = 0;
      if (refresh.change) {
        await purgeTags(cache, tagsOfChange(refresh.change), "settings", purge);
        if (hub) announced = (await notifyChangedFeeds(hub, refresh.change.scopes, refresh.change.now)).notified.length;
      }
      const refreshed = refresh.articles.filter((a) => a.result !== "unchanged").length;
      if (refresh.articles.length || refresh.registries.length || refresh.refused.length) {
        emit({
          event: "settings-refresh",
          refreshed,
          unchanged: refresh.articles.length - refreshed,
          refused: refresh.refused.length,
          registries: refresh.registries.length,
          more: refresh.more,
          announced,
        });
      }
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
