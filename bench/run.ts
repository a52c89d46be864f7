// `npm run bench`: render cost in-process, served cost per request, and scale over archives in local D1 and R2 (with
// publishing and publish → visible), what writes cost as the archive grows and how fast an import goes, and where
// articles' parts should live (D1 or R2); tables printed and written to bench/results/latest.json and latest.md.
//
//   npm run bench                                        everything (archives imported first if need be)
//   npm run bench -- --sizes 100,10000 --only scale      some sizes, one part
//   npm run bench -- --only writes --import-size 10000 --writes-sizes 100,1000000   the write costs and a fresh import
//   npm run bench -- --seconds 3 --repeat 2              quicker load runs
//   npm run bench -- --as-imported                       measure stored archives as they are (an import stopped part
//                                                        way: its oldest articles), importing nothing
//   npm run bench -- --only import --publish-size 10000  the import part: archives, then a folder of 10,000 articles
//                                                        timed under npm run check and npm run publish
//   npm run bench -- --only import,writes --sizes 100 --import-size 10000 --publish-size 10000 --writes-sizes none
//                    --import-repeat 3                   issue 17's two targets in one run: fresh imports of 10,000
//                                                        articles (articles/s, the median of three) and publish ÷ check
//                                                        over 10,000
//
// One load at a time: imports, workers and wrk runs follow each other; the server gets core 0 and wrk core 1.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseSettings } from "../src/core/settings.ts";
import { OUTPUT_REVISION } from "../src/formats/index.ts";
import { archiveSpec, ensureArchive } from "./archives.ts";
import { runFolderPublish } from "./folder-publish.ts";
import { buildWorker, emptyTrash, ROOT, workerdVersion, wranglerVars } from "./harness.ts";
import { runParts } from "./parts.ts";
import { runRenderBench } from "./render.ts";
import { formatReport } from "./report.ts";
import { runPaired, runScaleSize, type ScaleRow } from "./scale.ts";
import { runServed } from "./served.ts";
import { runTiers } from "./tiers.ts";
import { runWrites } from "./writes.ts";

const PARTS = ["render", "served", "tiers", "scale", "import", "writes", "parts"] as const;
const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,10000,100000,1000000" },
    only: { type: "string", default: "render,served,tiers,scale,writes,parts" },
    seconds: { type: "string", default: "5" },
    repeat: { type: "string", default: "3" },
    "scale-seconds": { type: "string", default: "5" },
    "scale-repeat": { type: "string", default: "3" },
    connections: { type: "string", default: "4" },
    "served-size": { type: "string", default: "10000" },
    "tier-pages": { type: "string", default: "40" },
    publishes: { type: "string", default: "5" },
    "import-size": { type: "string", default: "10000" },
    "import-repeat": { type: "string", default: "1" },
    "writes-sizes": { type: "string", default: "100,1000000" },
    "writes-repeat": { type: "string", default: "10" },
    "publish-size": { type: "string", default: "10000" },
    "publish-parallel": { type: "string" },
    out: { type: "string", default: "bench/results/latest.json" },
    "as-imported": { type: "boolean", default: false },
  },
});
const only = new Set(values.only.split(",").map((s) => s.trim()));
for (const part of only) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only takes ${PARTS.join(", ")}; not ${part}`);
const sizes = values.sizes.split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error(`--sizes takes article counts, such as 100,10000; not ${values.sizes}`);
const number = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!(n > 0)) throw new Error(`--${name} takes a positive number`);
  return n;
};
const log = (line: string): void => void process.stderr.write(`${line}\n`);
// Ports 8871–8880 (the bench refuses to start a worker on a port that is taken).
const PORTS = { import: 8871, worker: 8872, inspector: 8873, baseline: 8874, peer: 8875, folder: 8876 };

const started = new Date();
const results: Record<string, unknown> = {
  date: started.toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, workerd: workerdVersion(), loadavgBefore: loadavg() },
  settings: {
    seconds: number("seconds"),
    repeat: number("repeat"),
    connections: number("connections"),
    scale: { seconds: number("scale-seconds"), repeat: number("scale-repeat") },
    servedSize: number("served-size"),
    publishes: number("publishes"),
    importSize: Number(values["import-size"]),
    writesSizes: values["writes-sizes"],
    writesRepeat: number("writes-repeat"),
    outputRevision: OUTPUT_REVISION,
  },
};

if (only.has("import")) {
  for (const count of sizes) await ensureArchive(archiveSpec(count), { port: PORTS.import, log });
  // The client's side of an import: a folder checked, then published into an empty store (bench/folder-publish.ts).
  const parallel = values["publish-parallel"] === undefined ? undefined : number("publish-parallel");
  results.folderPublish = await runFolderPublish(number("publish-size"), await buildWorker("folder"), {
    port: PORTS.folder,
    parallel,
    log,
  });
}

if (only.has("render")) {
  log("render: ours vs feed, in-process…");
  results.render = await runRenderBench(parseSettings(await wranglerVars()), { budgetMs: Math.max(1000, number("seconds") * 400) });
}

const built = only.has("served") || only.has("tiers") || only.has("scale") || only.has("writes") ? await buildWorker("worker") : undefined;
if (built) results.script = { bytes: built.bytes, gzipBytes: built.gzipBytes };

if (only.has("served")) {
  const served = await runServed(built!, {
    articles: number("served-size"),
    seconds: number("seconds"),
    repeat: number("repeat"),
    connections: number("connections"),
    ports: PORTS,
    log,
  });
  results.served = served.rows;
  results.servedMemory = served.memory;
  results.servedMoved = served.moved;
}

if (only.has("tiers")) {
  const tiers = await runTiers(built!, {
    articles: number("served-size"),
    seconds: number("seconds"),
    repeat: number("repeat"),
    connections: number("connections"),
    pages: number("tier-pages"),
    ports: PORTS,
    log,
  });
  results.tiers = tiers.rows;
  results.tiersMemory = tiers.memory;
}

if (only.has("scale")) {
  const rows: ScaleRow[] = [];
  for (const count of sizes) {
    rows.push(
      await runScaleSize(count, built!, {
        seconds: number("scale-seconds"),
        repeat: number("scale-repeat"),
        connections: number("connections"),
        publishes: number("publishes"),
        visibleWaitMs: 15_000,
        ports: PORTS,
        asImported: values["as-imported"],
        log,
      }),
    );
  }
  results.scale = rows;
  // The 1.5× target again, on the smallest and largest archives of full bodies loaded in turn (bench/scale.ts).
  const full = rows.filter((r) => r.body === "full" && r.articles === r.planned).map((r) => r.articles);
  if (full.length >= 2) {
    results.paired = await runPaired(Math.min(...full), Math.max(...full), built!, {
      seconds: number("scale-seconds"),
      repeat: Math.max(5, number("scale-repeat")),
      connections: number("connections"),
      publishes: 0,
      visibleWaitMs: 0,
      ports: PORTS,
      pairPort: PORTS.baseline,
      log,
    });
  }
}

if (only.has("writes")) {
  // `none`: the fresh import alone, without the single writes into stored archives.
  const writesSizes = values["writes-sizes"] === "none" ? [] : values["writes-sizes"].split(",").map((s) => Number(s.trim()));
  if (writesSizes.some((n) => !Number.isInteger(n) || n < 10))
    throw new Error(`--writes-sizes takes article counts of 10 or more, or none; not ${values["writes-sizes"]}`);
  const writes = await runWrites(built!, {
    sizes: writesSizes,
    repeat: number("writes-repeat"),
    importSize: Number(values["import-size"]),
    importRepeat: number("import-repeat"),
    ports: PORTS,
    log,
  });
  results.freshImport = writes.fresh;
  results.writes = writes.rows;
}

if (only.has("parts")) {
  const parts = await runParts({
    articles: number("served-size"),
    seconds: number("seconds"),
    repeat: number("repeat"),
    connections: number("connections"),
    ports: PORTS,
    log,
  });
  results.parts = parts.rows;
  results.partsCopy = parts.copy;
}

(results.machine as Record<string, unknown>).loadavgAfter = loadavg();
// The stores put aside during the run (harness.ts, discard) go now, after the last measurement.
await emptyTrash();
results.minutes = (Date.now() - started.getTime()) / 60_000;
const out = resolve(ROOT, values.out); // relative to the project, or absolute
await mkdir(dirname(out), { recursive: true });
await writeFile(out, JSON.stringify(results, null, 2) + "\n");
const report = formatReport(results);
await writeFile(out.replace(/\.json$/, ".md"), report);
process.stdout.write(report);
log(`wrote ${values.out} and ${values.out.replace(/\.json$/, ".md")} (${(results.minutes as number).toFixed(1)} minutes)`);
