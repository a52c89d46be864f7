// The peers of an uncached feed, in one worker over the same D1 as the real one (the same catalog, the same plan, the
// same queries):
//   /feed/rss.xml (atom.xml, feed.json)   the site's feed rendered with the `feed` package on every request, from the
//                                         stored articles, as a project built on `feed` would serve it; it skips what
//                                         the real worker adds (validators, 304s, Cache-Control), in its favour
//   /reads/worker/rss.xml (…)             only the D1 reads the real worker makes for that feed uncached: the plan (one
//                                         batch: count, newest, next releases) and the stored items; nothing assembled
//   /reads/feed/rss.xml (…)               only the reads of the `feed` peer: the plan and the stored articles
// Locally D1 runs in the same process as the worker, so the reads-only answers say how much of a request is D1's.
import { HOME } from "../../src/core/catalog.ts";
import { planFeed } from "../../src/core/feed-plan.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { FORMAT_BY_ID } from "../../src/formats/index.ts";
import { createD1Catalog } from "../../src/store/d1/catalog.ts";
import { renderWithFeedPackage } from "../feed-peer.ts";

const FORMAT_OF_FILE: Record<string, "rss" | "atom" | "json"> = { "rss.xml": "rss", "atom.xml": "atom", "feed.json": "json" };

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const match = /^\/(feed|reads\/worker|reads\/feed)\/(rss\.xml|atom\.xml|feed\.json)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response("not found", { status: 404 });
    const [, mode, file] = match;
    const format = FORMAT_OF_FILE[file!]!;
    const site = parseSettings(env as unknown as Record<string, unknown>);
    const catalog = createD1Catalog(env.DB, env.IMAGES);
    const now = new Date();
    const plan = (await planFeed(catalog, site, now, { scope: HOME }))!;
    if (mode === "reads/worker") {
      const items = await catalog.items(plan.entries, FORMAT_BY_ID[format]);
      return new Response(`${items.length} items read\n`);
    }
    const articles = await catalog.articles(plan.entries);
    if (mode === "reads/feed") return new Response(`${articles.length} articles read\n`);
    const body = renderWithFeedPackage({ head: plan.head, updated: plan.updated, items: articles }, format);
    return new Response(body, { headers: { "Content-Type": FORMAT_BY_ID[format].contentType } });
  },
} satisfies ExportedHandler<Env>;
