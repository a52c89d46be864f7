// Formats bench results (the JSON that bench/run.ts writes) as markdown tables, for the terminal and BENCHMARKS.md.
//   node bench/report.ts bench/results/latest.json

// biome-ignore lint/suspicious/noExplicitAny: the results file is loose JSON by design
type Json = any;

const f = (n: unknown, digits = 2): string => (typeof n === "number" && Number.isFinite(n) ? n.toFixed(digits) : "–");
const int = (n: unknown): string => (typeof n === "number" && Number.isFinite(n) ? Math.round(n).toLocaleString("en-GB") : "–");
const mb = (n: unknown): string => (typeof n === "number" ? (n / 1e6).toFixed(2) + " MB" : "–");

function table(head: string[], rows: string[][]): string {
  return (
    [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n") + "\n"
  );
}

function loadCells(r: Json): string[] {
  return [
    `${int(r.requestsPerSec)} (${int(r.rpsMin)}–${int(r.rpsMax)})`,
    f(r.p50Ms),
    f(r.p99Ms),
    f(r.cpuMsPerRequest, 3),
    r.errors ? String(r.errors) : "0",
  ];
}

export function formatReport(results: Json): string {
  let out =
    `# edge-feeds benchmark\n\n${results.date} · \`${results.command}\` · ${results.machine.cpus} cores (${results.machine.cpuModel}) · ` +
    `Node ${results.machine.node} · workerd ${results.machine.workerd} · load average before ${results.machine.loadavgBefore.map((x: number) => x.toFixed(2)).join(" ")}, ` +
    `after ${results.machine.loadavgAfter.map((x: number) => x.toFixed(2)).join(" ")} · wrk ${results.settings.seconds} s × ${results.settings.repeat} runs, ${results.settings.connections} connections\n\n`;

  if (results.render) {
    out += "## Render cost in-process (ms per feed, median / p99)\n\n";
    out += "Cold: items this isolate has not rendered before. Warm: items rendered before in some feed (their text is reused).\n\n";
    out += table(
      [
        "items",
        "format",
        "bytes",
        "ours cold median / p99",
        "ours warm median / p99",
        "feed median / p99",
        "feed ÷ ours cold",
        "feed ÷ ours warm",
      ],
      results.render.map((r: Json) => [
        String(r.items),
        r.format,
        int(r.bytes),
        `${f(r.ours.medianMs, 3)} / ${f(r.ours.p99Ms, 3)}`,
        `${f(r.oursWarm?.medianMs, 3)} / ${f(r.oursWarm?.p99Ms, 3)}`,
        `${f(r.feedPackage.medianMs, 3)} / ${f(r.feedPackage.p99Ms, 3)}`,
        `**${f(r.speedup)}×**`,
        `**${f(r.speedupWarm)}×**`,
      ]),
    );
    out += "\n";
  }

  const served = [...(results.served ?? []), ...(results.node ?? [])];
  if (served.length) {
    const baseline = (results.served ?? []).find((r: Json) => r.case.startsWith("baseline: same"));
    const baseline304 = (results.served ?? []).find((r: Json) => r.case === "baseline: 304");
    out += "## Served (requests/s median (min–max), latency ms, server CPU ms per request)\n\n";
    out += table(
      ["runtime", "case", "status", "bytes", "req/s", "p50", "p99", "CPU ms/req", "errors", "req/s ÷ baseline", "baseline CPU ÷ ours"],
      served.map((r: Json) => {
        const ref = r.status === 304 ? baseline304 : baseline;
        const compare = ref && r.runtime === "workerd" && !r.case.startsWith("baseline");
        const ratio = compare ? `${f((100 * r.requestsPerSec) / ref.requestsPerSec, 0)} %` : "";
        const cpuRatio = compare ? `${f((100 * ref.cpuMsPerRequest) / r.cpuMsPerRequest, 0)} %` : "";
        return [r.runtime, r.case, String(r.status), int(r.bytes), ...loadCells(r), ratio, cpuRatio];
      }),
    );
    const mem = (m: Json): string => (m ? `${f(m.rssMiB, 0)} MiB (peak ${f(m.peakMiB, 0)})` : "–");
    out += `\nProcess memory after the runs: worker with Cache API ${mem(results.servedMemory)}, without ${mem(results.servedMemoryUncached)}, baseline ${mem(results.baselineMemory)}, Node ${mem(results.nodeMemory)}.\n\n`;
  }

  if (results.scale) {
    out += "## Scale\n\n";
    if (results.settings.scale) out += `wrk ${results.settings.scale.seconds} s × ${results.settings.scale.repeat} runs per endpoint.\n\n`;
    out += table(
      [
        "articles",
        "mode",
        "script (gzip)",
        "startup ms",
        "first request ms",
        "first response ms",
        "isolate heap MiB (after first / after load)",
        "process RSS MiB (peak)",
        "store",
      ],
      results.scale.map((r: Json) =>
        r.skipped
          ? [int(r.articles), r.mode, r.skipped, "", "", "", "", "", mb(r.archiveBytes) + " of files"]
          : [
              int(r.articles),
              r.mode,
              `${mb(r.scriptBytes)} (${mb(r.scriptGzipBytes)})`,
              int(r.startupMs),
              `${int(r.firstRequestMs)}${r.firstStatus === 200 ? "" : ` (HTTP ${r.firstStatus})`}`,
              int(r.firstResponseMs),
              `${f(r.heapAfterFirst?.usedMiB, 1)} / ${f(r.heap?.usedMiB, 1)}`,
              `${f(r.memory?.rssMiB, 0)} (${f(r.memory?.peakMiB, 0)})`,
              r.mode === "indexed" ? `index ${mb(r.indexBytes)}; ${int(r.storeFiles)} files, ${mb(r.storeBytes)}` : "in the script",
            ],
      ),
    );
    const same = results.scale
      .filter((r: Json) => r.mode === "indexed" && r.homeSha256)
      .map((r: Json) => {
        const bundled = results.scale.find((b: Json) => b.mode === "bundled" && b.articles === r.articles && b.homeSha256);
        return bundled ? `${int(r.articles)}: ${bundled.homeSha256 === r.homeSha256 ? "same bytes" : "DIFFERENT bytes"}` : "";
      })
      .filter(Boolean);
    if (same.length) out += `\n/rss.xml, bundled vs indexed: ${same.join("; ")}.\n`;
    out += "\n### Steady state per endpoint\n\n";
    const rows: string[][] = [];
    for (const r of results.scale) {
      for (const e of r.endpoints ?? []) {
        const ok = e.status === 200 || e.status === 304;
        rows.push([int(r.articles), r.mode, e.name, String(e.status), ...(ok ? loadCells(e) : [`HTTP ${e.status}`, "", "", "", ""])]);
      }
    }
    out += table(["articles", "mode", "endpoint", "status", "req/s", "p50", "p99", "CPU ms/req", "errors"], rows);
  }
  return out;
}

if (import.meta.main) {
  const { readFile } = await import("node:fs/promises");
  process.stdout.write(formatReport(JSON.parse(await readFile(process.argv[2] ?? "bench/results/latest.json", "utf8"))));
}
