// `npm run backup` and `npm run restore` (docs/backup-and-restore.md): everything the site keeps, copied out of D1 and
// R2 into a folder and back, with wrangler's own commands, locally or remotely. D1 holds more than git does (retired
// ids, the scheduled run's clock, WebSub state, images' facts), so the databases are exported whole
// (`wrangler d1 export`: schema and rows, the catalog and every parts database the environment binds); R2 holds the
// images, each copied by the path the catalog's `images` table lists, and checked against the SHA-256 stored beside it.
//
//   npm run backup  -- --out DIR  [--local [--persist-to STATE] | --remote] [--env production] [--config wrangler.toml]
//   npm run restore -- --from DIR [--local [--persist-to STATE] | --remote] [--env production] [--config wrangler.toml]
//   --no-images (both): D1 only; the images listed in the manifest are copied by other means (a big bucket)
//
// A restore goes into empty stores: a new D1 database (or the local state folder wiped) and an empty bucket; the
// export creates the tables, `d1_migrations` included, so the schema is where the backup's was.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { unstable_readConfig } from "wrangler";
import { ServiceError } from "../core/errors.ts";
import { exitCodeOf } from "./exit-codes.ts";
import { parseArguments } from "./options.ts";

const ROOT = resolve(import.meta.dirname, "../..");
/** wrangler's own entry, run on this Node (22): the `.bin` shim would pick the system's. */
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
/** Objects copied at once: each copy is one wrangler process. */
/**
 * Image copies in flight at once against a remote bucket. Against local state it is one: each `wrangler r2 object`
 * process opens the same local R2 store (its SQLite metadata), and two writing at once failed a restore here with
 * "put: Unspecified error".
 */
const REMOTE_PARALLEL = 4;

/** What a backup folder holds, as `manifest.json` says. */
export interface BackupManifest {
  createdAt: string;
  env: string | null;
  /** One SQL file per D1 database, by binding. */
  databases: { binding: string; file: string }[];
  /** Every image, by its R2 key, with the facts the catalog keeps. */
  images: { path: string; type: string; sha256: string; file: string }[];
}

interface Target {
  config: string;
  env?: string;
  /** `--local` (with its state folder) or `--remote`. */
  where: string[];
  /** The local state folder given with --persist-to, if any. */
  persistTo?: string;
  databases: { binding: string; name: string; id?: string }[];
  bucket: string;
}

function wrangler(args: readonly string[], capture = false): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" },
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (err += d));
    child.once("exit", (code) =>
      code === 0 ? done(out) : fail(new Error(`wrangler ${args.slice(0, 3).join(" ")} failed (${code}):\n${err}${out}`)),
    );
  });
}

/** The stores of one environment of the config: its D1 databases (DB and PARTS_n) and its images bucket. */
function targetOf(values: { config: string; env?: string; local?: boolean; remote?: boolean; "persist-to"?: string }): Target {
  if (values.local === values.remote) throw new Error("say where: --local (wrangler dev's state) or --remote (Cloudflare)");
  const config = resolve(values.config);
  const read = unstable_readConfig({ config, ...(values.env ? { env: values.env } : {}) }) as {
    compatibility_date?: string;
    d1_databases: { binding: string; database_name?: string; database_id?: string }[];
    r2_buckets: { binding: string; bucket_name?: string }[];
  };
  const databases = read.d1_databases
    .filter((d) => d.binding === "DB" || /^PARTS_[1-9][0-9]*$/.test(d.binding))
    .map((d) => ({ binding: d.binding, name: d.database_name ?? d.binding, ...(d.database_id ? { id: d.database_id } : {}) }));
  const bucket = read.r2_buckets.find((b) => b.binding === "IMAGES")?.bucket_name;
  if (!bucket) throw new Error(`${config} binds no IMAGES bucket`);
  const persistTo = values.local && values["persist-to"] ? resolve(values["persist-to"]) : undefined;
  const where = values.local ? ["--local", ...(persistTo ? ["--persist-to", persistTo] : [])] : ["--remote"];
  return { config, ...(values.env ? { env: values.env } : {}), where, ...(persistTo ? { persistTo } : {}), databases, bucket };
}

const shared = (t: Target) => ["-c", t.config, ...(t.env ? ["--env", t.env] : [])];

/** Copies in flight at once for this target: one against local state (see REMOTE_PARALLEL). */
function parallelFor(target: Target): number {
  return target.where.includes("--remote") ? REMOTE_PARALLEL : 1;
}

/** Runs `work` on every item, `parallel` at a time. */
async function eachLimited<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * The arguments `wrangler d1 export` needs to find the target's databases. It takes no --persist-to: for a local state
 * folder given with one, it gets a configuration of its own in a temporary folder whose `.wrangler/state` (where
 * wrangler looks, beside the configuration) is that state folder, naming the same databases by the same ids.
 */
async function exportConfig(target: Target): Promise<string[]> {
  if (!target.persistTo) return [...target.where, ...shared(target)];
  const dir = await mkdtemp(join(tmpdir(), "edge-feeds-export-"));
  await mkdir(join(dir, ".wrangler"));
  await symlink(target.persistTo, join(dir, ".wrangler", "state"), "dir");
  const toml = [
    'name = "edge-feeds-export"',
    `compatibility_date = "2026-11-01"`,
    ...target.databases.flatMap((d) => [
      "[[d1_databases]]",
      `binding = ${JSON.stringify(d.binding)}`,
      `database_name = ${JSON.stringify(d.name)}`,
      ...(d.id ? [`database_id = ${JSON.stringify(d.id)}`] : []),
    ]),
  ].join("\n");
  await writeFile(join(dir, "wrangler.toml"), `${toml}\n`);
  return ["--local", "-c", join(dir, "wrangler.toml")];
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Copies every database and image of the target into `out`. */
export async function backup(
  argv: readonly string[],
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<BackupManifest> {
  const { values } = parseArguments({ args: [...argv], options: OPTIONS });
  if (!values.out) throw new Error("--out DIR: where the backup goes");
  const target = targetOf(values);
  const out = resolve(values.out);
  await mkdir(join(out, "d1"), { recursive: true });
  const databases: BackupManifest["databases"] = [];
  const exportWith = await exportConfig(target);
  try {
    for (const { binding } of target.databases) {
      const file = `d1/${binding}.sql`;
      await wrangler(["d1", "export", binding, ...exportWith, "--output", join(out, file)]);
      databases.push({ binding, file });
      log(`[backup] ${binding}: ${file}`);
    }
  } finally {
    if (exportWith[1]?.startsWith(tmpdir())) await rm(dirname(exportWith[1]), { recursive: true, force: true });
  }
  const listed = JSON.parse(
    await wrangler(
      [
        "d1",
        "execute",
        "DB",
        ...target.where,
        ...shared(target),
        "--json",
        "--command",
        "SELECT path, type, sha256 FROM images ORDER BY path",
      ],
      true,
    ),
  ) as { results: { path: string; type: string; sha256: string }[] }[];
  const images: BackupManifest["images"] = listed[0]!.results.map((row) => ({ ...row, file: `r2/${row.path}` }));
  // --no-images: the images are listed (and checked on restore) but copied by other means (an S3 tool, for a big bucket).
  await eachLimited(values["no-images"] ? [] : images, parallelFor(target), async (image) => {
    const file = join(out, image.file);
    await mkdir(dirname(file), { recursive: true });
    await wrangler(["r2", "object", "get", `${target.bucket}/${image.path}`, ...target.where, ...shared(target), "--file", file]);
    if (sha256(await readFile(file)) !== image.sha256)
      throw new Error(`${image.path}: the copy does not match the SHA-256 the catalog keeps`);
  });
  log(
    values["no-images"] ? `[backup] ${images.length} image(s) listed, not copied (--no-images)` : `[backup] ${images.length} image(s): r2/`,
  );
  const manifest: BackupManifest = { createdAt: new Date().toISOString(), env: values.env ?? null, databases, images };
  await writeFile(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  log(`[backup] done: ${out}`);
  return manifest;
}

/** Puts a backup folder's databases and images into the target's (empty) stores. */
export async function restore(argv: readonly string[], log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const { values } = parseArguments({ args: [...argv], options: OPTIONS });
  if (!values.from) throw new Error("--from DIR: the backup to restore");
  const target = targetOf(values);
  const from = resolve(values.from);
  const manifest = JSON.parse(await readFile(join(from, "manifest.json"), "utf8")) as BackupManifest;
  if (!values["no-images"]) {
    for (const image of manifest.images) {
      if (sha256(await readFile(join(from, image.file))) !== image.sha256)
        throw new Error(`${image.file} is damaged: its SHA-256 is not the catalog's`);
    }
  }
  for (const { binding, file } of manifest.databases) {
    if (!target.databases.some((d) => d.binding === binding))
      throw new Error(`the backup has ${binding}, which this configuration does not bind`);
    await wrangler(["d1", "execute", binding, ...target.where, ...shared(target), "--yes", "--file", join(from, file)]);
    log(`[restore] ${binding}: ${file}`);
  }
  await eachLimited(values["no-images"] ? [] : manifest.images, parallelFor(target), async (image) => {
    await wrangler([
      "r2",
      "object",
      "put",
      `${target.bucket}/${image.path}`,
      ...target.where,
      ...shared(target),
      "--file",
      join(from, image.file),
      "--content-type",
      image.type,
    ]);
  });
  log(values["no-images"] ? "[restore] images left to you (--no-images)" : `[restore] ${manifest.images.length} image(s)`);
  log("[restore] done: check /healthz and the feeds");
}

const OPTIONS = {
  out: { type: "string" },
  from: { type: "string" },
  local: { type: "boolean" },
  remote: { type: "boolean" },
  "persist-to": { type: "string" },
  env: { type: "string" },
  config: { type: "string", default: "wrangler.toml" },
  "no-images": { type: "boolean" },
} as const;

if (import.meta.main) {
  const [command, ...rest] = process.argv.slice(2);
  const run =
    command === "backup" ? backup(rest) : command === "restore" ? restore(rest) : Promise.reject(new Error("backup.ts backup|restore …"));
  run.then(
    () => (process.exitCode = 0),
    (error: unknown) => {
      // A mistyped command line is a one-line error with the exit status of exit-codes.ts; anything else exits 1.
      if (error instanceof ServiceError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = exitCodeOf(error);
        return;
      }
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
