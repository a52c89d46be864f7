// The edge entry: reads the environment, picks the bundled content source, and hands requests to the app.
import { ConfigError } from "./core/errors.ts";
import { parseSettings } from "./core/settings.ts";
import { createApp, type App } from "./http/app.ts";
import { createWorkersCache } from "./http/body-cache.ts";
import { bundledSource } from "./sources/bundled.ts";

let app: App | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      if (!app) {
        const site = parseSettings(env as unknown as Record<string, unknown>);
        // Rendered feeds are kept in the data centre's cache, keyed by content version, so a hot feed renders once.
        app = createApp({ source: bundledSource, site, cache: createWorkersCache(caches.default, site.url) });
      }
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
