// `npm run bench`: render cost, served throughput (workerd, Node) and scale, printed as tables and written as JSON.
//
//   npm run bench                                   everything, default sizes 100,1000,10000,100000
//   npm run bench -- --sizes 100,1000 --seconds 3   smaller and quicker
//   npm run bench -- --only render,served           sections: render, served, node, scale
//
// Timings are noisy on a shared 2-core machine: every load run is repeated (--repeat) and reported as the median with
// the spread; the server's CPU time per request (from /proc) is reported beside requests/s because wrk shares the cores.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSettings } from "../src/core/settings.ts";
import { renderContentModule } from "../src/sources/bundle.ts";
import { createDirectorySource } from "../src/sources/directory.ts";
import { GENERATOR_VERSION, writeArchive } from "./generate-archive.ts";
import { runRenderBench, type RenderRow } from "./render.ts";
import { formatReport } from "./report.ts";
import {
  buildWorker,
  get,
  isolateHeap,
  load,
  memory,
  ROOT,
  sleep,
  startNode,
  startWorkerd,
  startWranglerDev,
  withContentModule,
  waitForPort,
  WORK,
  wranglerVars,
  writeBaselineWorker,
  type BuiltWorker,
  type LoadResult,
  type ServerHandle,
} from "./served.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000,100000" },
    only: { type: "string", default: "render,served,node,scale" },
    seconds: { type: "string", default: "5" },
    repeat: { type: "string", default: "3" },
    connections: { type: "string", default: "4" },
    "bundled-max": { type: "string", default: "10000" },
    "served-size": { type: "string", default: "1000" },
    "wrangler-dev": { type: "boolean", default: true },
    out: { type: "string", default: "bench/results/latest.json" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const only = new Set(values.only.split(","));
const seconds = Number(values.seconds);
const repeat = Number(values.repeat);
const connections = Number(values.connections);
const bundledMax = Number(values["bundled-max"]);
const servedSize = Number(values["served-size"]);
const PORT = { worker: 8821, baseline: 8822, node: 8823, wranglerDev: 8830, wranglerInspector: 8831, inspector: 8829 } as const;

const { vars, compatibilityDate, flags } = await wranglerVars();
const site = parseSettings(vars);
const log = (s: string): void => void process.stderr.write(s + "\n");

/** The median run of `runs` load runs, with the spread of requests/s. */
export interface LoadSummary extends LoadResult {
  runs: number;
  rpsMin: number;
  rpsMax: number;
}

async function measure(server: ServerHandle, path: string, headers: Record<string, string> = {}): Promise<LoadSummary> {
  const results: LoadResult[] = [];
  for (let i = 0; i < repeat; i++) {
    results.push(await load(server, path, { seconds, connections, headers }));
    await sleep(300);
  }
  const sorted = [...results].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { ...median, runs: results.length, rpsMin: sorted[0]!.requestsPerSec, rpsMax: sorted.at(-1)!.requestsPerSec };
}

async function ensureArchive(count: number): Promise<string> {
  const dir = join(WORK, `archive-${count}`);
  const marker = join(dir, ".generated");
  if (existsSync(marker)) {
    const meta = JSON.parse(await readFile(marker, "utf8")) as { version: number; count: number };
    if (meta.version === GENERATOR_VERSION && meta.count === count) return dir;
  }
  const started = performance.now();
  log(`generating ${count} articles…`);
  await writeArchive(dir, { count, seed: 1 });
  log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

async function ensureIndex(count: number, archive: string): Promise<{ dir: string; indexBytes: number; buildMs: number }> {
  const dir = join(WORK, `index-${count}`);
  const marker = join(dir, "index.json");
  let buildMs = NaN;
  const fresh = existsSync(marker) && (await stat(marker)).mtimeMs > (await stat(join(archive, ".generated"))).mtimeMs;
  if (!fresh) {
    log(`indexing ${count} articles…`);
    const started = performance.now();
    execFileSync(process.execPath, [join(ROOT, "src", "cli.ts"), "index", "--dir", archive, "--out", dir], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 1_800_000,
    });
    buildMs = performance.now() - started;
    log(`  ${(buildMs / 1000).toFixed(1)} s`);
  }
  return { dir, indexBytes: (await stat(marker)).size, buildMs };
}

async function directoryBytes(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { files, bytes };
}

const EMPTY_CONTENT = "// Generated by bench/run.ts: the archive comes from the ARCHIVE binding.\nexport const text: Record<string, string> = {};\nexport const binary: Record<string, string> = {};\n";

/** Endpoints measured at every size. Routes that this build does not have answer 404 and are reported as such. */
const ENDPOINTS = [
  { name: "home /rss.xml", path: "/rss.xml" },
  { name: "section /sections/news/rss.xml", path: "/sections/news/rss.xml" },
  { name: "deep archive page", path: "/archive/rss.xml?page=last" },
];

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    workerd: execFileSync(join(ROOT, "node_modules/@cloudflare/workerd-linux-64/bin/workerd"), ["--version"], { encoding: "utf8" }).trim(),
    loadavgBefore: loadavg(),
  },
  settings: { seconds, repeat, connections, feedItems: site.feedItems },
};

async function withServer<T>(server: ServerHandle & { log: string[] }, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    log(`server ${server.name} log:\n${server.log.join("").slice(-4000)}`);
    throw error;
  } finally {
    await server.stop();
  }
}

// 1. Render cost in-process.
if (only.has("render")) {
  log("render: ours vs feed…");
  const rows: RenderRow[] = await runRenderBench(site, { budgetMs: Math.max(1000, seconds * 400) });
  results.render = rows;
}

let servedBuild: BuiltWorker | undefined;

// 2. Served through workerd, against a baseline worker answering the same bytes from memory.
if (only.has("served")) {
  const archive = await ensureArchive(servedSize);
  servedBuild = await buildWorker(`bundled-${servedSize}`, await renderContentModule(createDirectorySource(archive)));
  const rows: Record<string, unknown>[] = [];
  const worker = await startWorkerd({ name: "served", port: PORT.worker, script: servedBuild.script, vars, compatibilityDate, flags });
  let body: Uint8Array | undefined;
  let etag: string | null = null;
  let contentType = "application/rss+xml; charset=utf-8";
  await withServer(worker, async () => {
    await waitForPort(PORT.worker, 60_000);
    const first = await get(`http://127.0.0.1:${PORT.worker}/rss.xml`);
    if (first.status !== 200) throw new Error(`/rss.xml answered ${first.status}`);
    body = first.body;
    etag = first.etag;
    log(`served: /rss.xml is ${first.bytes} bytes; ETag ${etag ?? "none"}`);
    const cases: { name: string; path: string; headers?: Record<string, string> }[] = [
      { name: "/rss.xml (as served: cache if the app has one)", path: "/rss.xml" },
      { name: "/rss.xml uncached (?nocache: a new cache key each time is not possible with wrk; see BENCHMARKS.md)", path: "/rss.xml?bench-bypass=1" },
    ];
    if (etag) cases.push({ name: "/rss.xml 304 (If-None-Match)", path: "/rss.xml", headers: { "If-None-Match": etag } });
    for (const c of cases) {
      const probe = await get(`http://127.0.0.1:${PORT.worker}${c.path}`, c.headers);
      log(`  ${c.name}: ${probe.status}`);
      rows.push({ runtime: "workerd", case: c.name, status: probe.status, bytes: probe.bytes, ...(await measure(worker, c.path, c.headers)) });
    }
    results.servedMemory = await memory(worker.pid);
  });
  const baseline = await writeBaselineWorker("rss", body!, contentType, etag);
  const base = await startWorkerd({
    name: "baseline",
    port: PORT.baseline,
    script: baseline.script,
    extraModules: [{ name: "body.bin", kind: "data", file: baseline.data }],
    compatibilityDate,
    flags: [],
  });
  await withServer(base, async () => {
    await waitForPort(PORT.baseline, 30_000);
    const probe = await get(`http://127.0.0.1:${PORT.baseline}/rss.xml`);
    if (probe.status !== 200 || Buffer.compare(Buffer.from(probe.body), Buffer.from(body!)) !== 0) throw new Error("baseline body differs");
    rows.push({ runtime: "workerd", case: "baseline: same bytes from memory", status: 200, bytes: probe.bytes, ...(await measure(base, "/rss.xml")) });
    if (etag) rows.push({ runtime: "workerd", case: "baseline: 304", status: 304, bytes: 0, ...(await measure(base, "/rss.xml", { "If-None-Match": etag })) });
    results.baselineMemory = await memory(base.pid);
  });
  if (values["wrangler-dev"]) {
    // Alongside only: the same worker and content through `wrangler dev` (its proxy process included).
    await withContentModule(await renderContentModule(createDirectorySource(archive)), async () => {
      const dev = startWranglerDev(PORT.wranglerDev, PORT.wranglerInspector);
      await withServer(dev, async () => {
        await waitForPort(PORT.wranglerDev, 120_000);
        const probe = await get(`http://127.0.0.1:${PORT.wranglerDev}/rss.xml`);
        const r = await load(dev, "/rss.xml", { seconds, connections });
        rows.push({ runtime: "wrangler dev", case: "/rss.xml (as served; CPU not measured: several processes)", status: probe.status, bytes: probe.bytes, ...r, cpuMsPerRequest: NaN, runs: 1, rpsMin: r.requestsPerSec, rpsMax: r.requestsPerSec });
      });
    });
  }
  results.served = rows;
}

// 4. The Node server on the same archive and endpoints.
if (only.has("node")) {
  const archive = await ensureArchive(servedSize);
  const rows: Record<string, unknown>[] = [];
  const node = startNode("node", PORT.node, archive, vars);
  await withServer(node, async () => {
    await waitForPort(PORT.node, 60_000);
    const first = await get(`http://127.0.0.1:${PORT.node}/rss.xml`);
    const cases: { name: string; path: string; headers?: Record<string, string> }[] = [
      { name: "/rss.xml (as served)", path: "/rss.xml" },
      { name: "/rss.xml uncached", path: "/rss.xml?bench-bypass=1" },
    ];
    if (first.etag) cases.push({ name: "/rss.xml 304 (If-None-Match)", path: "/rss.xml", headers: { "If-None-Match": first.etag } });
    for (const c of cases) {
      const probe = await get(`http://127.0.0.1:${PORT.node}${c.path}`, c.headers);
      rows.push({ runtime: "node", case: c.name, status: probe.status, bytes: probe.bytes, ...(await measure(node, c.path, c.headers)) });
    }
    results.nodeMemory = await memory(node.pid);
  });
  results.node = rows;
}

// 3. Scale: archive sizes, bundled (every file in the script) and indexed (index + records behind the ARCHIVE binding).
if (only.has("scale")) {
  const rows: Record<string, unknown>[] = [];
  for (const count of sizes) {
    const archive = await ensureArchive(count);
    const content = await directoryBytes(archive);
    for (const mode of ["bundled", "indexed"] as const) {
      const row: Record<string, unknown> = { articles: count, mode, archiveFiles: content.files, archiveBytes: content.bytes };
      rows.push(row);
      if (mode === "bundled" && count > bundledMax) {
        row.skipped = `not built: the script would hold all ${(content.bytes / 1e6).toFixed(0)} MB of files (limit 10 MB compressed)`;
        continue;
      }
      let build: BuiltWorker;
      let archiveDir: string | undefined;
      if (mode === "bundled") {
        build = count === servedSize && servedBuild ? servedBuild : await buildWorker(`bundled-${count}`, await renderContentModule(createDirectorySource(archive)));
      } else {
        const index = await ensureIndex(count, archive);
        archiveDir = index.dir;
        const store = await directoryBytes(index.dir);
        Object.assign(row, { indexBytes: index.indexBytes, indexBuildMs: index.buildMs, storeFiles: store.files, storeBytes: store.bytes });
        build = await buildWorker(`indexed-${count}`, EMPTY_CONTENT);
      }
      Object.assign(row, { scriptBytes: build.bytes, scriptGzipBytes: build.gzipBytes, buildMs: build.buildMs });
      log(`scale ${count} ${mode}: script ${(build.bytes / 1e6).toFixed(2)} MB (${(build.gzipBytes / 1e6).toFixed(2)} MB gzip)`);
      const server = await startWorkerd({
        name: `${mode}-${count}`,
        port: PORT.worker,
        script: build.script,
        vars,
        compatibilityDate,
        flags,
        archiveDir,
        inspectorPort: PORT.inspector,
      });
      await withServer(server, async () => {
        const listening = await waitForPort(PORT.worker, 300_000);
        const first = await get(`http://127.0.0.1:${PORT.worker}/rss.xml`, {}, 600_000);
        Object.assign(row, {
          startupMs: listening - server.spawnedAt,
          firstRequestMs: first.ms,
          firstResponseMs: performance.now() - server.spawnedAt,
          firstStatus: first.status,
          memoryAfterFirst: await memory(server.pid),
          heapAfterFirst: await isolateHeap(PORT.inspector),
        });
        log(`  listening after ${(listening - server.spawnedAt).toFixed(0)} ms, first /rss.xml ${first.status} in ${first.ms.toFixed(0)} ms`);
        const endpoints: Record<string, unknown>[] = [];
        for (const e of ENDPOINTS) {
          const probe = await get(`http://127.0.0.1:${PORT.worker}${e.path}`);
          if (probe.status !== 200) {
            endpoints.push({ ...e, status: probe.status });
            continue;
          }
          endpoints.push({ ...e, status: 200, bytes: probe.bytes, ...(await measure(server, e.path)) });
        }
        row.endpoints = endpoints;
        row.memory = await memory(server.pid);
        row.heap = await isolateHeap(PORT.inspector);
      });
    }
  }
  results.scale = rows;
}

(results.machine as Record<string, unknown>).loadavgAfter = loadavg();
await mkdir(join(ROOT, "bench", "results"), { recursive: true });
await writeFile(join(ROOT, values.out), JSON.stringify(results, null, 2) + "\n");
const report = formatReport(results);
await writeFile(join(ROOT, values.out.replace(/\.json$/, ".md")), report);
process.stdout.write(report);
log(`wrote ${values.out}`);
