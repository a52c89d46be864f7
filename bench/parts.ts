// Where articles' parts should live, measured: the same uncached feeds of one archive with each item read from D1
// (the catalog's one query per shard, as deployed) and from R2 (an object per article version and part), by the same
// app in the same harness (bench/workers/parts-r2.ts): server CPU per request, latency, and the round trips each
// request makes to D1 and R2. The parts are copied into R2 first, on a copy of the archive (the copy's rate is what a
// migration to R2 would take).
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { archiveSpec, ensureArchive } from "./archives.ts";
import { buildWorker, type LocalWorker, startWorker, WORK } from "./harness.ts";
import { get, type LoadSummary, measure } from "./load.ts";

export interface PartsRow extends LoadSummary {
  from: "d1" | "r2";
  path: string;
  bytes: number;
  /** Round trips of one request sent alone: D1 queries or batches, and R2 object reads. */
  d1Trips: number;
  r2Reads: number;
}

export interface PartsSettings {
  articles: number;
  seconds: number;
  repeat: number;
  connections: number;
  ports: { worker: number; import: number };
  log: (line: string) => void;
}

const PATHS = ["/rss.xml", "/atom.xml", "/feed.json", "/archive/1/rss.xml"];

export async function runParts(settings: PartsSettings): Promise<{ rows: PartsRow[]; copy: { articles: number; seconds: number } }> {
  const spec = archiveSpec(settings.articles);
  await ensureArchive(spec, { port: settings.ports.import, log: settings.log });
  const state = join(WORK, "scratch", "parts-r2");
  await rm(state, { recursive: true, force: true });
  await cp(spec.dir, state, { recursive: true });
  await rm(join(state, "v3", "cache"), { recursive: true, force: true });
  const built = await buildWorker("parts-r2", "bench/workers/parts-r2.ts");
  const rows: PartsRow[] = [];
  const bodies = new Map<string, Uint8Array>();
  let copy = { articles: 0, seconds: 0 };
  for (const from of ["d1", "r2"] as const) {
    const worker = await startWorker({
      name: `parts-${from}`,
      port: settings.ports.worker,
      script: built.script,
      state,
      bindings: { PARTS_FROM: from },
    });
    try {
      if (from === "d1") copy = await copyToR2(worker);
      // Each path alone first (its round trips counted with nothing else in flight), then each under load.
      const probes = [];
      for (const path of PATHS) {
        const probe = await get(worker.url + path);
        if (probe.status !== 200) throw new Error(`${from} ${path} answered ${probe.status}`);
        // The same bytes from either store: the comparison is of where the items are read, nothing else.
        if (from === "r2" && Buffer.compare(probe.body, bodies.get(path)!) !== 0) throw new Error(`${path} from R2 differs from D1's`);
        bodies.set(path, probe.body);
        probes.push(probe);
      }
      for (const [i, path] of PATHS.entries()) {
        settings.log(`parts: ${path} from ${from}`);
        const probe = probes[i]!;
        rows.push({
          from,
          path,
          bytes: probe.body.byteLength,
          d1Trips: Number(probe.headers["x-bench-d1"]),
          r2Reads: Number(probe.headers["x-bench-r2"]),
          ...(await measure(worker, path, settings)),
        });
      }
    } finally {
      await worker.stop();
    }
  }
  await rm(state, { recursive: true, force: true });
  return { rows, copy };
}

/** Copies every article's feed parts into R2, 50 articles a request. */
async function copyToR2(worker: LocalWorker): Promise<{ articles: number; seconds: number }> {
  const started = performance.now();
  let after = "";
  let objects = 0;
  for (;;) {
    const res = await fetch(`${worker.url}/__copy?after=${encodeURIComponent(after)}`, { method: "POST" });
    const { copied, last } = (await res.json()) as { copied: number; last: string | null };
    objects += copied;
    if (last === null) break;
    after = last;
  }
  return { articles: objects / 4, seconds: (performance.now() - started) / 1000 };
}
