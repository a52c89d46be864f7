// What a write costs as the archive grows, and how fast an archive goes in:
//   - a fresh import of N generated full articles through POST /api/batch (the bench's own importer, oldest first), on
//     an empty store: articles per second, and server CPU per article;
//   - a new, an edited, a back-dated and a deleted article, each a single PUT or DELETE as `npm run publish` or a CMS
//     sends it, into stores of 100 and of 1,000,000 articles (bench/synthetic-store.ts), in three orders: each kind in
//     a block (new, edit, back-dated, delete), the blocks reversed, and the four kinds interleaved. Per kind: client
//     wall time per request, and server CPU per request over the block.
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { archiveSpec, ensureArchive } from "./archives.ts";
import { BENCH_TOKEN, type BuiltWorker, discard, type LocalWorker, startWorker, WORK } from "./harness.ts";
import { cpuSeconds } from "./load.ts";
import { syntheticAuthorsYaml, syntheticStore, syntheticTime } from "./synthetic-store.ts";

export type WriteKind = "new" | "edit" | "back-dated" | "delete";
const KINDS: readonly WriteKind[] = ["new", "edit", "back-dated", "delete"];

export interface WriteRow {
  articles: number;
  order: "blocks" | "reversed" | "interleaved";
  kind: WriteKind;
  requests: number;
  /** Client wall time per request, ms. */
  medianMs: number;
  maxMs: number;
  /** Server CPU ms per request over the block (blocks and reversed only: interleaved writes share one clock). */
  cpuMsPerRequest?: number;
}

export interface FreshImport {
  articles: number;
  seconds: number;
  articlesPerSecond: number;
  serverCpuMsPerArticle: number;
  batches: number;
  /** Every import of the run, in the order they ran, when there were several (`--import-repeat`); the figures above are the median one's. */
  runs?: FreshImport[];
}

export interface WritesSettings {
  sizes: number[];
  /** Writes of each kind per order and size. */
  repeat: number;
  /** Articles in the fresh import (0: none). */
  importSize: number;
  /** Fresh imports to run, each into an empty store; the median by articles/s is the one reported (default 1). */
  importRepeat?: number;
  ports: { worker: number; import: number };
  log: (line: string) => void;
}

const auth = { Authorization: `Bearer ${BENCH_TOKEN}` };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const SECTIONS = ["News", "Analysis", "Business", "Energy", "Opinion", "Culture", "Sport", "Science"];

/** The markdown an article of the synthetic store's lists would be published from: the i-th article's lists, at `at`. */
function storyText(i: number, title: string, authors: readonly string[], at: number): string {
  const tags = [...new Set([(i * 7) % 200, (i * 13 + 1) % 200, (i * 31 + 2) % 200])].map((t) => `  - "Tag ${t}"`).join("\n");
  const names = [...new Set([authors[i % 40]!, authors[(i * 3 + 1) % 40]!])].map((a) => `  - ${a}`).join("\n");
  return `---\ntitle: ${JSON.stringify(title)}\ndate: ${iso(at)}\nsection: ${SECTIONS[i % 8]}\nauthors:\n${names}\ntags:\n${tags}\n---\n\n${title}: a short body written by the benchmark.\n`;
}

async function send(worker: LocalWorker, method: "PUT" | "DELETE", file: string, body?: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${worker.url}/api/articles/${file.split("/").map(encodeURIComponent).join("/")}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${file} answered ${res.status}: ${text.slice(0, 500)}`);
  return performance.now() - started;
}

export async function runWrites(built: BuiltWorker, settings: WritesSettings): Promise<{ fresh?: FreshImport; rows: WriteRow[] }> {
  let fresh: FreshImport | undefined;
  if (settings.importSize > 0) {
    // A fresh import every time: the archive goes into a scratch folder that is emptied first. On a shared VM one
    // import's rate moves by up to 15% from one minute to the next; with several, the median one is reported.
    const runs: FreshImport[] = [];
    for (let run = 0; run < (settings.importRepeat ?? 1); run++) {
      const spec = archiveSpec(settings.importSize, join(WORK, "scratch", "fresh-import"));
      await discard(spec.dir);
      const stamp = await ensureArchive(spec, { port: settings.ports.import, log: settings.log, built });
      runs.push({
        articles: stamp.importedArticles,
        seconds: stamp.importSeconds,
        articlesPerSecond: stamp.importedArticles / stamp.importSeconds,
        serverCpuMsPerArticle: (stamp.serverCpuSeconds * 1000) / stamp.importedArticles,
        batches: stamp.batches,
      });
      await discard(spec.dir);
    }
    const middle = [...runs].sort((a, b) => a.articlesPerSecond - b.articlesPerSecond)[Math.floor((runs.length - 1) / 2)]!;
    fresh = runs.length > 1 ? { ...middle, runs } : middle;
  }
  const authorsYaml = syntheticAuthorsYaml();
  const authors = [...authorsYaml.matchAll(/^([a-z0-9-]+):$/gm)].map((m) => m[1]!);
  const rows: WriteRow[] = [];
  const run = Date.now().toString(36);
  for (const count of settings.sizes) {
    // Every run writes into a copy of the store, so each run starts from the same archive.
    const state = join(WORK, "scratch", `writes-${count}`);
    await rm(state, { recursive: true, force: true });
    await cp(await syntheticStore(count, settings.log), state, { recursive: true });
    const worker = await startWorker({
      name: `writes-${count}`,
      port: settings.ports.worker,
      script: built.script,
      state,
      bindings: { PUBLISH_TOKEN: BENCH_TOKEN },
    });
    try {
      const registry = await fetch(`${worker.url}/api/registries/authors.yaml`, { method: "PUT", headers: auth, body: authorsYaml });
      if (registry.status >= 300) throw new Error(`authors.yaml answered ${registry.status}`);
      let n = 0;
      // Old articles spread over the archive's middle 90% (a golden-ratio walk): edits take even ones (again and again,
      // an edit changes no list), deletes odd ones, each once; when the odd ones run out, the deleted ones are put back
      // between blocks (untimed), so a small archive stays the size it is.
      let walk = 0;
      const spread = (parity: 0 | 1): number => {
        walk++;
        const i = Math.floor(count * 0.05 + ((walk * 0.6180339887) % 1) * count * 0.9);
        return Math.min(count - 2 + parity, i - (i % 2) + parity);
      };
      const deleted = new Set<number>();
      const oddLeft = () => Math.floor(count * 0.45) - deleted.size;
      const pickDeleted = (): number => {
        for (;;) {
          const j = spread(1);
          if (!deleted.has(j)) {
            deleted.add(j);
            return j;
          }
        }
      };
      const restore = async (): Promise<void> => {
        for (const i of deleted)
          await send(worker, "PUT", `archive/story-${i}.md`, storyText(i, `Story ${i}`, authors, syntheticTime(count, i)));
        deleted.clear();
      };
      const now = Date.now();
      const write = async (kind: WriteKind): Promise<number> => {
        n++;
        const tag = `${run}-${count}-${n}`;
        if (kind === "new") return send(worker, "PUT", `bench/${tag}.md`, storyText(n, `New ${tag}`, authors, now - 60_000));
        if (kind === "back-dated") {
          // Dated in the middle of the archive: between two articles already out for years.
          const at = syntheticTime(count, Math.floor(count / 2)) + n * 1000;
          return send(worker, "PUT", `bench/old-${tag}.md`, storyText(n, `Back-dated ${tag}`, authors, at));
        }
        if (kind === "edit") {
          const i = spread(0);
          return send(worker, "PUT", `archive/story-${i}.md`, storyText(i, `Edited ${tag}`, authors, syntheticTime(count, i)));
        }
        return send(worker, "DELETE", `archive/story-${pickDeleted()}.md`);
      };
      // Warm-up: one of each, not counted.
      for (const kind of KINDS) await write(kind);
      for (const order of ["blocks", "reversed", "interleaved"] as const) {
        settings.log(`writes ${count.toLocaleString("en")}: ${order}`);
        const times = new Map<WriteKind, number[]>(KINDS.map((k) => [k, []]));
        if (oddLeft() < settings.repeat * 2) await restore();
        if (order === "interleaved") {
          for (let r = 0; r < settings.repeat; r++) for (const kind of KINDS) times.get(kind)!.push(await write(kind));
          for (const kind of KINDS) rows.push(summary(count, order, kind, times.get(kind)!));
          continue;
        }
        for (const kind of order === "blocks" ? KINDS : [...KINDS].reverse()) {
          const cpu = await cpuSeconds(worker.pid);
          for (let r = 0; r < settings.repeat; r++) times.get(kind)!.push(await write(kind));
          const spent = (await cpuSeconds(worker.pid)) - cpu;
          rows.push({ ...summary(count, order, kind, times.get(kind)!), cpuMsPerRequest: (spent * 1000) / settings.repeat });
        }
      }
    } finally {
      await worker.stop();
      await rm(state, { recursive: true, force: true });
    }
  }
  return { ...(fresh ? { fresh } : {}), rows };
}

function summary(articles: number, order: WriteRow["order"], kind: WriteKind, ms: number[]): WriteRow {
  return { articles, order, kind, requests: ms.length, medianMs: median(ms), maxMs: Math.max(...ms) };
}
