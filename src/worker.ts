// The edge entry: reads the environment, picks the content source, and hands requests to the app.
import { loadIndexedCatalog } from "./core/archive-index.ts";
import { ConfigError } from "./core/errors.ts";
import { parseSettings } from "./core/settings.ts";
import { createApp, type App } from "./http/app.ts";
import { createWorkersCache } from "./http/body-cache.ts";
import { bundledSource } from "./sources/bundled.ts";
import { createFetcherSource } from "./sources/fetcher.ts";

/**
 * An archive too large to bundle is bound as ARCHIVE (Workers Static Assets, or a service over R2) holding the output
 * of `node src/cli.ts index`. The binding is optional and not in wrangler.toml, so `wrangler types` does not know it.
 */
interface ArchiveEnv {
  ARCHIVE?: Fetcher;
}

let app: App | undefined;

function createWorkerApp(env: Env & ArchiveEnv): App {
  const site = parseSettings(env as unknown as Record<string, unknown>);
  // Rendered feeds are kept in the data centre's cache, keyed by content version, so a hot feed renders once.
  const cache = createWorkersCache(caches.default, site.url);
  if (!env.ARCHIVE) return createApp({ source: bundledSource, site, cache });
  return createApp({ source: createFetcherSource(env.ARCHIVE, "archive"), site, cache, loadCatalog: loadIndexedCatalog });
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      app ??= createWorkerApp(env);
    } catch (error) {
      if (error instanceof ConfigError) {
        console.error(`edge-feeds: configuration: ${error.message}`);
        return new Response(`Configuration error: ${error.message}\n`, { status: 500, headers: { "Content-Type": "text/plain; charset=utf-8" } });
      }
      throw error;
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
