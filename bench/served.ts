// Serving the worker for measurement: the `wrangler deploy --dry-run` bundle under plain `workerd serve` (a small
// capnp config), a baseline worker that answers from memory, the Node server, and `wrk` with /proc CPU accounting.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { parse as parseToml } from "smol-toml";

export const ROOT = resolve(import.meta.dirname, "..");
export const WORK = join(ROOT, "bench", ".data");
const WORKERD = join(ROOT, "node_modules", "@cloudflare", "workerd-linux-64", "bin", "workerd");
const CONTENT_MODULE = join(ROOT, "src", "generated", "content.ts");
/** The server gets core 0 and wrk core 1, so the load generator does not steal the server's core (when the OS obeys). */
export const SERVER_CPU = "0";
export const LOAD_CPU = "1";
const CLK_TCK = 100;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The [vars] of wrangler.toml: what the worker gets as text bindings. */
export async function wranglerVars(): Promise<{ vars: Record<string, string>; compatibilityDate: string; flags: string[] }> {
  const config = parseToml(await readFile(join(ROOT, "wrangler.toml"), "utf8")) as {
    vars: Record<string, string>;
    compatibility_date: string;
    compatibility_flags?: string[];
  };
  return { vars: config.vars, compatibilityDate: config.compatibility_date, flags: config.compatibility_flags ?? [] };
}

export interface BuiltWorker {
  dir: string;
  script: string;
  bytes: number;
  gzipBytes: number;
  buildMs: number;
}

const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

/** Runs `body` with src/generated/content.ts replaced by `contentModule`, then puts the developer's module back. */
export async function withContentModule<T>(contentModule: string, body: () => Promise<T>): Promise<T> {
  const backup = CONTENT_MODULE + ".bench-backup";
  await rename(CONTENT_MODULE, backup).catch(() => undefined);
  try {
    await writeFile(CONTENT_MODULE, contentModule);
    return await body();
  } finally {
    await rm(CONTENT_MODULE, { force: true });
    await rename(backup, CONTENT_MODULE).catch(() => undefined);
  }
}

/**
 * Builds the worker with `wrangler deploy --dry-run` around the given content module. The module is the only thing
 * that differs between archive sizes.
 */
export async function buildWorker(name: string, contentModule: string): Promise<BuiltWorker> {
  const dir = join(WORK, "build", name);
  await rm(dir, { recursive: true, force: true });
  const started = performance.now();
  await withContentModule(contentModule, async () => {
    const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", dir], {
      cwd: ROOT,
      env: WRANGLER_ENV,
      encoding: "utf8",
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  });
  const buildMs = performance.now() - started;
  const script = join(dir, "worker.js");
  const code = await readFile(script);
  return { dir, script, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, buildMs };
}

const capnpString = (s: string): string => JSON.stringify(s);

export interface ServerHandle {
  name: string;
  pid: number;
  port: number;
  spawnedAt: number;
  stop(): Promise<void>;
}

function track(name: string, child: ChildProcess, port: number, spawnedAt: number, log: string[]): ServerHandle {
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  return {
    name,
    pid: child.pid!,
    port,
    spawnedAt,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

export interface WorkerdOptions {
  name: string;
  port: number;
  /** The worker's main module (an ES module), and extra modules beside it. */
  script: string;
  extraModules?: { name: string; kind: "text" | "data"; file: string }[];
  vars?: Record<string, string>;
  compatibilityDate: string;
  flags: string[];
  /** A folder served to the worker as the ARCHIVE binding (a workerd disk service). */
  archiveDir?: string;
  /** Port for the V8 inspector, used only to read the isolate's heap size. */
  inspectorPort?: number;
  /**
   * The Cache API behind caches.default (bench/cache-service.js, in the same process): "memory" keeps what is put,
   * "miss" keeps nothing so every request renders (the cache bypassed). Plain workerd has no cache of its own: without
   * one, caches.default throws "No Cache was configured".
   */
  cache?: "memory" | "miss";
}

/** Starts `workerd serve` on a generated capnp config; the process is pinned to the server core. */
export async function startWorkerd(options: WorkerdOptions): Promise<ServerHandle & { log: string[] }> {
  const dir = join(WORK, "workerd", options.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(options.script, join(dir, "main.js"));
  const modules = [`(name = "main.js", esModule = embed "main.js")`];
  for (const m of options.extraModules ?? []) {
    await copyFile(m.file, join(dir, m.name));
    modules.push(`(name = ${capnpString(m.name)}, ${m.kind} = embed ${capnpString(m.name)})`);
  }
  const bindings = Object.entries(options.vars ?? {}).map(([k, v]) => `(name = ${capnpString(k)}, text = ${capnpString(v)})`);
  const services = [`(name = "main", worker = .worker)`];
  let cacheOutbound = "";
  if (options.cache) {
    await copyFile(join(ROOT, "bench", "cache-service.js"), join(dir, "cache-service.js"));
    services.push(
      `(name = "cache", worker = (modules = [(name = "cache-service.js", esModule = embed "cache-service.js")], ` +
        `compatibilityDate = ${capnpString(options.compatibilityDate)}, bindings = [(name = "MODE", text = ${capnpString(options.cache)})]))`,
    );
    cacheOutbound = `\n  cacheApiOutbound = "cache",`;
  }
  if (options.archiveDir) {
    services.push(`(name = "archive", disk = (path = ${capnpString(resolve(options.archiveDir))}, writable = false))`);
    bindings.push(`(name = "ARCHIVE", service = "archive")`);
  }
  const config = `# Generated by bench/served.ts
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ ${services.join(", ")} ],
  sockets = [ (name = "http", address = "127.0.0.1:${options.port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ ${modules.join(", ")} ],
  compatibilityDate = ${capnpString(options.compatibilityDate)},
  compatibilityFlags = [ ${options.flags.map(capnpString).join(", ")} ],
  bindings = [ ${bindings.join(", ")} ],${cacheOutbound}
);
`;
  await writeFile(join(dir, "config.capnp"), config);
  await assertPortFree(options.port);
  if (options.inspectorPort) await assertPortFree(options.inspectorPort);
  const spawnedAt = performance.now();
  const inspector = options.inspectorPort ? [`--inspector-addr=127.0.0.1:${options.inspectorPort}`] : [];
  const child = spawn("taskset", ["-c", SERVER_CPU, WORKERD, "serve", join(dir, "config.capnp"), "--verbose", ...inspector], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  return { ...track(options.name, child, options.port, spawnedAt, log), log };
}

/**
 * Starts `wrangler dev` (a proxy workerd in front of the worker's workerd) on the current content module. Its
 * process group is stopped as a whole. Reported alongside only: it measures wrangler's proxy as much as the worker.
 */
export async function startWranglerDev(port: number, inspectorPort: number): Promise<ServerHandle & { log: string[] }> {
  await assertPortFree(port);
  await assertPortFree(inspectorPort);
  const spawnedAt = performance.now();
  const child = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--show-interactive-dev-session=false",
    ],
    { cwd: ROOT, env: WRANGLER_ENV, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const log: string[] = [];
  const handle = track("wrangler-dev", child, port, spawnedAt, log);
  return {
    ...handle,
    log,
    async stop() {
      try {
        process.kill(-child.pid!, "SIGTERM"); // the group: npx, wrangler and its two workerd processes
      } catch {
        return;
      }
      await sleep(2000);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

/** Starts the Node server (src/node/server.ts) on the same content, pinned to the server core. */
export async function startNode(
  name: string,
  port: number,
  dir: string,
  vars: Record<string, string>,
): Promise<ServerHandle & { log: string[] }> {
  await assertPortFree(port);
  const args = [process.execPath, join(ROOT, "src", "node", "server.ts"), "--dir", dir, "--port", String(port)];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}=${v}`);
  const spawnedAt = performance.now();
  const child = spawn("taskset", ["-c", SERVER_CPU, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  return { ...track(name, child, port, spawnedAt, log), log };
}

/** Throws when something already listens on the port: a leftover server would be measured in place of the new one. */
export async function assertPortFree(port: number): Promise<void> {
  const taken = await new Promise<boolean>((done) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      done(true);
    });
    socket.on("error", () => done(false));
  });
  if (taken) throw new Error(`127.0.0.1:${port} is already in use: stop whatever listens there, then run the bench again`);
}

/** Resolves once something accepts connections on the port; the time is when it did. */
export async function waitForPort(port: number, timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const ok = await new Promise<boolean>((done) => {
      const socket = connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (ok) return performance.now();
    await sleep(5);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface Fetched {
  status: number;
  ms: number;
  bytes: number;
  etag: string | null;
  body: Uint8Array;
}

export async function get(url: string, headers: Record<string, string> = {}, timeoutMs = 180_000): Promise<Fetched> {
  const started = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, ms: performance.now() - started, bytes: body.byteLength, etag: res.headers.get("etag"), body };
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15 of proc(5))
}

/** Resident and peak resident memory of the process, in MiB. */
export async function memory(pid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rssMiB: kb("VmRSS") / 1024, peakMiB: kb("VmHWM") / 1024 };
}

/** The pid of the process that serves: taskset execs its command, so it is the child itself. */
export const serverPid = (handle: ServerHandle): number => handle.pid;

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** Server CPU milliseconds per request, from /proc. */
  cpuMsPerRequest: number;
  /** Share of one core the server used during the run. */
  serverCpuShare: number;
}

const toMs = (value: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
};

/** One `wrk` run against the server, with its CPU time taken from /proc before and after. */
export async function load(
  server: ServerHandle,
  path: string,
  { seconds, connections = 4, headers = {} }: { seconds: number; connections?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const args = ["-c", LOAD_CPU, "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "10s"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push(`http://127.0.0.1:${server.port}${path}`);
  const pid = serverPid(server);
  const cpuBefore = await cpuSeconds(pid);
  const wallBefore = performance.now();
  const out = await new Promise<string>((done, fail) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    child.stderr.on("data", (d: Buffer) => (text += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) done(text);
      else fail(new Error(`wrk exited ${code}: ${text}`));
    });
  });
  const cpu = (await cpuSeconds(pid)) - cpuBefore;
  const wall = (performance.now() - wallBefore) / 1000;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const errors =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: .*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  return {
    requestsPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    requests,
    errors,
    cpuMsPerRequest: requests ? (cpu * 1000) / requests : NaN,
    serverCpuShare: cpu / wall,
  };
}

/** A worker that answers every request with the given bytes from memory (and 304 for a matching If-None-Match). */
export async function writeBaselineWorker(
  name: string,
  body: Uint8Array,
  contentType: string,
  etag: string | null,
): Promise<{ script: string; data: string }> {
  const dir = join(WORK, "baseline", name);
  await mkdir(dir, { recursive: true });
  const data = join(dir, "body.bin");
  await writeFile(data, body);
  const script = join(dir, "baseline.js");
  await writeFile(
    script,
    `// Baseline: the precomputed body from memory; the limit of this runtime and machine for this response.
import body from "body.bin";
const headers = { "content-type": ${JSON.stringify(contentType)}${etag ? `, etag: ${JSON.stringify(etag)}` : ""} };
export default {
  fetch(request) {
    ${etag ? `if (request.headers.get("if-none-match") === ${JSON.stringify(etag)}) return new Response(null, { status: 304, headers });` : ""}
    return new Response(body, { headers });
  },
};
`,
  );
  return { script, data };
}

/**
 * The worker isolate's V8 heap, read over the inspector protocol after a full garbage collection: the figure that
 * Cloudflare's 128 MB isolate limit is about (process RSS also counts the runtime and memory V8 has not returned).
 */
export async function isolateHeap(
  inspectorPort: number,
): Promise<{ usedMiB: number; totalMiB: number; backingStoreMiB: number } | undefined> {
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const url = targets[0]?.webSocketDebuggerUrl;
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
    // workerd's inspector performs the collection but sends no reply to it: ask, give it time, then read.
    ws.send(JSON.stringify({ id: 1_000_000, method: "HeapProfiler.collectGarbage" }));
    await sleep(500);
    const usage = await call("Runtime.getHeapUsage");
    ws.close();
    return {
      usedMiB: usage.usedSize! / 1048576,
      totalMiB: usage.totalSize! / 1048576,
      backingStoreMiB: (usage.backingStorageSize ?? 0) / 1048576,
    };
  } catch (error) {
    process.stderr.write(`isolate heap not read: ${String(error)}\n`);
    return undefined;
  }
}
