// `npm run bench:ab -- A.js B.js`: two worker bundles import the same generated articles side by side, and the
// server CPU each spends per article is compared. Both workerd processes share the server core, and each batch goes to
// both in turn (who goes first alternating), so the machine's other load and its drift over the afternoon fall on both
// alike: A/A runs read B/A 1.012, 1.028 (the same bundle twice), where two `npm run bench` imports of the same code minutes apart
// differ by up to 15% on this VM. For telling whether a change to the publish path costs less, not for the import rate
// (`npm run bench -- --only writes` measures that, the way the targets ask).
//
//   npm run bench:ab -- /tmp/a/worker.js /tmp/b/worker.js [--articles 2400] [--rounds 2] [--batch 200]
//
// A bundle is what `npx wrangler deploy --dry-run --outdir DIR` writes (DIR/worker.js), from any checkout.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type GeneratedFile, generateArchive } from "./archive-generator.ts";
import { postBatch } from "./archives.ts";
import { applyMigrations, BENCH_TOKEN, type LocalWorker, startWorker, WORK } from "./harness.ts";
import { cpuSeconds } from "./load.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    articles: { type: "string", default: "2400" },
    rounds: { type: "string", default: "2" },
    batch: { type: "string", default: "200" },
  },
});
if (positionals.length !== 2) throw new Error("usage: npm run bench:ab -- A/worker.js B/worker.js [--articles N] [--rounds N] [--batch N]");
const [scriptA, scriptB] = positionals as [string, string];
const articles = Number(values.articles);
const rounds = Number(values.rounds);
const batchFiles = Number(values.batch);
for (const [name, n] of [
  ["articles", articles],
  ["rounds", rounds],
  ["batch", batchFiles],
] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive whole number`);
}
// Ports 8877 and 8878 (the bench refuses to start a worker on a port that is taken).
const PORTS = { a: 8877, b: 8878 };

async function start(name: string, script: string, port: number): Promise<LocalWorker> {
  const state = join(WORK, "scratch", `ab-${name}`);
  await rm(state, { recursive: true, force: true });
  applyMigrations(state);
  return startWorker({ name, port, script, state, bindings: { PUBLISH_TOKEN: BENCH_TOKEN } });
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const ms = (seconds: number): string => ((seconds * 1000) / articles).toFixed(3);
let totalA = 0;
let totalB = 0;
log(`A ${scriptA}\nB ${scriptB}\n${articles.toLocaleString("en")} generated full articles a round, batches of ${batchFiles} files`);
for (let round = 0; round < rounds; round++) {
  const a = await start("a", scriptA, PORTS.a);
  const b = await start("b", scriptB, PORTS.b);
  try {
    const batches: GeneratedFile[][] = [];
    let batch: GeneratedFile[] = [];
    for (const file of generateArchive({ count: articles, seed: 7 + round, order: "oldest-first" })) {
      batch.push(file);
      // A batch ends after an article, so an image travels with the article that uses it.
      if (file.path.endsWith(".md") && batch.length >= batchFiles) {
        batches.push(batch);
        batch = [];
      }
    }
    if (batch.length) batches.push(batch);
    const [startA, startB] = [await cpuSeconds(a.pid), await cpuSeconds(b.pid)];
    for (const [i, files] of batches.entries()) {
      for (const worker of i % 2 ? [a, b] : [b, a]) await postBatch(worker, files);
    }
    const spentA = (await cpuSeconds(a.pid)) - startA;
    const spentB = (await cpuSeconds(b.pid)) - startB;
    totalA += spentA;
    totalB += spentB;
    log(`round ${round + 1}: A ${ms(spentA)} ms/article, B ${ms(spentB)} ms/article, B/A ${(spentB / spentA).toFixed(3)}`);
  } finally {
    await a.stop();
    await b.stop();
  }
}
log(`all rounds: A ${ms(totalA / rounds)} ms/article, B ${ms(totalB / rounds)} ms/article, B/A ${(totalB / totalA).toFixed(3)}`);
