// Feed routes: one per format in the registry.
import type { Hono } from "hono";
import { selectLatest } from "../core/catalog.ts";
import { buildFeed } from "../core/feed.ts";
import { FORMATS, feedUrls } from "../formats/index.ts";
import type { AppContext } from "./context.ts";

export function registerFeedRoutes(app: Hono, ctx: AppContext): void {
  const { site } = ctx;
  for (const format of FORMATS) {
    app.get(`/${format.file}`, async (c) => {
      const catalog = await ctx.catalog();
      const records = selectLatest(catalog, ctx.now(), site.feedItems);
      const feed = buildFeed({ site, records, urls: feedUrls(site.url + "/") });
      return c.body(format.render(feed), 200, { "Content-Type": format.contentType });
    });
  }
}
