// The edge entry: reads the environment, picks the content source, and hands requests to the app.
import { loadIndexedCatalog } from "./core/archive-index.ts";
import { ConfigError } from "./core/errors.ts";
import { catalogFromSource } from "./core/memory-catalog.ts";
import { parseSettings } from "./core/settings.ts";
import { type App, createApp } from "./http/app.ts";
import { type BodyCache, createIsolateBodyCache, createWorkersCache, noCache } from "./http/body-cache.ts";
import { handleScheduled } from "./scheduled.ts";
import { bundledSource } from "./sources/bundled.ts";
import { createFetcherSource } from "./sources/fetcher.ts";

/**
 * Optional bindings, not in wrangler.toml (so `wrangler types` does not know them).
 * An archive too large to bundle is bound as ARCHIVE (Workers Static Assets, or a service over R2) holding the output
 * of `node src/node/cli.ts index`.
 */
interface ArchiveEnv {
  ARCHIVE?: Fetcher;
  /** `off`: keep no rendered bodies, so every request renders (for benchmarks and debugging; see BENCHMARKS.md). */
  BODY_CACHE?: string;
}

let app: App | undefined;

function createWorkerApp(env: Env & ArchiveEnv): App {
  const site = parseSettings(env as unknown as Record<string, unknown>);
  // Rendered feeds are kept in the data centre's cache, keyed by content version, so a hot feed renders once; the
  // most recently used also stay in the isolate, within a byte budget that leaves the 128 MB isolate room for the
  // catalog and requests in flight (ISOLATE_CACHE_LIMITS: 16 MiB in all, no body over 1 MiB; reasons beside it).
  const cache = env.BODY_CACHE === "off" ? noCache : createIsolateBodyCache(edgeCache(site.url));
  const catalog = env.ARCHIVE
    ? loadIndexedCatalog(createFetcherSource(env.ARCHIVE, "archive"), site)
    : catalogFromSource(bundledSource, site);
  return createApp({ catalog, site, cache });
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
      app ??= createWorkerApp(env);
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
