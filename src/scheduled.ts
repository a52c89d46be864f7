// The Cron Trigger's entry (wrangler.toml `[triggers] crons`): reads the environment and runs the release check over
// D1 — releases logged, changed feeds announced to WEBSUB_HUB, the clock kept in D1's `state` table.
import { StorageError } from "./core/errors.ts";
import { consoleSink, createEventLog, type EmitEvent } from "./core/events.ts";
import { type ReleaseRun, runReleaseCheck } from "./core/releases.ts";
import { parseSettings } from "./core/settings.ts";
import { OUTPUT_REVISION } from "./formats/index.ts";
import { createD1Catalog } from "./sources/d1-catalog.ts";
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
  const hub = site.websubHub
    ? {
        catalog: createD1Catalog(env.DB, env.IMAGES),
        site,
        // Looked up at each call, not captured, so the runtime's fetch (or a test's spy on it) is the one used.
        fetch: (url: string, init: RequestInit) => fetch(url, init),
        state: createD1HubState(env.DB),
        emit,
        outputRevision: OUTPUT_REVISION,
      }
    : undefined;
  try {
    return await runReleaseCheck({ ledger: createD1ReleaseLedger(env.DB), emit, ...(hub ? { hub } : {}) }, now);
  } catch (error) {
    if (error instanceof StorageError)
      emit({ event: "storage-fault", store: error.store, operation: error.operation, message: error.message });
    throw error;
  }
}
