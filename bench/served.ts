// Served: what one request costs the server, all under the same harness (bench/harness.ts) over the same stored
// archive. The worker as deployed (cached /rss.xml and its 304), a baseline worker that answers the same response (bytes and headers) from
// memory, the worker uncached (BODY_CACHE=off), and the peer that renders the same feed with `feed` per request.
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { archiveSpec, ensureArchive } from "./archives.ts";
import { applyPartsMigrations, BENCH_TOKEN, type BuiltWorker, buildWorker, type LocalWorker, startWorker, WORK } from "./harness.ts";
import { get, type LoadSummary, measure, memory } from "./load.ts";

export interface ServedRow extends LoadSummary {
  /**
   * Which worker: `worker` (the project's), `baseline` (the same response, bytes and headers, from memory), `feed` (the `feed` package per request),
   * `reads` (only the D1 reads of the worker's or the peer's uncached request: bench/workers/peers.ts).
   */
  server: "worker" | "baseline" | "feed" | "reads";
  case: string;
  /** The path requested; `feed` the feed document it stands for (/rss.xml, /atom.xml, /feed.json). */
  path: string;
  feed: string;
  status: number;
  bytes: number;
}

export interface ServedSettings {
  articles: number;
  seconds: number;
  repeat: number;
  connections: number;
  ports: { worker: number; baseline: number; peer: number; import: number };
  log: (line: string) => void;
}

const FEEDS = [
  { format: "rss", path: "/rss.xml" },
  { format: "atom", path: "/atom.xml" },
  { format: "json", path: "/feed.json" },
] as const;

/**
 * A worker answering every request with this response from memory (the worker's own bytes and headers), and a 304
 * with the same headers but the type for a matching If-None-Match: the least this runtime and harness can spend on it.
 */
function baselineModules(body: Uint8Array, headers: Record<string, string>, etag: string) {
  const { "content-type": _type, ...notModified } = headers;
  const script = `// The baseline: the worker's response from memory, the limit of this runtime and harness for this response.
import body from "body.bin";
const headers = ${JSON.stringify(headers)};
const notModified = ${JSON.stringify(notModified)};
export default {
  fetch(request) {
    if (request.headers.get("if-none-match") === ${JSON.stringify(etag)}) return new Response(null, { status: 304, headers: notModified });
    return new Response(body, { headers });
  },
};
`;
  return [
    { type: "ESModule" as const, path: "baseline.js", contents: script },
    { type: "Data" as const, path: "body.bin", contents: body },
  ];
}

/** Items in a feed document. */
function itemCount(format: "rss" | "atom" | "json", body: Uint8Array): number {
  const text = new TextDecoder().decode(body);
  if (format === "json") return (JSON.parse(text) as { items: unknown[] }).items.length;
  return (text.match(format === "rss" ? /<item[\s>]/g : /<entry[\s>]/g) ?? []).length;
}

async function session<T>(worker: Promise<LocalWorker>, body: (w: LocalWorker) => Promise<T>): Promise<T> {
  const w = await worker;
  try {
    return await body(w);
  } finally {
    await w.stop();
  }
}

export async function runServed(
  built: BuiltWorker,
  settings: ServedSettings,
): Promise<{ rows: ServedRow[]; memory: Record<string, unknown>; moved?: { articles: number; requests: number; seconds: number } }> {
  const spec = archiveSpec(settings.articles);
  await ensureArchive(spec, { port: settings.ports.import, log: settings.log });
  const state = spec.dir;
  const load = { seconds: settings.seconds, repeat: settings.repeat, connections: settings.connections };
  const rows: ServedRow[] = [];
  const mem: Record<string, unknown> = {};
  const row = async (
    server: ServedRow["server"],
    w: LocalWorker,
    name: string,
    path: string,
    headers: Record<string, string> = {},
    feed = path,
  ) => {
    const first = await get(w.url + path, headers);
    if (first.status !== 200 && first.status !== 304) throw new Error(`${server} ${path} answered ${first.status}`);
    settings.log(`served: ${server} ${name}`);
    const summary = await measure(w, path, { ...load, headers });
    rows.push({ server, case: name, path, feed, status: first.status, bytes: first.body.byteLength, ...summary });
    return first;
  };

  await rm(join(state, "v3", "cache"), { recursive: true, force: true });
  const home = await session(
    startWorker({ name: "served", port: settings.ports.worker, script: built.script, state, bindings: { PUBLISH_TOKEN: BENCH_TOKEN } }),
    async (w) => {
      const first = await get(`${w.url}/rss.xml`);
      await row("worker", w, "/rss.xml again (the isolate's body cache)", "/rss.xml");
      await row("worker", w, "/rss.xml 304 (If-None-Match)", "/rss.xml", { "If-None-Match": first.etag! });
      const again = await get(`${w.url}/rss.xml`);
      if (Buffer.compare(again.body, first.body) !== 0) throw new Error("the cached /rss.xml changed under load");
      mem.worker = await memory(w.pid);
      return first;
    },
  );

  await session(
    startWorker({
      name: "baseline",
      port: settings.ports.baseline,
      modules: baselineModules(home.body, home.headers, home.etag!),
    }),
    async (w) => {
      const same = await get(`${w.url}/rss.xml`);
      if (Buffer.compare(same.body, home.body) !== 0) throw new Error("the baseline's body differs from the worker's");
      if (JSON.stringify(same.headers) !== JSON.stringify(home.headers)) throw new Error("the baseline's headers differ from the worker's");
      await row("baseline", w, "the same response from memory", "/rss.xml");
      await row("baseline", w, "304", "/rss.xml", { "If-None-Match": home.etag! });
      mem.baseline = await memory(w.pid);
    },
  );

  const ours = new Map<string, Uint8Array>();
  let moved: { articles: number; requests: number; seconds: number } | undefined;
  await session(
    startWorker({
      name: "uncached",
      port: settings.ports.worker,
      script: built.script,
      state,
      bindings: { BODY_CACHE: "off", PUBLISH_TOKEN: BENCH_TOKEN },
    }),
    async (w) => {
      for (const { format, path } of FEEDS) {
        const first = await row("worker", w, `${path} uncached (BODY_CACHE=off)`, path);
        ours.set(format, first.body);
      }
      mem.uncached = await memory(w.pid);
    },
  );

  // The same archive with every article's parts moved into a parts database (PARTS_1; docs/capacity.md)
  // through the publish API's move route, on a copy: the move's rate, then the same uncached feeds,
  // which must be the same bytes, read from the catalog and the parts database.
  const sharded = join(WORK, "scratch", "served-parts");
  await rm(sharded, { recursive: true, force: true });
  await cp(state, sharded, { recursive: true });
  await rm(join(sharded, "v3", "cache"), { recursive: true, force: true });
  await applyPartsMigrations(sharded, "PARTS_1", PARTS_1_ID);
  await session(
    startWorker({
      name: "uncached-parts",
      port: settings.ports.worker,
      script: built.script,
      state: sharded,
      bindings: { BODY_CACHE: "off", PUBLISH_TOKEN: BENCH_TOKEN, PARTS_WRITE_SHARD: "1" },
      d1: { PARTS_1: PARTS_1_ID },
    }),
    async (w) => {
      moved = await moveAll(w, settings.articles);
      settings.log(`served: moved ${moved.articles} articles' parts in ${moved.seconds.toFixed(1)} s`);
      for (const { format, path } of FEEDS) {
        const same = await get(w.url + path);
        if (Buffer.compare(same.body, ours.get(format)!) !== 0) throw new Error(`${path} from PARTS_1 differs from the catalog's`);
        await row("worker", w, `${path} uncached, parts in PARTS_1`, path);
      }
      mem.uncachedParts = await memory(w.pid);
    },
  );
  await rm(sharded, { recursive: true, force: true });

  const peers = await buildWorker("peers", "bench/workers/peers.ts");
  await session(startWorker({ name: "peers", port: settings.ports.peer, script: peers.script, state }), async (w) => {
    for (const { format, path } of FEEDS) {
      const first = await row("feed", w, `${path} rendered with feed per request`, `/feed${path}`, {}, path);
      // The same feed: as many items as the worker's (the bytes differ: `feed` writes its own markup).
      if (itemCount(format, first.body) !== itemCount(format, ours.get(format)!)) throw new Error(`the peer's ${path} has other items`);
    }
    for (const { path } of FEEDS) await row("reads", w, `${path}: the worker's D1 reads alone`, `/reads/worker${path}`, {}, path);
    for (const { path } of FEEDS) await row("reads", w, `${path}: the feed peer's D1 reads alone`, `/reads/feed${path}`, {}, path);
    mem.peers = await memory(w.pid);
  });
  return { rows, memory: mem, moved };
}

/** The local database id the bench gives the parts database PARTS_1. */
const PARTS_1_ID = "00000000-0000-0000-0000-000000000001";

/** Moves every article's parts out of the catalog into the write shard, a step of POST /api/parts/move at a time. */
async function moveAll(w: LocalWorker, expected: number): Promise<{ articles: number; requests: number; seconds: number }> {
  const started = performance.now();
  let articles = 0;
  let requests = 0;
  for (let more = true; more; requests++) {
    const res = await fetch(`${w.url}/api/parts/move?from=0`, { method: "POST", headers: { Authorization: `Bearer ${BENCH_TOKEN}` } });
    if (res.status !== 200) throw new Error(`POST /api/parts/move answered ${res.status}: ${await res.text()}`);
    const step = (await res.json()) as { moved: number; more: boolean };
    articles += step.moved;
    more = step.more;
  }
  if (articles !== expected) throw new Error(`moved ${articles} articles' parts, not ${expected}`);
  return { articles, requests, seconds: (performance.now() - started) / 1000 };
}
