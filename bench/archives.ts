// The benchmark archives in local D1 and R2: generated, imported once through the publish API's batch route (oldest
// article first), and kept under bench/.data while the generator, the schema and the output revision stay the same.
import { spawnSync } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OUTPUT_REVISION } from "../src/formats/index.ts";
import { type ArchiveOptions, GENERATOR_VERSION, type GeneratedFile, generateArchive } from "./archive-generator.ts";
import {
  applyMigrations,
  BENCH_TOKEN,
  type BuiltWorker,
  buildWorker,
  type LocalWorker,
  schemaHash,
  schemaHashes,
  startWorker,
  WORK,
} from "./harness.ts";
import { cpuSeconds } from "./load.ts";

/** Sizes up to this many articles get full bodies (about 800 words); larger ones get one-paragraph briefs. */
export const FULL_BODIES_UP_TO = 100_000;

export interface ArchiveSpec {
  count: number;
  body: "full" | "short";
  seed: number;
  /** Where its D1 and R2 state (and its stamp, archive.json) live. */
  dir: string;
}

/** The archive of `count` articles, stored under `root` (bench/.data by default). */
export function archiveSpec(count: number, root = WORK): ArchiveSpec {
  const body = count <= FULL_BODIES_UP_TO ? "full" : "short";
  return { count, body, seed: 1, dir: join(root, `store-${count}-${body}`) };
}

/** What a stored archive was built from, and how its import went. */
export interface ArchiveStamp {
  generator: number;
  schema: string;
  outputRevision: number;
  count: number;
  body: "full" | "short";
  seed: number;
  /** Articles (and the images sent before them) stored so far, oldest first; the import resumes after them. */
  importedArticles: number;
  importedImages: number;
  /** Seconds spent importing (summed over sessions, if one was interrupted). */
  importSeconds: number;
  /** Requests sent and server CPU seconds they took. */
  batches: number;
  serverCpuSeconds: number;
  complete: boolean;
  finishedAt?: string;
  /** Bytes the state takes on disk (D1 and R2), measured when the import finished. */
  diskBytes?: number;
}

const stampPath = (spec: ArchiveSpec) => join(spec.dir, "archive.json");

async function readStamp(spec: ArchiveSpec): Promise<ArchiveStamp | undefined> {
  try {
    return JSON.parse(await readFile(stampPath(spec), "utf8")) as ArchiveStamp;
  } catch {
    return undefined;
  }
}

/**
 * The stored archive, if it was built by this generator and its items by this output revision, under this schema or
 * an earlier one: an archive written before the latest migrations gets them applied in place (`wrangler d1 migrations
 * apply`, as a production database is upgraded), so a schema change that keeps the rows keeps the archive.
 */
export async function storedArchive(spec: ArchiveSpec): Promise<ArchiveStamp | undefined> {
  const stamp = await readStamp(spec);
  const schemas = await schemaHashes();
  const fits =
    stamp &&
    stamp.generator === GENERATOR_VERSION &&
    schemas.includes(stamp.schema) &&
    stamp.outputRevision === OUTPUT_REVISION &&
    stamp.count === spec.count &&
    stamp.body === spec.body &&
    stamp.seed === spec.seed;
  if (!fits) return undefined;
  if (stamp.schema !== schemas.at(-1)) {
    applyMigrations(spec.dir);
    stamp.schema = schemas.at(-1)!;
    await writeFile(stampPath(spec), JSON.stringify(stamp, null, 2) + "\n");
  }
  return stamp;
}

/** Files per batch request: well inside the API's 1,000 files and 16 MiB. */
const BATCH_FILES = 400;
const BATCH_BYTES = 8 * 1024 * 1024;
/** Batch requests sent before the first is answered (the publish client sends up to 4 at once). */
const BATCHES_IN_FLIGHT = 2;

export interface ImportOptions {
  /** The importing worker's port (0: any free one). */
  port: number;
  log: (line: string) => void;
  /** The worker bundle to import with; built beside the archives when absent. */
  built?: BuiltWorker;
}

/**
 * Makes sure the archive is stored: reuses a complete one, resumes an interrupted one, or starts afresh (migrations
 * applied as `npm start` applies them). Everything goes through POST /api/batch of the worker as deployed.
 */
/**
 * The archive as it is stored, complete or not (`npm run bench -- --as-imported`): an import stopped part way is a
 * smaller archive of the oldest articles, measured at the count it holds. Nothing is imported here.
 */
export async function importedArchive(spec: ArchiveSpec): Promise<ArchiveStamp> {
  const stamp = await storedArchive(spec);
  if (!stamp) throw new Error(`no stored archive of ${spec.count} articles under ${spec.dir}: run without --as-imported to import it`);
  if (!stamp.complete) stamp.diskBytes ??= diskBytes(spec.dir);
  return stamp;
}

export async function ensureArchive(spec: ArchiveSpec, options: ImportOptions): Promise<ArchiveStamp> {
  let stamp = await storedArchive(spec);
  if (stamp?.complete) return stamp;
  const { dir } = spec;
  if (!stamp) {
    await rm(dir, { recursive: true, force: true });
    applyMigrations(dir);
    stamp = {
      generator: GENERATOR_VERSION,
      schema: await schemaHash(),
      outputRevision: OUTPUT_REVISION,
      count: spec.count,
      body: spec.body,
      seed: spec.seed,
      importedArticles: 0,
      importedImages: 0,
      importSeconds: 0,
      batches: 0,
      serverCpuSeconds: 0,
      complete: false,
    };
    await writeFile(stampPath(spec), JSON.stringify(stamp, null, 2) + "\n");
  }
  const built = options.built ?? (await buildWorker("import"));
  const worker = await startWorker({
    name: "import",
    port: options.port,
    script: built.script,
    state: dir,
    bindings: { PUBLISH_TOKEN: BENCH_TOKEN },
  });
  try {
    return await importArchive(spec, stamp, worker, options.log);
  } finally {
    await worker.stop();
  }
}

/** One batch through the worker's POST /api/batch; throws unless every file was stored. */
export async function postBatch(worker: LocalWorker, files: readonly GeneratedFile[]): Promise<void> {
  const form = new FormData();
  for (const f of files) form.append(f.path, new Blob([f.data as BlobPart]), f.path.split("/").at(-1));
  const res = await fetch(`${worker.url}/api/batch`, { method: "POST", headers: { Authorization: `Bearer ${BENCH_TOKEN}` }, body: form });
  if (res.status !== 200) throw new Error(`${worker.name}: batch answered ${res.status}: ${(await res.text()).slice(0, 2000)}`);
  const { results } = (await res.json()) as { results: { path: string; status: number; detail?: string }[] };
  const refused = results.filter((r) => r.status !== 200 && r.status !== 201);
  if (refused.length) throw new Error(`${worker.name}: refused ${JSON.stringify(refused.slice(0, 5))}`);
}

async function importArchive(
  spec: ArchiveSpec,
  stamp: ArchiveStamp,
  worker: LocalWorker,
  log: (line: string) => void,
): Promise<ArchiveStamp> {
  const options: ArchiveOptions = { count: spec.count, seed: spec.seed, body: spec.body, order: "oldest-first" };
  log(`importing ${spec.count.toLocaleString("en")} articles (${spec.body} bodies), from article ${stamp.importedArticles + 1}`);
  let articles = 0;
  let images = 0;
  let batch: GeneratedFile[] = [];
  let bytes = 0;
  let pending: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  let sessionStart = performance.now();
  let cpuStart = await cpuSeconds(worker.pid);
  let reported = performance.now();
  let reportedArticles = stamp.importedArticles;

  const post = (files: readonly GeneratedFile[]) => postBatch(worker, files);
  // Two batches in flight (BATCHES_IN_FLIGHT), as a client that keeps the worker busy does: the worker reads the next
  // while it writes this one. The stamp moves on in order, after every earlier batch is in, so a resumed import never
  // skips a batch that had not been stored.
  const send = async (answered: Promise<void>, earlier: Promise<void>, articlesAfter: number, imagesAfter: number): Promise<void> => {
    await Promise.all([answered, earlier]);
    const now = performance.now();
    const cpu = await cpuSeconds(worker.pid);
    stamp.importedArticles = articlesAfter;
    stamp.importedImages = imagesAfter;
    stamp.batches++;
    stamp.importSeconds += (now - sessionStart) / 1000;
    stamp.serverCpuSeconds += cpu - cpuStart;
    sessionStart = now;
    cpuStart = cpu;
    await writeFile(stampPath(spec), JSON.stringify(stamp, null, 2) + "\n");
    if (now - reported > 30_000) {
      const rate = ((articlesAfter - reportedArticles) * 1000) / (now - reported);
      log(`  ${articlesAfter.toLocaleString("en")} of ${spec.count.toLocaleString("en")} articles; ${rate.toFixed(0)} articles/s lately`);
      reported = now;
      reportedArticles = articlesAfter;
    }
  };

  for (const file of generateArchive(options)) {
    const isArticle = file.path.endsWith(".md");
    const isImage = file.path.startsWith("images/");
    if (file.path === "authors.yaml") {
      if (stamp.importedArticles === 0) batch.push(file);
      continue;
    }
    // Resuming: what an earlier session stored is skipped (each image comes just before its article).
    if (articles < stamp.importedArticles) {
      if (isArticle) articles++;
      else if (isImage) images++;
      continue;
    }
    batch.push(file);
    bytes += typeof file.data === "string" ? file.data.length * 3 : file.data.byteLength;
    if (isArticle) articles++;
    else if (isImage) images++;
    // A batch ends after an article, so an image always travels with (before) the article that uses it.
    if (isArticle && (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES)) {
      const [files, a, i] = [batch, articles, images];
      batch = [];
      bytes = 0;
      // The next batch is generated while the worker stores the ones in flight.
      if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
      pending = send(post(files), pending, a, i);
      inFlight.push(pending);
    }
  }
  await pending;
  if (batch.length) await send(post(batch), Promise.resolve(), articles, images);
  stamp.complete = true;
  stamp.finishedAt = new Date().toISOString();
  stamp.diskBytes = diskBytes(spec.dir);
  await writeFile(stampPath(spec), JSON.stringify(stamp, null, 2) + "\n");
  log(
    `imported ${spec.count.toLocaleString("en")} articles in ${stamp.importSeconds.toFixed(0)} s ` +
      `(${(spec.count / stamp.importSeconds).toFixed(0)} articles/s), ${(stamp.diskBytes / 1e9).toFixed(2)} GB on disk`,
  );
  return stamp;
}

function diskBytes(dir: string): number {
  const out = spawnSync("du", ["-sb", dir], { encoding: "utf8" }).stdout;
  return Number(out.split(/\s/)[0]);
}

if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    options: { sizes: { type: "string", default: "100,10000,100000,1000000" }, port: { type: "string", default: "8881" } },
  });
  for (const count of values.sizes.split(",").map(Number)) {
    await ensureArchive(archiveSpec(count), { port: Number(values.port), log: (line) => process.stderr.write(`${line}\n`) });
  }
}
