// The Hono application factory: wires the route modules to one context and translates core errors to HTTP.
import { Hono } from "hono";
import { loadCatalog, type Catalog } from "../core/catalog.ts";
import { formatIssue, NotFoundError } from "../core/errors.ts";
import type { SiteSettings } from "../core/settings.ts";
import type { ContentSource } from "../sources/source.ts";
import type { AppContext } from "./context.ts";
import { registerFeedRoutes } from "./feeds.ts";
import { registerImageRoutes } from "./images.ts";
import { renderIndexPage } from "./pages.ts";

export interface AppOptions {
  source: ContentSource;
  site: SiteSettings;
  /** The clock; read once per request so embargoed articles appear on time without a redeploy. */
  now?: () => Date;
  /** Where problems with content are reported (once per loaded catalog). */
  log?: (message: string) => void;
}

export function createApp({ source, site, now = () => new Date(), log = (m) => console.error(m) }: AppOptions) {
  let pending: Promise<Catalog> | undefined;
  const catalog = (): Promise<Catalog> => {
    pending ??= loadCatalog(source, site).then(
      (loaded) => {
        // One bad file never takes a feed down: it is left out and reported here, once.
        for (const issue of loaded.issues) log(`edge-feeds: skipped content: ${formatIssue(issue)}`);
        return loaded;
      },
      (error: unknown) => {
        pending = undefined; // a failed load (the source itself failing) is retried on the next request
        throw error;
      },
    );
    return pending;
  };
  const ctx: AppContext = { site, source, now, catalog, log };

  const app = new Hono();
  app.get("/", (c) => c.html(renderIndexPage(site)));
  registerFeedRoutes(app, ctx);
  registerImageRoutes(app, ctx);

  app.notFound((c) => c.text("Not found\n", 404));
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return c.text("Not found\n", 404);
    log(`edge-feeds: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return c.text("Internal error\n", 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
