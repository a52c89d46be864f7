// The edge entry: reads the environment, builds the app over D1 and R2 once per isolate, and hands requests to it.
import { ConfigError } from "./core/errors.ts";
import { consoleSink, createEventLog } from "./core/events.ts";
import { parsePublishToken, parseSettings } from "./core/settings.ts";
import { type HubNotifyDeps, notifyChangedFeeds } from "./core/websub.ts";
import { OUTPUT_REVISION } from "./formats/index.ts";
import { type App, createApp } from "./http/app.ts";
import { type BodyCache, createIsolateBodyCache, createWorkersCache, noCache } from "./http/body-cache.ts";
import type { PublishRoutesOptions } from "./http/publish.ts";
import { handleScheduled } from "./scheduled.ts";
import { createD1Catalog } from "./sources/d1-catalog.ts";
import { createD1Publisher } from "./sources/d1-publisher.ts";
import { type ShardEnv, shardsFromEnv } from "./sources/d1-shards.ts";
import { createD1HubState } from "./sources/d1-state.ts";

/** Optional settings, secrets and bindings that `wrangler types` does not declare (PARTS_n: src/sources/d1-shards.ts). */
interface OptionalEnv extends ShardEnv {
  /** `off`: keep no rendered bodies, so every request renders (for benchmarks and debugging; see BENCHMARKS.md). */
  BODY_CACHE?: string;
  /** The publish API's secret (`wrangler secret put PUBLISH_TOKEN`; locally, `.dev.vars`); unset, the API is off. */
  PUBLISH_TOKEN?: string;
}

let app: App | undefined;

function createWorkerApp(env: Env & OptionalEnv): App {
  const settings = env as unknown as Record<string, unknown>;
  const site = parseSettings(settings);
  // Rendered feeds are kept in the data centre's cache, keyed by content version, so a hot feed renders once; the
  // most recently used also stay in the isolate, within a byte budget that leaves the 128 MB isolate room for
  // requests in flight (ISOLATE_CACHE_LIMITS: 16 MiB in all, no body over 1 MiB; reasons beside it).
  const cache = env.BODY_CACHE === "off" ? noCache : createIsolateBodyCache(edgeCache(site.url));
  const token = parsePublishToken(settings);
  // Where articles' parts are kept: the catalog database, and any PARTS_n databases bound beside it.
  const shards = shardsFromEnv(env.DB, env);
  const catalog = createD1Catalog(env.DB, env.IMAGES, { shards, siteUrl: site.url });
  const emit = createEventLog(consoleSink);
  // The feeds a publish touched are announced at once, through the same function as the scheduled run, after the answer.
  const hub: HubNotifyDeps | undefined = site.websubHub
    ? { catalog, site, fetch: (url, init) => fetch(url, init), state: createD1HubState(env.DB), emit, outputRevision: OUTPUT_REVISION }
    : undefined;
  // Publishing needs the secret and both stores; without any of them /api/* does not exist (404).
  const publish: PublishRoutesOptions | undefined =
    token && env.DB && env.IMAGES
      ? {
          publisher: createD1Publisher(env.DB, env.IMAGES, site, shards),
          token,
          ...(hub ? { onChange: (change, waitUntil) => waitUntil(notifyChangedFeeds(hub, change.scopes, change.now)) } : {}),
        }
      : undefined;
  return createApp({ catalog, site, cache, publish });
}

/** The data centre's Cache API; a runtime without one (plain workerd unconfigured) keeps bodies in the isolate only. */
function edgeCache(origin: string): BodyCache {
  try {
    return createWorkersCache(caches.default, origin);
  } catch (error) {
    console.error(`edge-feeds: no Cache API (${String(error)}); rendered feeds are kept in the isolate only`);
    return noCache;
  }
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      app ??= createWorkerApp(env as Env & OptionalEnv);
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`edge-feeds: configuration: ${error.message}`);
        return new Response(`Configuration error: ${error.message}\n`, {
          status: 500,
          headers: { "Content-Type": "text/plain; charset=utf-8" },
        });
      }
      throw error;
    }
    return app.fetch(request, env, ctx);
  },
  /** The Cron Trigger: releases logged, changed feeds announced to WEBSUB_HUB (src/scheduled.ts). */
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    await handleScheduled(controller, env);
  },
} satisfies ExportedHandler<Env>;
