// The composition root: the one place that reads the Worker's environment (settings, secrets, bindings) and builds
// everything the `fetch` and `scheduled` entries use from it, so both run over the same catalog, stores and hub.
import type { Catalog } from "../core/catalog.ts";
import { callStore } from "../core/errors.ts";
import { consoleSink, createEventLog, type EmitEvent, type EventSink } from "../core/events.ts";
import { createPublisher } from "../core/publish/publisher.ts";
import { shapingOf } from "../core/publish/shaping.ts";
import type { Publisher } from "../core/publishing.ts";
import type { ReleaseLedger } from "../core/releases.ts";
import { parsePublishToken, parseSettings, type SiteSettings } from "../core/settings.ts";
import type { HubNotifyDeps } from "../core/websub.ts";
import { notifyChangedFeeds } from "../core/websub.ts";
import { ITEM_WRITERS, OUTPUT_REVISION } from "../formats/index.ts";
import { type App, createApp } from "../http/app.ts";
import { createMemoryCache, ISOLATE_CACHE_LIMITS, noCache } from "../http/body-cache.ts";
import { tagsOfChange } from "../http/cache-tags.ts";
import type { HealthProbe } from "../http/health.ts";
import type { PublishRoutesOptions } from "../http/publish.ts";
import { createD1Catalog } from "../store/d1/catalog.ts";
import { type PartsShards, type ShardEnv, shardsFromEnv } from "../store/d1/parts.ts";
import { createD1HubState, createD1PurgeQueue, createD1ReleaseLedger } from "../store/d1/state.ts";
import { createD1Store } from "../store/d1/store.ts";
import { type PurgeDeps, purgeTags } from "./edge-cache.ts";

/** Settings, secrets and bindings that `wrangler types` does not declare (optional ones; PARTS_n: src/store/d1/parts.ts). */
export interface OptionalEnv extends ShardEnv {
  /** `off`: keep no rendered bodies, so every request assembles its document (benchmarks, debugging; BENCHMARKS.md). */
  BODY_CACHE?: string;
  /** The publish API's secret (`wrangler secret put PUBLISH_TOKEN`; locally, `.dev.vars`); unset, the API is off. */
  PUBLISH_TOKEN?: string;
}

/** Everything the entries run over, built once from one environment. */
export interface Services {
  site: SiteSettings;
  /** What the app and the scheduled run read: D1 and R2. */
  catalog: Catalog;
  /** Where articles' parts are kept: the catalog database and any PARTS_n databases bound beside it. */
  shards: PartsShards;
  /** The scheduled run's clock and the releases it finds. */
  ledger: ReleaseLedger;
  /** The event log: one JSON line per event. */
  emit: EmitEvent;
  /** How to tell WEBSUB_HUB which feeds changed; absent without the setting. */
  hub?: HubNotifyDeps;
  /** The log and the D1 queue a Workers Caching purge uses (src/runtime/edge-cache.ts). */
  purge: PurgeDeps;
  /**
   * The publish use case over D1 and R2, for the scheduled run's step of bringing items stored under other settings up
   * to date (src/core/publish/shaping.ts); absent without both bindings.
   */
  refresher?: Pick<Publisher, "refreshShaping">;
  /** The HTTP application (routes, publish API when PUBLISH_TOKEN and both stores are there). */
  app: App;
}

export interface ComposeOptions {
  /** Where events go; the console (Workers Logs) by default, a test's collector otherwise. */
  log?: EventSink;
}

/** The R2 key /healthz asks about: no object has it, so the HEAD reads nothing but still needs R2 to answer. */
const HEALTH_KEY = "healthz/probe";

/** Builds the services of one environment. Throws ConfigError naming the setting when one is missing or invalid. */
export function composeServices(env: Env, options: ComposeOptions = {}): Services {
  const bindings = env as Env & OptionalEnv;
  const settings = env as unknown as Record<string, unknown>;
  const site = parseSettings(settings);
  const log = options.log ?? consoleSink;
  const emit = createEventLog(log);
  const shards = shardsFromEnv(bindings.DB, bindings);
  // SITE_URL lets the catalog recognise authors' local avatars in the stored registry (public from the start).
  const catalog = createD1Catalog(bindings.DB, bindings.IMAGES, { shards, siteUrl: site.url });
  // Rendered documents stay in the isolate by content version, within a byte budget that leaves the 128 MB isolate
  // room for requests in flight (ISOLATE_CACHE_LIMITS: 16 MiB in all, no body over 1 MiB; reasons beside it).
  const cache = bindings.BODY_CACHE === "off" ? noCache : createMemoryCache(ISOLATE_CACHE_LIMITS);
  const hub: HubNotifyDeps | undefined = site.websubHub
    ? {
        catalog,
        site,
        // Looked up at each call, not captured, so the runtime's fetch (or a test's spy on it) is the one used.
        fetch: (url, init) => fetch(url, init),
        state: createD1HubState(bindings.DB),
        emit,
        outputRevision: OUTPUT_REVISION,
      }
    : undefined;
  const token = parsePublishToken(settings);
  const purge: PurgeDeps = { emit, queue: createD1PurgeQueue(bindings.DB) };
  // One publisher for the API and the scheduled run, over the settings' fingerprint computed once here.
  const publisher =
    bindings.DB && bindings.IMAGES
      ? createPublisher({
          store: createD1Store(bindings.DB, bindings.IMAGES, shards, { emit }),
          site,
          items: { writers: ITEM_WRITERS, revision: OUTPUT_REVISION },
          shaping: shapingOf(site),
        })
      : undefined;
  // Publishing needs the secret and both stores; without any of them /api/* does not exist (404). What a publish
  // touched is purged from Workers Caching before the answer (so the editor, and everyone, sees it at once), then its
  // feeds are announced to the hub, through the same function as the scheduled run, after the answer: the hub fetches
  // them fresh.
  const publish: PublishRoutesOptions | undefined =
    token && publisher
      ? {
          publisher,
          token,
          onChange: async (change, waitUntil, api) => {
            await purgeTags(api, tagsOfChange(change), "publish", purge);
            if (hub) waitUntil(notifyChangedFeeds(hub, change.scopes, change.now));
          },
          purge: (api, tags) => purgeTags(api, tags, "manual", purge),
        }
      : undefined;
  const ledger = createD1ReleaseLedger(bindings.DB);
  // /healthz: one indexed D1 read (the cron's clock, which also says whether the cron runs) and one R2 HEAD.
  const health: HealthProbe = {
    d1: () => ledger.lastRun(),
    r2: () => callStore("r2", "health check", async () => void (await bindings.IMAGES.head(HEALTH_KEY))),
  };
  const app = createApp({ catalog, site, cache, log, publish, health });
  return { site, catalog, shards, ledger, emit, purge, ...(hub ? { hub } : {}), ...(publisher ? { refresher: publisher } : {}), app };
}
