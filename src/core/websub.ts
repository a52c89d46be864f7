// Telling the WebSub hub which feeds changed (W3C WebSub §6, Publishing): the feeds of the scopes a publish or a release
// touched are planned, each one's content version compared with the one last announced, and the hub told about the
// rest; a feed the hub refuses is tried again later and later, never every minute forever.
import { type Catalog, HOME, parseScopeKey, type Scope, type ScopeKey } from "./catalog.ts";
import { describeError, type EmitEvent } from "./events.ts";
import { listedFacets, planFeed } from "./feed-plan.ts";
import type { SiteSettings } from "./settings.ts";

/** A feed whose announcement failed or was deferred: to be tried again from `retryAt`. */
export interface PendingFeed {
  key: ScopeKey;
  /** Announcements of it that failed in a row (0 for one only deferred by the request budget). */
  failures: number;
  /** Not to be tried again by the scheduled run before this instant. */
  retryAt: Date;
}

/** What the hub was last told, kept between runs (D1's `state` table at the edge: src/store/d1/state.ts). */
export interface HubStateStore {
  /** The content version each of these feeds was last announced at to `hub` (absent: never, or to another hub). */
  versions(hub: string, keys: readonly ScopeKey[]): Promise<ReadonlyMap<ScopeKey, string>>;
  /** Feeds whose announcement failed or was deferred, to be tried again. */
  pending(): Promise<readonly PendingFeed[]>;
  /**
   * Records one call's outcome at once: the versions the hub accepted, the feeds to try again (and when), and the
   * feeds that no longer need it (announced, unchanged, or gone).
   */
  save(
    hub: string,
    outcome: { announced: ReadonlyMap<ScopeKey, string>; retry: readonly PendingFeed[]; settled: readonly ScopeKey[] },
  ): Promise<void>;
}

/**
 * How long the scheduled run waits before announcing a feed again after `failures` failed announcements in a row:
 * one minute (the next run) after the first, twice as long after each further one, never more than HUB_RETRY_MAX_MS.
 * A hub that answers 4xx to every ping (a wrong WEBSUB_HUB, a hub that refuses the topic) then hears of each feed a
 * few times a day, not every minute; once it accepts, the feed is announced again at the latest HUB_RETRY_MAX_MS later,
 * or at once by the next publish that changes it.
 */
export function hubRetryDelay(failures: number): number {
  return Math.min(HUB_RETRY_FIRST_MS * 2 ** Math.max(0, Math.min(failures, 32) - 1), HUB_RETRY_MAX_MS);
}

/** The wait after a first failure: the next scheduled run. */
export const HUB_RETRY_FIRST_MS = 60_000;
/** The longest wait between two announcements of a feed the hub keeps refusing. */
export const HUB_RETRY_MAX_MS = 6 * 60 * 60 * 1000;

/** A `fetch`: the runtime's, or a test's stub. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HubNotifyDeps {
  catalog: Catalog;
  site: SiteSettings;
  /** Sends the notifications. */
  fetch: Fetch;
  state: HubStateStore;
  emit: EmitEvent;
  /** The output revision of the renderers: part of every version, so a deploy that changes the bytes re-announces. */
  outputRevision: number;
  /**
   * Most requests to the hub in one call. A worker invocation may make 50 subrequests on the Free plan; feeds past the
   * budget are kept pending and announced by the next scheduled run.
   */
  maxRequests?: number;
}

export interface NotifyOutcome {
  /** Feed URLs (every format of each changed feed) the hub accepted. */
  notified: string[];
  /** Feed URLs the hub refused or did not answer; their feeds are retried by a later scheduled run (hubRetryDelay). */
  failed: string[];
  /** Scopes of changed feeds left for the next run because the request budget was spent. */
  deferred: ScopeKey[];
  /** Scopes whose feeds had not changed since they were last announced. */
  unchanged: ScopeKey[];
  /** Pending scopes the scheduled run left alone: the wait after their last failure is not over. */
  waiting: ScopeKey[];
}

/** Hub requests per call unless told otherwise: within the Free plan's 50 subrequests, with room for the rest. */
export const DEFAULT_HUB_REQUESTS = 40;

/**
 * The scope a key names, as the catalog knows it at `now`; undefined when no such facet is public (gone, or all
 * embargoed), and for a language feed the site does not list (a site in one language: its feed is the site's, and
 * announcing it would spend three of the run's hub requests on a feed nobody was shown).
 */
async function resolveScope(catalog: Catalog, key: ScopeKey, now: Date): Promise<Scope | undefined> {
  const named = parseScopeKey(key);
  if (!named || named.kind === "home") return named && HOME;
  if (named.kind === "languages" && (await listedFacets(catalog, "languages", now)).length === 0) return undefined;
  const facet = await catalog.facet(named.kind, named.slug, now);
  return facet?.slug === named.slug ? facet : undefined;
}

/**
 * Announces to `site.websubHub` every subscription feed among `scopes` whose content changed since it was last
 * announced: one `hub.mode=publish` request per format URL (W3C WebSub §6; see `publishPing`). The publish API calls
 * it with the scopes an article left and entered; the scheduled run with those of the articles the clock released, and
 * (`retryPending`) those a previous call could not announce whose wait (hubRetryDelay) is over. Only these feeds are
 * planned, so the cost follows the change, not the archive. A feed is recorded only once the hub accepted every format
 * of it, so a refusal is retried, later after each failure in a row. Without a hub nothing is sent or recorded.
 */
export async function notifyChangedFeeds(
  deps: HubNotifyDeps,
  scopes: Iterable<ScopeKey>,
  now: Date,
  options: { retryPending?: boolean } = {},
): Promise<NotifyOutcome> {
  const { catalog, site, state, emit } = deps;
  const outcome: NotifyOutcome = { notified: [], failed: [], deferred: [], unchanged: [], waiting: [] };
  const hub = site.websubHub;
  if (!hub) return outcome;
  // Read on every call, so a feed's failures in a row are counted whichever call announces it.
  const pending = new Map((await state.pending()).map((p) => [p.key, p]));
  const due: ScopeKey[] = [];
  if (options.retryPending) {
    for (const p of pending.values()) {
      if (p.retryAt.getTime() <= now.getTime()) due.push(p.key);
      else outcome.waiting.push(p.key);
    }
  }
  const keys = [...new Set([...scopes, ...due])].sort();
  const known = await state.versions(hub, keys);
  const announced = new Map<ScopeKey, string>();
  const retry: PendingFeed[] = [];
  const settled: ScopeKey[] = [];
  let budget = deps.maxRequests ?? DEFAULT_HUB_REQUESTS;

  for (const key of keys) {
    const scope = await resolveScope(catalog, key, now);
    const plan = scope && (await planFeed(catalog, site, now, { scope }))!;
    // A facet whose last article left, or whose articles are all still under embargo, has no feed to announce (the
    // plan's count says so); the release of its first article brings it back through the scheduled run.
    if (!scope || !plan || (scope.kind !== "home" && plan.count === 0)) {
      settled.push(key);
      continue;
    }
    const version = `${deps.outputRevision}-${plan.version}`;
    if (known.get(key) === version) {
      outcome.unchanged.push(key);
      settled.push(key);
      continue;
    }
    const urls = Object.values(plan.head.self);
    const failures = pending.get(key)?.failures ?? 0;
    if (budget < urls.length) {
      outcome.deferred.push(key);
      retry.push({ key, failures, retryAt: now });
      for (const feed of urls) emit({ event: "hub-notification", hub, feed, outcome: "deferred" });
      continue;
    }
    budget -= urls.length;
    // When this feed is tried again should the hub not take it now: said in each failure's event.
    const retryAt = new Date(now.getTime() + hubRetryDelay(failures + 1));
    let accepted = true;
    for (const feed of urls) {
      if (await announce(deps.fetch, emit, hub, feed, retryAt)) outcome.notified.push(feed);
      else {
        outcome.failed.push(feed);
        accepted = false;
      }
    }
    if (accepted) {
      announced.set(key, version);
      settled.push(key);
    } else retry.push({ key, failures: failures + 1, retryAt });
  }
  await state.save(hub, { announced, retry, settled });
  return outcome;
}

/**
 * The form body of a publish ping (`application/x-www-form-urlencoded`), field by field as hubs read it. WebSub §6
 * leaves the publish request to the hub; the de facto form, from PubSubHubbub 0.4, is `hub.mode=publish` with the topic
 * in `hub.url`, which Google's and Superfeedr's hubs read, while Flask-WebSub (and websub.rocks' hub) read
 * `hub.topic`, refusing a ping without it with 400 "Missing form argument: hub.topic". Both carry the feed's own URL.
 */
export function publishPing(feed: string): URLSearchParams {
  return new URLSearchParams([
    ["hub.mode", "publish"],
    ["hub.topic", feed],
    ["hub.url", feed],
  ]);
}

/** One publish notification; true when the hub accepted it (any 2xx: hubs answer 202 or 204). */
async function announce(fetch: Fetch, emit: EmitEvent, hub: string, feed: string, retryAt: Date): Promise<boolean> {
  try {
    const response = await fetch(hub, {
      method: "POST",
      body: publishPing(feed),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    await response.body?.cancel();
    emit({
      event: "hub-notification",
      hub,
      feed,
      outcome: response.ok ? "accepted" : "refused",
      status: response.status,
      ...(response.ok ? {} : { retryAt: retryAt.toISOString() }),
    });
    return response.ok;
  } catch (error) {
    emit({ event: "hub-notification", hub, feed, outcome: "unreachable", error: describeError(error), retryAt: retryAt.toISOString() });
    return false;
  }
}
