// The Cron Trigger's run (wrangler.toml `[triggers] crons`) over the composed services: the release check —
// releases logged, changed feeds announced to WEBSUB_HUB, the clock kept in D1's `state` table — and a bounded sweep of
// the parts databases (PARTS_n) for versions no article names.
import { StorageError } from "../core/errors.ts";
import { type ReleaseRun, runReleaseCheck } from "../core/releases.ts";
import { sweepParts } from "../sources/d1-shards.ts";
import type { Services } from "./services.ts";

/**
 * One scheduled run at `scheduledTime` (the minute it was due, so a late start sees the same window). A store fault is
 * logged as one event and rethrown, so the dashboard shows the run as failed and the next run covers the same window.
 */
export async function runScheduled(
  services: Pick<Services, "ledger" | "emit" | "hub" | "shards">,
  scheduledTime: number,
): Promise<ReleaseRun> {
  const { ledger, emit, hub, shards } = services;
  try {
    const run = await runReleaseCheck({ ledger, emit, ...(hub ? { hub } : {}) }, new Date(scheduledTime));
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
