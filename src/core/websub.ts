// Telling the WebSub hub which feeds changed (W3C WebSub §7): the feeds of the scopes a publish or a release touched
// are planned, each one's content version compared with the one last announced, and the hub told about the rest.
import { type Catalog, HOME, parseScopeKey, type Scope, type ScopeKey } from "./catalog.ts";
import { describeError, type EmitEvent } from "./events.ts";
import { planFeed } from "./feed-plan.ts";
import type { SiteSettings } from "./settings.ts";

/** What the hub was last told, kept between runs (D1's `state` table at the edge: src/store/d1/state.ts). */
export interface HubStateStore {
  /** The content version each of these feeds was last announced at to `hub` (absent: never, or to another hub). */
  versions(hub: string, keys: readonly ScopeKey[]): Promise<ReadonlyMap<ScopeKey, string>>;
  /** Feeds whose announcement failed or was deferred, to be tried again. */
  pending(): Promise<readonly ScopeKey[]>;
  /**
   * Records one call's outcome at once: the versions the hub accepted, the feeds to try again, and the feeds that no
   * longer need it (announced, unchanged, or gone).
   */
  save(
    hub: string,
    outcome: { announced: ReadonlyMap<ScopeKey, string>; retry: readonly ScopeKey[]; settled: readonly ScopeKey[] },
  ): Promise<void>;
}

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
  /** Feed URLs the hub refused or did not answer; their feeds are retried by the next scheduled run. */
  failed: string[];
  /** Scopes of changed feeds left for the next run because the request budget was spent. */
  deferred: ScopeKey[];
  /** Scopes whose feeds had not changed since they were last announced. */
  unchanged: ScopeKey[];
}

/** Hub requests per call unless told otherwise: within the Free plan's 50 subrequests, with room for the rest. */
export const DEFAULT_HUB_REQUESTS = 40;

/** The scope a key names, as the catalog knows it now; undefined when no such facet has articles any more. */
async function resolveScope(catalog: Catalog, key: ScopeKey): Promise<Scope | undefined> {
  const named = parseScopeKey(key);
  if (!named || named.kind === "home") return named && HOME;
  const facet = await catalog.facet(named.kind, named.slug);
  return facet?.slug === named.slug ? facet : undefined;
}

/**
 * Announces to `site.websubHub` every subscription feed among `scopes` whose content changed since it was last
 * announced: one `hub.mode=publish` request per format URL (W3C WebSub §7). The publish API calls it with the scopes
 * an article left and entered; the scheduled run with those of the articles the clock released, and (`retryPending`)
 * those a previous call could not announce. Only these feeds are planned, so the cost follows the change, not the
 * archive. A feed is recorded only once the hub accepted every format of it, so a refusal is retried. Without a hub
 * nothing is sent or recorded.
 */
export async function notifyChangedFeeds(
  deps: HubNotifyDeps,
  scopes: Iterable<ScopeKey>,
  now: Date,
  options: { retryPending?: boolean } = {},
): Promise<NotifyOutcome> {
  const { catalog, site, state, emit } = deps;
  const outcome: NotifyOutcome = { notified: [], failed: [], deferred: [], unchanged: [] };
  const hub = site.websubHub;
  if (!hub) return outcome;
  const keys = [...new Set([...scopes, ...(options.retryPending ? await state.pending() : [])])].sort();
  const known = await state.versions(hub, keys);
  const announced = new Map<ScopeKey, string>();
  const retry: ScopeKey[] = [];
  const settled: ScopeKey[] = [];
  let budget = deps.maxRequests ?? DEFAULT_HUB_REQUESTS;

  for (const key of keys) {
    const scope = await resolveScope(catalog, key);
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
    if (budget < urls.length) {
      outcome.deferred.push(key);
      retry.push(key);
      for (const feed of urls) emit({ event: "hub-notification", hub, feed, outcome: "deferred" });
      continue;
    }
    budget -= urls.length;
    let accepted = true;
    for (const feed of urls) {
      if (await announce(deps.fetch, emit, hub, feed)) outcome.notified.push(feed);
      else {
        outcome.failed.push(feed);
        accepted = false;
      }
    }
    if (accepted) {
      announced.set(key, version);
      settled.push(key);
    } else retry.push(key);
  }
  await state.save(hub, { announced, retry, settled });
  return outcome;
}

/** One publish notification; true when the hub accepted it (any 2xx: hubs answer 202 or 204). */
async function announce(fetch: Fetch, emit: EmitEvent, hub: string, feed: string): Promise<boolean> {
  try {
    const response = await fetch(hub, {
      method: "POST",
      body: new URLSearchParams({ "hub.mode": "publish", "hub.url": feed }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    await response.body?.cancel();
    emit({ event: "hub-notification", hub, feed, outcome: response.ok ? "accepted" : "refused", status: response.status });
    return response.ok;
  } catch (error) {
    emit({ event: "hub-notification", hub, feed, outcome: "unreachable", error: describeError(error) });
    return false;
  }
}
