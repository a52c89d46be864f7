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

// The only tier here (no Cache API behind it), and a Node process is not held to an isolate's 128 MB: a larger budget
// than the worker's, still bounded in bytes so `?limit` variants of a huge article cannot grow the process.
const NODE_SERVER_CACHE_LIMITS = { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 8 * 1024 * 1024 };

const site = await readSettings(values.config, values.env, values.var);
const app = createApp({
  catalog: catalogFromSource(createDirectorySource(values.dir), site),
  site,
  cache: createMemoryCache(NODE_SERVER_CACHE_LIMITS),
});
serve({ fetch: withCompression((request) => app.fetch(request)), port: Number(values.port), hostname: values.host }, (info) => {
  console.log(`edge-feeds (Node) listening on http://${info.address}:${info.port}`);
});
