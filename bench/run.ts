// `npm run bench`: render cost in-process, printed as a table and written as JSON. (The served and scale sections are
// being rebuilt over D1: see BENCHMARKS.md.)
//
//   npm run bench                          everything
//   npm run bench -- --seconds 3           quicker
//
// Timings are noisy on a shared 2-core machine: each is the median of many runs, with its p99.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseSettings } from "../src/core/settings.ts";
import { type RenderRow, runRenderBench } from "./render.ts";
import { formatReport } from "./report.ts";
import { ROOT, wranglerVars } from "./served.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    out: { type: "string", default: "bench/results/latest.json" },
  },
});
const seconds = Number(values.seconds);
const { vars } = await wranglerVars();
const site = parseSettings(vars);
const log = (s: string): void => void process.stderr.write(s + "\n");

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
  settings: { seconds, repeat: 1, connections: 0, feedItems: site.feedItems },
};

log("render: ours vs feed…");
const rows: RenderRow[] = await runRenderBench(site, { budgetMs: Math.max(1000, seconds * 400) });
results.render = rows;

(results.machine as Record<string, unknown>).loadavgAfter = loadavg();
await mkdir(join(ROOT, "bench", "results"), { recursive: true });
await writeFile(join(ROOT, values.out), JSON.stringify(results, null, 2) + "\n");
const report = formatReport(results);
await writeFile(join(ROOT, values.out.replace(/\.json$/, ".md")), report);
process.stdout.write(report);
log(`wrote ${values.out}`);
