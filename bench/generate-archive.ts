// Generates a realistic synthetic archive for the benchmarks: N articles of about 800 words with front matter as the
// newsroom writes it (1–3 authors, a section, tags, a lead image), an authors.yaml, and the local lead images.
//
//   node bench/generate-archive.ts --count 10000 --out bench/.data/archive-10000 [--seed 1] [--body short]
//
// (The benchmark itself never writes archives to disk: bench/archives.ts streams the generator into the publish API.
// A folder written here can be published by hand: npm run publish -- --dir bench/.data/archive-10000.)
//
// The output is deterministic for a given count and seed, so benchmark runs compare like with like.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type ArchiveOptions, GENERATOR_VERSION, generateArchive } from "./archive-generator.ts";

export { type ArchiveOptions, GENERATOR_VERSION, type GeneratedFile, generateArchive, syntheticJpeg } from "./archive-generator.ts";

export async function writeArchive(out: string, options: ArchiveOptions): Promise<number> {
  await rm(out, { recursive: true, force: true });
  const made = new Set<string>();
  let written = 0;
  let batch: Promise<void>[] = [];
  for (const file of generateArchive(options)) {
    const full = join(out, file.path);
    const dir = dirname(full);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    batch.push(writeFile(full, file.data));
    written++;
    if (batch.length >= 64) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  await writeFile(join(out, ".generated"), JSON.stringify({ version: GENERATOR_VERSION, ...options }) + "\n");
  return written;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "1000" },
      out: { type: "string" },
      seed: { type: "string", default: "1" },
      body: { type: "string", default: "full" },
    },
  });
  if (values.body !== "full" && values.body !== "short") throw new Error("--body is full or short");
  const count = Number(values.count);
  const out = values.out ?? `bench/.data/archive-${count}`;
  const started = performance.now();
  const files = await writeArchive(out, { count, seed: Number(values.seed), body: values.body });
  console.log(`wrote ${files} files (${count} articles) to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
