// Local workers for measurement: the `wrangler deploy --dry-run` bundle run by wrangler's own Miniflare, which is one
// workerd process holding the worker and the local D1, R2 and Cache API (Miniflare's implementations, the ones
// `wrangler dev` uses), reached on a socket of the worker's own: no wrangler dev proxy, no Miniflare entry worker.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import type { Miniflare as MiniflareInstance } from "miniflare";
import { parse as parseToml } from "smol-toml";

export const ROOT = resolve(import.meta.dirname, "..");
/** Builds, archives' stores and scratch state: git-ignored, kept between runs. */
export const WORK = join(ROOT, "bench", ".data");
/** The server gets core 0 and wrk (or the importer) core 1, so the load generator does not take the server's core. */
export const SERVER_CPU = "0";
export const LOAD_CPU = "1";
/** The publish token every bench worker is started with (a bench-only secret, never deployed). */
export const BENCH_TOKEN = "bench-publish-token-0123456789abcdef0123456789";

const require = createRequire(import.meta.url);
const WRANGLER_DIR = dirname(require.resolve("wrangler/package.json"));
const WRANGLER = join(WRANGLER_DIR, "bin", "wrangler.js");
export const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type MiniflareModule = typeof import("miniflare");

let miniflare: Promise<MiniflareModule> | undefined;
/** The Miniflare that wrangler itself runs (wrangler's own dependency), with the workerd it ships. */
export function loadMiniflare(): Promise<MiniflareModule> {
  miniflare ??= import(createRequire(join(WRANGLER_DIR, "package.json")).resolve("miniflare")) as Promise<MiniflareModule>;
  return miniflare;
}

/** The workerd binary wrangler's Miniflare runs, and its version. */
export function workerdVersion(): string {
  const bin = createRequire(join(WRANGLER_DIR, "package.json")).resolve("@cloudflare/workerd-linux-64/bin/workerd");
  return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
}

/** The [vars] of wrangler.toml: the settings the worker gets. */
export async function wranglerVars(): Promise<Record<string, string>> {
  const config = parseToml(await readFile(join(ROOT, "wrangler.toml"), "utf8")) as { vars: Record<string, string> };
  return config.vars;
}

/**
 * Hashes of the D1 schema, one per migration: the i-th covers migrations 0…i (names and text). The last is the schema
 * now; an archive stamped with an earlier one is migrated in place, as a production database is.
 */
export async function schemaHashes(): Promise<string[]> {
  const dir = join(ROOT, "migrations");
  const hash = createHash("sha256");
  const hashes: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    hash
      .update(name)
      .update("\0")
      .update(await readFile(join(dir, name)));
    hashes.push(hash.copy().digest("hex").slice(0, 16));
  }
  return hashes;
}

/** The hash of the D1 schema now (every migration). */
export async function schemaHash(): Promise<string> {
  return (await schemaHashes()).at(-1)!;
}

export interface BuiltWorker {
  script: string;
  bytes: number;
  gzipBytes: number;
}

/** `wrangler deploy --dry-run` of the worker (or of another entry with wrangler.toml's settings): what would be deployed. */
export async function buildWorker(name: string, entry?: string, root = join(WORK, "build")): Promise<BuiltWorker> {
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  const result = spawnSync(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", dir, ...(entry ? [entry] : [])], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  const script = join(dir, entry ? `${entry.split("/").at(-1)!.replace(/\.ts$/, "")}.js` : "worker.js");
  const code = await readFile(script);
  return { script, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength };
}

const TRASH = join(WORK, "trash");

/**
 * Takes a scratch store out of the way without deleting it: renamed under bench/.data/trash/, emptied by `emptyTrash`
 * once the run's measurements are done. Deleting a store frees thousands of files (R2 keeps an object a file), and for
 * some minutes after, ext4 looks past those recently freed inodes each time it makes a file (`recently_deleted`, 5% of
 * the worker's CPU samples in a `perf record` of an import that followed a deletion): an import measured right after
 * would pay for the one before.
 */
export async function discard(dir: string): Promise<void> {
  await mkdir(TRASH, { recursive: true });
  try {
    await rename(dir, join(TRASH, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Deletes what `discard` put aside: at the end of a run, after its last measurement. */
export async function emptyTrash(): Promise<void> {
  await rm(TRASH, { recursive: true, force: true });
}

/** `wrangler d1 migrations apply DB --local --persist-to state`, as `npm start` prepares its local database. */
export function applyMigrations(state: string): void {
  const result = spawnSync(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * `wrangler d1 migrations apply BINDING --local --persist-to state` for a parts database (migrations-parts/), through
 * wrangler.toml with that database bound (id `id`), as `npm start` migrates one a config binds.
 */
export async function applyPartsMigrations(state: string, binding: string, id: string): Promise<void> {
  const config = join(state, "wrangler-parts.toml");
  const toml = (await readFile(join(ROOT, "wrangler.toml"), "utf8")).replace(
    /^main = "(.*)"$/m,
    (_m, main: string) => `main = "${join(ROOT, main)}"`,
  );
  await writeFile(
    config,
    `${toml.replaceAll('migrations_dir = "migrations"', `migrations_dir = "${join(ROOT, "migrations")}"`)}
[[d1_databases]]
binding = "${binding}"
database_name = "${binding.toLowerCase()}"
database_id = "${id}"
migrations_dir = "${join(ROOT, "migrations-parts")}"
`,
  );
  const result = spawnSync(
    process.execPath,
    [WRANGLER, "d1", "migrations", "apply", binding, "--local", "--persist-to", state, "-c", config],
    {
      cwd: ROOT,
      env: WRANGLER_ENV,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 migrations apply ${binding} failed:\n${result.stdout}\n${result.stderr}`);
}

export interface WorkerOptions {
  /** Names the worker (its inspector target is `core:user:{name}`). */
  name: string;
  /** 0: any free port. */
  port: number;
  /** The bundle to run; or `modules` for a worker written here (the baseline). */
  script?: string;
  modules?: { type: "ESModule" | "Data"; path: string; contents: string | Uint8Array }[];
  /** Settings and secrets added to (or replacing) wrangler.toml's [vars]. */
  bindings?: Record<string, string>;
  /** Where D1, R2 and the Cache API keep their state (`--persist-to`); a throwaway folder when absent. */
  state?: string;
  /** Port for the V8 inspector, used to read the isolate's heap. */
  inspectorPort?: number;
  /** D1 databases bound besides wrangler.toml's, by binding: their local database id (parts databases, PARTS_n). */
  d1?: Record<string, string>;
}

export interface LocalWorker {
  name: string;
  port: number;
  url: string;
  /** The workerd process: the worker, D1, R2 and the Cache API all run in it, so its CPU time counts all of them. */
  pid: number;
  /** From `new Miniflare` to the socket accepting (workerd compiled the script and ran its top level). */
  startupMs: number;
  /** When the socket accepted, on the performance.now() clock. */
  listeningAt: number;
  inspectorPort?: number;
  stop(): Promise<void>;
}

/** Starts a worker under wrangler's Miniflare with wrangler.toml's bindings (D1 `DB`, R2 `IMAGES`), pinned to the server core. */
export async function startWorker(options: WorkerOptions): Promise<LocalWorker> {
  if (options.port !== 0) await assertPortFree(options.port);
  if (options.inspectorPort) await assertPortFree(options.inspectorPort);
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  const wrangler = await import("wrangler");
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
  // Static assets are answered by Cloudflare before the worker runs, on none of its CPU: the asset router Miniflare
  // would put in front of the worker here (in this same process) is left out, so the figures are the worker's own.
  const { rootPath: _root, modulesRules: _rules, assets: _assets, ...fromConfig } = workerOptions as Record<string, unknown>;
  const state = options.state ?? join(WORK, "scratch", options.name);
  if (!options.state) await rm(state, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  const source = options.script
    ? { modules: true, scriptPath: options.script, rootPath: dirname(options.script) }
    : { modules: options.modules!.map((m) => ({ ...m, contents: m.contents })) };
  const before = await childPids();
  const started = performance.now();
  const mf: MiniflareInstance = new Miniflare(
    convertV4MiniflareOptions({
      resourcePersistencePath: join(state, "v3"),
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
      // The worker logs one JSON line per publish (a million of them in an import): only other lines are shown.
      handleStructuredLogs: ({ message }: { message: string }) => {
        if (!/^\{"event":"(publish|rejection)"/.test(message)) process.stderr.write(`[${options.name}] ${message}\n`);
      },
      workers: [
        {
          ...fromConfig,
          ...source,
          name: options.name,
          bindings: { ...(fromConfig.bindings as Record<string, string>), ...options.bindings },
          d1Databases: {
            ...(fromConfig.d1Databases as Record<string, unknown>),
            ...Object.fromEntries(Object.entries(options.d1 ?? {}).map(([binding, id]) => [binding, { id }])),
          },
          unsafeDirectSockets: [{ host: "127.0.0.1", port: options.port }],
        },
      ],
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await mf.ready;
  const port = options.port || Number((await mf.unsafeGetDirectURL(options.name)).port);
  const listeningAt = await waitForPort(port, 60_000);
  const pid = (await childPids()).find((p) => !before.includes(p));
  if (pid === undefined) throw new Error("the workerd process Miniflare started was not found");
  spawnSync("taskset", ["-a", "-p", "-c", SERVER_CPU, String(pid)], { stdio: "ignore" });
  return {
    name: options.name,
    port,
    url: `http://127.0.0.1:${port}`,
    pid,
    startupMs: listeningAt - started,
    listeningAt,
    inspectorPort: options.inspectorPort,
    async stop() {
      await mf.dispose();
    },
  };
}

/** This process's children (Miniflare spawns one workerd per instance). */
async function childPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const task of await readdir(`/proc/${process.pid}/task`)) {
    const text = await readFile(`/proc/${process.pid}/task/${task}/children`, "utf8").catch(() => "");
    pids.push(...text.split(/\s+/).filter(Boolean).map(Number));
  }
  return pids;
}

/** Throws when something already listens on the port: a leftover server would be measured in place of the new one. */
export async function assertPortFree(port: number): Promise<void> {
  if (await accepts(port)) throw new Error(`127.0.0.1:${port} is already in use: stop whatever listens there, then run the bench again`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      done(true);
    });
    socket.on("error", () => done(false));
  });
}

/** Resolves once something accepts connections on the port, with the time it did. */
export async function waitForPort(port: number, timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (await accepts(port)) return performance.now();
    await sleep(5);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/**
 * The worker isolate's V8 heap (`Runtime.getHeapUsage` over the inspector, after asking for a collection): the figure
 * Cloudflare's 128 MB isolate limit is about. D1, R2 and the Cache API are other isolates, not counted.
 */
export async function isolateHeap(worker: LocalWorker): Promise<{ usedMiB: number; totalMiB: number } | undefined> {
  if (!worker.inspectorPort) return undefined;
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${worker.inspectorPort}/json/list`)).json()) as {
      id: string;
      webSocketDebuggerUrl: string;
    }[];
    const url = targets.find((t) => t.id === `core:user:${worker.name}`)?.webSocketDebuggerUrl;
    if (!url) return undefined;
    const ws = new WebSocket(url.replace("localhost", "127.0.0.1"));
    await new Promise((ok, fail) => {
      ws.onopen = ok;
      ws.onerror = fail;
    });
    let id = 0;
    const call = (method: string): Promise<Record<string, number>> =>
      new Promise((ok, fail) => {
        const mine = ++id;
        const timer = setTimeout(() => fail(new Error(`inspector ${method} timed out`)), 30_000);
        ws.addEventListener("message", function listen(event) {
          const msg = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, number>; error?: unknown };
          if (msg.id !== mine) return;
          clearTimeout(timer);
          ws.removeEventListener("message", listen);
          if (msg.error) fail(new Error(JSON.stringify(msg.error)));
          else ok(msg.result ?? {});
        });
        ws.send(JSON.stringify({ id: mine, method }));
      });
    // workerd's inspector collects but sends no reply to this: ask, give it time, then read.
    ws.send(JSON.stringify({ id: 1_000_000, method: "HeapProfiler.collectGarbage" }));
    await sleep(500);
    const usage = await call("Runtime.getHeapUsage");
    ws.close();
    return { usedMiB: usage.usedSize! / 1048576, totalMiB: usage.totalSize! / 1048576 };
  } catch (error) {
    process.stderr.write(`isolate heap not read: ${String(error)}\n`);
    return undefined;
  }
}
