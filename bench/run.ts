// `npm run bench`: render cost, served throughput (workerd, Node) and scale, printed as tables and written as JSON.
//
//   npm run bench                                   everything, default sizes 100,1000,10000,100000
//   npm run bench -- --sizes 100,1000 --seconds 3   smaller and quicker
//   npm run bench -- --only render,served           sections: render, served, node, scale
//
// Timings are noisy on a shared 2-core machine: every load run is repeated (--repeat) and reported as the median with
// the spread; the server's CPU time per request (from /proc) is reported beside requests/s because wrk shares the cores.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSettings } from "../src/core/settings.ts";
import { createDirectorySource } from "../src/node/directory-source.ts";
import { renderContentModule } from "../src/sources/bundle.ts";
import { GENERATOR_VERSION, writeArchive } from "./generate-archive.ts";
import { type RenderRow, runRenderBench } from "./render.ts";
import { formatReport } from "./report.ts";
import {
  type BuiltWorker,
  buildWorker,
  get,
  isolateHeap,
  type LoadResult,
  load,
  memory,
  ROOT,
  type ServerHandle,
  sleep,
  startNode,
  startWorkerd,
  startWranglerDev,
  WORK,
  waitForPort,
  withContentModule,
  wranglerVars,
  writeBaselineWorker,
} from "./served.ts";

const { values } = parseArgs({
  allowNegative: true, // --no-wrangler-dev
  options: {
    sizes: { type: "string", default: "100,1000,10000,100000" },
    only: { type: "string", default: "render,served,node,scale" },
    seconds: { type: "string", default: "5" },
    repeat: { type: "string", default: "3" },
    "scale-seconds": { type: "string", default: "4" },
    "scale-repeat": { type: "string", default: "2" },
    connections: { type: "string", default: "4" },
    "bundled-max": { type: "string", default: "10000" },
    "served-size": { type: "string", default: "1000" },
    "wrangler-dev": { type: "boolean", default: true },
    out: { type: "string", default: "bench/results/latest.json" },
  },
});
const sizes = values.sizes.split(",").map(Number);
const only = new Set(values.only.split(","));
let seconds = Number(values.seconds);
let repeat = Number(values.repeat);
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
  // Rebuilt when the archive or the code that writes records is newer than the index.
  const inputs = [join(archive, ".generated"), ...(await readdir(join(ROOT, "src", "core"))).map((f) => join(ROOT, "src", "core", f))];
  const newest = Math.max(...(await Promise.all(inputs.map(async (f) => (await stat(f)).mtimeMs))));
  const fresh = existsSync(marker) && (await stat(marker)).mtimeMs > newest;
  if (!fresh) {
    log(`indexing ${count} articles…`);
    const started = performance.now();
    execFileSync(process.execPath, [join(ROOT, "src", "node", "cli.ts"), "index", "--dir", archive, "--out", dir], {
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

const EMPTY_CONTENT =
  "// Generated by bench/run.ts: the archive comes from the ARCHIVE binding.\nexport const text: Record<string, string> = {};\nexport const binary: Record<string, string> = {};\n";

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
  let body: Uint8Array | undefined;
  let etag: string | null = null;
  const contentType = "application/rss+xml; charset=utf-8";
  for (const cache of [true, false]) {
    const worker = await startWorkerd({
      name: "served",
      port: PORT.worker,
      script: servedBuild.script,
      vars: cache ? vars : { ...vars, BODY_CACHE: "off" },
      compatibilityDate,
      flags,
      cache: "memory",
    });
    await withServer(worker, async () => {
      await waitForPort(PORT.worker, 60_000);
      const first = await get(`http://127.0.0.1:${PORT.worker}/rss.xml`);
      if (first.status !== 200) throw new Error(`/rss.xml answered ${first.status}`);
      body = first.body;
      etag = first.etag;
      log(`served (${cache ? "Cache API" : "cache bypassed"}): /rss.xml is ${first.bytes} bytes; ETag ${etag ?? "none"}`);
      const cases: { name: string; path: string; headers?: Record<string, string> }[] = cache
        ? [{ name: "/rss.xml cached (Cache API hit)", path: "/rss.xml" }]
        : [{ name: "/rss.xml uncached (BODY_CACHE=off: renders each time)", path: "/rss.xml" }];
      if (cache && etag) cases.push({ name: "/rss.xml 304 (If-None-Match)", path: "/rss.xml", headers: { "If-None-Match": etag } });
      for (const c of cases) {
        const probe = await get(`http://127.0.0.1:${PORT.worker}${c.path}`, c.headers);
        if (c.headers === undefined && Buffer.compare(Buffer.from(probe.body), Buffer.from(body)) !== 0)
          throw new Error(`${c.name}: body differs`);
        rows.push({
          runtime: "workerd",
          case: c.name,
          status: probe.status,
          bytes: probe.bytes,
          ...(await measure(worker, c.path, c.headers)),
        });
        const after = await get(`http://127.0.0.1:${PORT.worker}/rss.xml`);
        if (Buffer.compare(Buffer.from(after.body), Buffer.from(body)) !== 0) throw new Error(`${c.name}: body changed under load`);
      }
      results[cache ? "servedMemory" : "servedMemoryUncached"] = await memory(worker.pid);
    });
  }
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
    rows.push({
      runtime: "workerd",
      case: "baseline: same bytes from memory",
      status: 200,
      bytes: probe.bytes,
      ...(await measure(base, "/rss.xml")),
    });
    if (etag)
      rows.push({
        runtime: "workerd",
        case: "baseline: 304",
        status: 304,
        bytes: 0,
        ...(await measure(base, "/rss.xml", { "If-None-Match": etag })),
      });
    results.baselineMemory = await memory(base.pid);
  });
  if (values["wrangler-dev"]) {
    // Alongside only: the same worker and content through `wrangler dev` (its proxy process included).
    await withContentModule(await renderContentModule(createDirectorySource(archive)), async () => {
      const dev = await startWranglerDev(PORT.wranglerDev, PORT.wranglerInspector);
      await withServer(dev, async () => {
        await waitForPort(PORT.wranglerDev, 120_000);
        const probe = await get(`http://127.0.0.1:${PORT.wranglerDev}/rss.xml`);
        if (Buffer.compare(Buffer.from(probe.body), Buffer.from(body!)) !== 0)
          throw new Error("wrangler dev serves other bytes than the workerd build");
        const r = await load(dev, "/rss.xml", { seconds, connections });
        rows.push({
          runtime: "wrangler dev",
          case: "/rss.xml as served (CPU not measured: several processes)",
          status: probe.status,
          bytes: probe.bytes,
          ...r,
          cpuMsPerRequest: NaN,
          runs: 1,
          rpsMin: r.requestsPerSec,
          rpsMax: r.requestsPerSec,
        });
      });
    });
  }
  results.served = rows;
}

/** Endpoints measured at every size, and on Node. Page 1 of the archive holds the oldest articles: the deepest page. */
const ENDPOINTS = [
  { name: "home /rss.xml", path: "/rss.xml" },
  { name: "section /sections/news/rss.xml", path: "/sections/news/rss.xml" },
  { name: "deep archive /archive/1/rss.xml", path: "/archive/1/rss.xml" },
];

async function measureEndpoints(
  server: ServerHandle,
  port: number,
  list: typeof ENDPOINTS,
  suffix = "",
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of list) {
    const probe = await get(`http://127.0.0.1:${port}${e.path}`);
    const name = e.name + suffix;
    if (probe.status !== 200) {
      out.push({ ...e, name, status: probe.status });
      continue;
    }
    out.push({ ...e, name, status: 200, bytes: probe.bytes, ...(await measure(server, e.path)) });
    if (probe.etag && e === list[0]) {
      out.push({ ...e, name: `${e.name} 304`, status: 304, bytes: 0, ...(await measure(server, e.path, { "If-None-Match": probe.etag })) });
    }
  }
  return out;
}

// 4. The Node server on the same archive and endpoints (it keeps rendered bodies in memory).
if (only.has("node")) {
  const archive = await ensureArchive(servedSize);
  const node = await startNode("node", PORT.node, archive, vars);
  await withServer(node, async () => {
    await waitForPort(PORT.node, 60_000);
    await get(`http://127.0.0.1:${PORT.node}/rss.xml`);
    results.node = (await measureEndpoints(node, PORT.node, ENDPOINTS, " (cached)")).map((r) => ({ runtime: "node", case: r.name, ...r }));
    results.nodeMemory = await memory(node.pid);
  });
}

// 3. Scale: archive sizes, with shorter load runs so that the default run stays near 12 minutes.
if (only.has("scale")) {
  seconds = Number(values["scale-seconds"]);
  repeat = Number(values["scale-repeat"]);
  (results.settings as Record<string, unknown>).scale = { seconds, repeat };
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
        build =
          count === servedSize && servedBuild
            ? servedBuild
            : await buildWorker(`bundled-${count}`, await renderContentModule(createDirectorySource(archive)));
      } else {
        const index = await ensureIndex(count, archive);
        archiveDir = index.dir;
        const store = await directoryBytes(index.dir);
        Object.assign(row, { indexBytes: index.indexBytes, indexBuildMs: index.buildMs, storeFiles: store.files, storeBytes: store.bytes });
        build = await buildWorker(`indexed-${count}`, EMPTY_CONTENT);
      }
      Object.assign(row, { scriptBytes: build.bytes, scriptGzipBytes: build.gzipBytes, buildMs: build.buildMs });
      log(`scale ${count} ${mode}: script ${(build.bytes / 1e6).toFixed(2)} MB (${(build.gzipBytes / 1e6).toFixed(2)} MB gzip)`);
      const endpoints: Record<string, unknown>[] = [];
      // First with BODY_CACHE=off (cold start, and every request renders), then as deployed (cached bodies).
      for (const cache of [false, true]) {
        const server = await startWorkerd({
          name: `${mode}-${count}`,
          port: PORT.worker,
          script: build.script,
          vars: cache ? vars : { ...vars, BODY_CACHE: "off" },
          compatibilityDate,
          flags,
          archiveDir,
          cache: "memory",
          inspectorPort: cache ? undefined : PORT.inspector,
        });
        await withServer(server, async () => {
          const listening = await waitForPort(PORT.worker, 300_000);
          const first = await get(`http://127.0.0.1:${PORT.worker}/rss.xml`, {}, 600_000);
          if (!cache) {
            Object.assign(row, {
              startupMs: listening - server.spawnedAt,
              firstRequestMs: first.ms,
              firstResponseMs: performance.now() - server.spawnedAt,
              firstStatus: first.status,
              // The same articles must give the same bytes whether bundled or indexed.
              homeSha256: createHash("sha256").update(first.body).digest("hex"),
              memoryAfterFirst: await memory(server.pid),
              heapAfterFirst: await isolateHeap(PORT.inspector),
            });
            log(
              `  listening after ${(listening - server.spawnedAt).toFixed(0)} ms, first /rss.xml ${first.status} in ${first.ms.toFixed(0)} ms`,
            );
            endpoints.push(...(await measureEndpoints(server, PORT.worker, ENDPOINTS, " uncached")));
            row.memory = await memory(server.pid);
            row.heap = await isolateHeap(PORT.inspector);
          } else {
            endpoints.push(...(await measureEndpoints(server, PORT.worker, ENDPOINTS.slice(0, 1), " cached")));
          }
        });
      }
      row.endpoints = endpoints;
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
