// The Cron Trigger's entry (wrangler.toml `[triggers] crons`): reads the environment and runs the release check over
// D1 — releases logged, changed feeds announced to WEBSUB_HUB, the clock kept in D1's `state` table — and sweeps the
// parts databases (PARTS_n) of versions no article names.
import { StorageError } from "./core/errors.ts";
import { consoleSink, createEventLog, type EmitEvent } from "./core/events.ts";
import { type ReleaseRun, runReleaseCheck } from "./core/releases.ts";
import { parseSettings } from "./core/settings.ts";
import { OUTPUT_REVISION } from "./formats/index.ts";
import { createD1Catalog } from "./sources/d1-catalog.ts";
import { type ShardEnv, shardsFromEnv, sweepParts } from "./sources/d1-shards.ts";
import { createD1HubState, createD1ReleaseLedger } from "./sources/d1-state.ts";

/**
 * One scheduled run at the controller's scheduled time (the minute it was due, so a late start sees the same window).
 * Events go to `console.log`, one JSON line each; a store fault is logged as one and rethrown, so the dashboard shows
 * the run as failed and the next run covers the same window.
 */
export async function handleScheduled(
  controller: Pick<ScheduledController, "scheduledTime">,
  env: Env,
  emit: EmitEvent = createEventLog(consoleSink),
): Promise<ReleaseRun> {
  const now = new Date(controller.scheduledTime);
  const site = parseSettings(env as unknown as Record<string, unknown>);
  const shards = shardsFromEnv(env.DB, env as Env & ShardEnv);
  const hub = site.websubHub
    ? {
        catalog: createD1Catalog(env.DB, env.IMAGES, { shards, siteUrl: site.url }),
        site,
        // Looked up at each call, not captured, so the runtime's fetch (or a test's spy on it) is the one used.
        fetch: (url: string, init: RequestInit) => fetch(url, init),
        state: createD1HubState(env.DB),
        emit,
        outputRevision: OUTPUT_REVISION,
      }
    : undefined;
  try {
    const run = await runReleaseCheck({ ledger: createD1ReleaseLedger(env.DB), emit, ...(hub ? { hub } : {}) }, now);
    // Parts that no article names any more (a clean-up that failed, a publish cut off half way) go, a bounded step a run.
    for (const swept of await sweepParts(shards)) {
      if (swept.deleted) emit({ event: "parts-sweep", shard: swept.shard, checked: swept.checked, deleted: swept.deleted });
    }
    return run;
  } catch (error) {
    if (error instanceof StorageError)
      emit({ event: "storage-fault", store: error.store, operation: error.operation, message: error.message });
    throw error;
  }
}
