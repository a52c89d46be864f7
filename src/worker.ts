// The edge entry: reads the environment, picks the bundled content source, and hands requests to the app.
import { ConfigError } from "./core/errors.ts";
import { parseSettings } from "./core/settings.ts";
import { createApp, type App } from "./http/app.ts";
import { bundledSource } from "./sources/bundled.ts";

let app: App | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    try {
      app ??= createApp({ source: bundledSource, site: parseSettings(env as unknown as Record<string, unknown>) });
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
