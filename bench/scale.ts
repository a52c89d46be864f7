// Scale: the same worker over archives of different sizes in local D1 and R2. Per size, first the uncached session
// (BODY_CACHE=off: every request plans and assembles from D1): the first response after start, the steady state of the
// home feed, a section feed and the deepest archive page, the isolate's heap; then a session with the settings as
// deployed: the cached home feed and its 304, publishing into the archive, and how soon a publish shows.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type ArchiveStamp, archiveSpec, ensureArchive, importedArchive } from "./archives.ts";
import { BENCH_TOKEN, type BuiltWorker, isolateHeap, type LocalWorker, startWorker } from "./harness.ts";
import { get, type LoadResult, type LoadSummary, measure, memory, wrk } from "./load.ts";
import { type PublishTimings, timePublishing, timeVisibility, type Visibility } from "./publishing.ts";

export interface EndpointRow extends Partial<LoadSummary> {
  name: string;
  path: string;
  status: number;
  bytes: number;
}

export interface ScaleRow {
  /** Articles in the stored archive: `planned`, or fewer when measured as imported part way (`--as-imported`). */
  articles: number;
  planned: number;
  body: "full" | "short";
  archive: ArchiveStamp;
  startupMs: number;
  /** From the socket accepting to the first /rss.xml answered. */
  firstResponseMs: number;
  firstStatus: number;
  heapAfterFirst?: { usedMiB: number; totalMiB: number };
  heapAfterLoad?: { usedMiB: number; totalMiB: number };
  memory: { rssMiB: number; peakMiB: number };
  uncached: EndpointRow[];
  cached: EndpointRow[];
  publishing?: PublishTimings;
  visibility?: Visibility;
}

export interface ScaleSettings {
  seconds: number;
  repeat: number;
  connections: number;
  /** Publishes (and edits, deletes) timed per size. */
  publishes: number;
  /** How long to wait for a publish to show (the worker keeps nothing by URL: it shows at once; this bounds a failure). */
  visibleWaitMs: number;
  ports: { worker: number; inspector: number; import: number };
  /** Measure the archive as stored, even if its import stopped part way, instead of finishing the import first. */
  asImported?: boolean;
  log: (line: string) => void;
}

/** The deepest archive page: page 1 is the oldest (archives are counted from the oldest article). */
const ENDPOINTS = [
  { name: "home /rss.xml", path: "/rss.xml" },
  { name: "section /sections/news/rss.xml", path: "/sections/news/rss.xml" },
  { name: "deepest archive page /archive/1/rss.xml", path: "/archive/1/rss.xml" },
];

async function endpoint(worker: LocalWorker, name: string, path: string, settings: ScaleSettings, headers = {}): Promise<EndpointRow> {
  const first = await get(worker.url + path, headers);
  const row: EndpointRow = { name, path, status: first.status, bytes: first.body.byteLength };
  if (first.status !== 200 && first.status !== 304) return row;
  return { ...row, ...(await measure(worker, path, { ...settings, headers })) };
}

export async function runScaleSize(count: number, built: BuiltWorker, settings: ScaleSettings): Promise<ScaleRow> {
  const spec = archiveSpec(count);
  const archive = settings.asImported
    ? await importedArchive(spec)
    : await ensureArchive(spec, { port: settings.ports.import, log: settings.log });
  const state = spec.dir;
  // A cold start: nothing kept from an earlier run in the local Cache API (older bundles kept bodies there).
  await rm(join(state, "v3", "cache"), { recursive: true, force: true });
  settings.log(`scale ${count.toLocaleString("en")}: uncached`);
  const uncachedWorker = await startWorker({
    name: `scale-${count}`,
    port: settings.ports.worker,
    inspectorPort: settings.ports.inspector,
    script: built.script,
    state,
    bindings: { BODY_CACHE: "off", PUBLISH_TOKEN: BENCH_TOKEN },
  });
  let row: ScaleRow;
  try {
    const first = await get(`${uncachedWorker.url}/rss.xml`);
    const firstResponseMs = performance.now() - uncachedWorker.listeningAt;
    const heapAfterFirst = await isolateHeap(uncachedWorker);
    const uncached: EndpointRow[] = [];
    for (const e of ENDPOINTS) uncached.push(await endpoint(uncachedWorker, `${e.name} uncached`, e.path, settings));
    row = {
      articles: archive.importedArticles,
      planned: count,
      body: spec.body,
      archive,
      startupMs: uncachedWorker.startupMs,
      firstResponseMs,
      firstStatus: first.status,
      heapAfterFirst,
      heapAfterLoad: await isolateHeap(uncachedWorker),
      memory: await memory(uncachedWorker.pid),
      uncached,
      cached: [],
    };
  } finally {
    await uncachedWorker.stop();
  }

  settings.log(`scale ${count.toLocaleString("en")}: as deployed (cached, publishing)`);
  await rm(join(state, "v3", "cache"), { recursive: true, force: true });
  const worker = await startWorker({
    name: `deployed-${count}`,
    port: settings.ports.worker,
    script: built.script,
    state,
    bindings: { PUBLISH_TOKEN: BENCH_TOKEN },
  });
  try {
    const warm = await get(`${worker.url}/rss.xml`);
    row.cached.push(await endpoint(worker, "home /rss.xml cached", "/rss.xml", settings));
    row.cached.push(await endpoint(worker, "home /rss.xml 304", "/rss.xml", settings, { "If-None-Match": warm.etag ?? "" }));
    row.publishing = await timePublishing(worker, spec, settings.publishes);
    row.visibility = await timeVisibility(worker, settings.visibleWaitMs);
  } finally {
    await worker.stop();
  }
  return row;
}

/** One endpoint measured on two archives in alternation: each side's runs, and the median of their p50s and CPU. */
export interface PairedRow {
  name: string;
  path: string;
  small: { articles: number; runs: LoadResult[]; p50Ms: number; cpuMsPerRequest: number };
  large: { articles: number; runs: LoadResult[]; p50Ms: number; cpuMsPerRequest: number };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The uncached endpoints on the smallest and the largest archive of the same bodies, both workers running at once
 * and loaded in turn (small, large, small, …): a drift of the shared machine's speed during the run reaches both
 * sides alike, where measuring one size minutes after the other lets it land on one side only. The 1.5× target is
 * judged on these medians.
 */
export async function runPaired(
  small: number,
  large: number,
  built: BuiltWorker,
  settings: ScaleSettings & { pairPort: number },
): Promise<PairedRow[]> {
  const start = async (count: number, port: number) => {
    const state = archiveSpec(count).dir;
    await rm(join(state, "v3", "cache"), { recursive: true, force: true });
    return startWorker({
      name: `paired-${count}`,
      port,
      script: built.script,
      state,
      bindings: { BODY_CACHE: "off", PUBLISH_TOKEN: BENCH_TOKEN },
    });
  };
  const a = await start(small, settings.ports.worker);
  try {
    const b = await start(large, settings.pairPort);
    try {
      const rows: PairedRow[] = [];
      for (const e of ENDPOINTS) {
        settings.log(`paired: ${e.name} at ${small.toLocaleString("en")} and ${large.toLocaleString("en")}`);
        const runs = { small: [] as LoadResult[], large: [] as LoadResult[] };
        for (const w of [a, b]) await wrk(w, e.path, { seconds: 1, connections: settings.connections });
        for (let i = 0; i < settings.repeat; i++) {
          runs.small.push(await wrk(a, e.path, settings));
          runs.large.push(await wrk(b, e.path, settings));
        }
        const side = (articles: number, list: LoadResult[]) => ({
          articles,
          runs: list,
          p50Ms: median(list.map((r) => r.p50Ms)),
          cpuMsPerRequest: median(list.map((r) => r.cpuMsPerRequest)),
        });
        rows.push({ name: e.name, path: e.path, small: side(small, runs.small), large: side(large, runs.large) });
      }
      return rows;
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
  }
}
