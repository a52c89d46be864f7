// The scheduled run: which articles the clock released since the last run, logged as release events and announced to
// the WebSub hub through the feeds they are in; the run's clock is kept in storage so each release is seen once.

import type { ScopeKey } from "./catalog.ts";
import type { EmitEvent } from "./events.ts";
import { type HubNotifyDeps, type NotifyOutcome, notifyChangedFeeds } from "./websub.ts";

/** An article whose publication time fell in a run's window, with the lists it is in. */
export interface ReleasedArticle {
  slug: string;
  published: Date;
  scopes: readonly ScopeKey[];
}

/** Where the scheduled run keeps its clock and finds releases (D1 at the edge: src/store/d1/state.ts). */
export interface ReleaseLedger {
  /** The instant the last run looked up to; undefined before the first run. */
  lastRun(): Promise<Date | undefined>;
  /** Articles published in (after, until], oldest first: one indexed range over publication times. */
  released(after: Date, until: Date): Promise<readonly ReleasedArticle[]>;
  /** Moves the clock to `until` (never backwards: a late, overlapping run cannot undo a newer one). */
  recordRun(until: Date): Promise<void>;
}

export interface ReleaseRunDeps {
  ledger: ReleaseLedger;
  emit: EmitEvent;
  /** How to tell the hub; absent when WEBSUB_HUB is not set (releases are still logged and the clock kept). */
  hub?: HubNotifyDeps;
  /**
   * Called with what the window released (possibly nothing) before the hub is told, so that caches in front of the
   * feeds have dropped them by the time the hub fetches them (the edge's purge: src/runtime/scheduled.ts).
   */
  beforeAnnounce?: (released: readonly ReleasedArticle[]) => Promise<void>;
}

export interface ReleaseRun {
  /** The window looked at: (after, until]. */
  after: Date;
  until: Date;
  released: readonly ReleasedArticle[];
  hub?: NotifyOutcome;
}

/**
 * How far back the very first run looks (no clock stored yet): far enough to catch an embargo that lifted between the
 * first publish and the first run, bounded so the first run costs a day of releases, never the archive.
 */
export const FIRST_RUN_LOOKBACK_MS = 24 * 60 * 60 * 1000;

/**
 * One scheduled run at `now`: every article published in (last run, now] is logged as a release, the feeds of its
 * lists are announced if their content changed (with any feed an earlier call could not announce), and the clock moves
 * to `now`. If the store fails, the error propagates and the clock stays, so the next run covers this window again.
 */
export async function runReleaseCheck(deps: ReleaseRunDeps, now: Date): Promise<ReleaseRun> {
  const after = (await deps.ledger.lastRun()) ?? new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS);
  // A run scheduled before the last one (triggers can arrive late and out of order) has nothing new to see.
  const released = after < now ? await deps.ledger.released(after, now) : [];
  for (const article of released) deps.emit({ event: "release", slug: article.slug, published: article.published.toISOString() });
  await deps.beforeAnnounce?.(released);
  const scopes = released.flatMap((article) => article.scopes);
  const hub = deps.hub ? await notifyChangedFeeds(deps.hub, scopes, now, { retryPending: true }) : undefined;
  if (after < now) await deps.ledger.recordRun(now);
  return { after, until: now, released, ...(hub ? { hub } : {}) };
}
