// Scratch: import N generated articles into a fresh store through POST /api/batch, with given worker bindings; wall and server CPU.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateArchive } from "./archive-generator.ts";
import { applyMigrations, BENCH_TOKEN, buildWorker, startWorker } from "./harness.ts";
import { cpuSeconds } from "./load.ts";

const count = Number(process.argv[2] ?? 1000);
const variants = (process.argv[3] ?? "default").split(",");
const built = await buildWorker("ab");
for (const variant of variants) {
  const dir = await mkdtemp(join(tmpdir(), "ab-"));
  applyMigrations(dir);
  const bindings: Record<string, string> = { PUBLISH_TOKEN: BENCH_TOKEN };
  if (variant === "nocache") bindings.BODY_CACHE = "off";
  const worker = await startWorker({ name: `ab-${variant}`, port: 0, script: built.script, state: dir, bindings });
  const files = [...generateArchive({ count, seed: 1, order: "oldest-first" })];
  const cpu0 = await cpuSeconds(worker.pid);
  const started = performance.now();
  let batch: typeof files = [];
  const send = async (list: typeof files) => {
    const form = new FormData();
    for (const f of list) form.append(f.path, new Blob([f.data as BlobPart]), f.path.split("/").at(-1));
    const res = await fetch(`${worker.url}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${BENCH_TOKEN}` }, body: form });
    if (res.status !== 200) throw new Error(await res.text());
    const { results } = (await res.json()) as { results: { status: number }[] };
    if (results.some((r) => r.status >= 300)) throw new Error(JSON.stringify(results.filter((r) => r.status >= 300).slice(0, 3)));
  };
  for (const f of files) {
    batch.push(f);
    if (batch.length >= 400 && f.path.endsWith(".md")) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length) await send(batch);
  const wall = (performance.now() - started) / 1000;
  const cpu = (await cpuSeconds(worker.pid)) - cpu0;
  console.log(
    `${variant}: ${count} articles in ${wall.toFixed(1)} s = ${(count / wall).toFixed(0)}/s; server CPU ${cpu.toFixed(2)} s = ${((cpu / count) * 1000).toFixed(2)} ms/article`,
  );
  await worker.stop();
  await rm(dir, { recursive: true, force: true });
}
