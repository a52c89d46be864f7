// The Node entry for serving: the same app over the articles folder on disk, via @hono/node-server, with compression
// and an in-memory body cache (at the edge, Cloudflare compresses and the Cache API keeps bodies).
import { serve } from "@hono/node-server";
import { catalogFromSource } from "../core/memory-catalog.ts";
import { createApp } from "../http/app.ts";
import { createMemoryCache } from "../http/body-cache.ts";
import { withCompression } from "./compress.ts";
import { createDirectorySource } from "./directory-source.ts";
import { parseOptions, readSettings } from "./options.ts";

const { values } = parseOptions(process.argv.slice(2), {
  port: { type: "string", default: process.env.PORT ?? "8788" },
  host: { type: "string", default: "127.0.0.1" },
});

const site = await readSettings(values.config, values.env, values.var);
const app = createApp({ catalog: catalogFromSource(createDirectorySource(values.dir), site), site, cache: createMemoryCache() });
serve({ fetch: withCompression((request) => app.fetch(request)), port: Number(values.port), hostname: values.host }, (info) => {
  console.log(`edge-feeds (Node) listening on http://${info.address}:${info.port}`);
});
