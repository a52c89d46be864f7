// Tiers: what the worker's own cache still earns once Workers Caching answers in front of it. Workers Caching cannot
// run locally (Miniflare has no ctx.cache), so this measures what each kind of request costs the worker itself, with and
// without its body cache, over the same stored archive: a poll of an unchanged feed (what reaches the worker when
// Workers Caching refills an entry a purge dropped though its document did not change, or for a cache-busting query),
// its 304 (a Workers Caching revalidation), and a document nobody asked for before (a new version). The tiers the
// worker had before (a URL-keyed "kept response" tier and the Cache API) were measured by this part on the code of
// commit 4e92a3b with these configurations added: bench/results/tiers-before-*.md, beside this code's tiers-*.md
// (BENCHMARKS.md, "Workers Caching in front").
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { archiveSpec, ensureArchive } from "./archives.ts";
import { BENCH_TOKEN, type BuiltWorker, type LocalWorker, startWorker } from "./harness.ts";
import { cpuSeconds, get, type LoadSummary, measure, memory } from "./load.ts";

/** One combination of the worker's tiers, as settings of the same bundle. */
export interface TierConfig {
  name: string;
  bindings: Record<string, string>;
}

/** The configurations measured: the worker as deployed, and with no cache of its own. */
export const TIER_CONFIGS: readonly TierConfig[] = [
  { name: "isolate body cache (as deployed)", bindings: {} },
  { name: "none (BODY_CACHE=off)", bindings: { BODY_CACHE: "off" } },
];

export interface TierRow {
  config: string;
  case: "poll" | "304" | "uncached";
  path: string;
  status: number;
  bytes: number;
  /** Server CPU ms per request (/proc), and for the load cases wrk's figures. */
  cpuMsPerRequest: number;
  load?: LoadSummary;
  /** For the uncached walk: requests made, and the median and p99 of their wall time (ms, client side). */
  walk?: { requests: number; p50Ms: number; p99Ms: number };
}

export interface TierSettings {
  articles: number;
  seconds: number;
  repeat: number;
  connections: number;
  /** Archive pages walked per format for the uncached case. */
  pages: number;
  ports: { worker: number; import: number };
  log: (line: string) => void;
}

const FORMATS = ["rss.xml", "atom.xml", "feed.json"] as const;

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};

/**
 * Every configuration on a fresh Cache API (so nothing carries over between them): first the walk over archive pages
 * nobody asked for (each rendered, and kept where the configuration keeps bodies), then /rss.xml polled and its 304.
 */
export async function runTiers(built: BuiltWorker, settings: TierSettings): Promise<{ rows: TierRow[]; memory: Record<string, unknown> }> {
  const spec = archiveSpec(settings.articles);
  await ensureArchive(spec, { port: settings.ports.import, log: settings.log });
  const rows: TierRow[] = [];
  const mem: Record<string, unknown> = {};
  const load = { seconds: settings.seconds, repeat: settings.repeat, connections: settings.connections };
  let reference: Uint8Array | undefined;
  for (const config of TIER_CONFIGS) {
    await rm(join(spec.dir, "v3", "cache"), { recursive: true, force: true });
    const w: LocalWorker = await startWorker({
      name: "tiers",
      port: settings.ports.worker,
      script: built.script,
      state: spec.dir,
      bindings: { PUBLISH_TOKEN: BENCH_TOKEN, ...config.bindings },
    });
    try {
      // Archive pages counted from the oldest: page 1 up to `pages`, each format, each asked for once.
      const times: number[] = [];
      let bytes = 0;
      const cpuBefore = await cpuSeconds(w.pid);
      for (let page = 1; page <= settings.pages; page++) {
        for (const file of FORMATS) {
          const res = await get(`${w.url}/archive/${page}/${file}`);
          if (res.status !== 200) throw new Error(`${config.name}: /archive/${page}/${file} answered ${res.status}`);
          times.push(res.ms);
          bytes += res.body.byteLength;
        }
      }
      const walkCpu = ((await cpuSeconds(w.pid)) - cpuBefore) * 1000;
      settings.log(`tiers: ${config.name}: ${times.length} uncached archive pages`);
      rows.push({
        config: config.name,
        case: "uncached",
        path: `/archive/1…${settings.pages}/{rss.xml,atom.xml,feed.json}`,
        status: 200,
        bytes: Math.round(bytes / times.length),
        cpuMsPerRequest: walkCpu / times.length,
        walk: { requests: times.length, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) },
      });

      const first = await get(`${w.url}/rss.xml`);
      if (first.status !== 200) throw new Error(`${config.name}: /rss.xml answered ${first.status}`);
      reference ??= first.body;
      if (Buffer.compare(first.body, reference) !== 0) throw new Error(`${config.name}: /rss.xml differs from the first configuration's`);
      settings.log(`tiers: ${config.name}: /rss.xml polled`);
      const poll = await measure(w, "/rss.xml", load);
      rows.push({
        config: config.name,
        case: "poll",
        path: "/rss.xml",
        status: 200,
        bytes: first.body.byteLength,
        cpuMsPerRequest: poll.cpuMsPerRequest,
        load: poll,
      });
      settings.log(`tiers: ${config.name}: /rss.xml 304`);
      const headers = { "If-None-Match": first.etag! };
      const check = await get(`${w.url}/rss.xml`, headers);
      if (check.status !== 304) throw new Error(`${config.name}: If-None-Match answered ${check.status}`);
      const n304 = await measure(w, "/rss.xml", { ...load, headers });
      rows.push({
        config: config.name,
        case: "304",
        path: "/rss.xml",
        status: 304,
        bytes: 0,
        cpuMsPerRequest: n304.cpuMsPerRequest,
        load: n304,
      });
      mem[config.name] = await memory(w.pid);
    } finally {
      await w.stop();
    }
  }
  return { rows, memory: mem };
}
