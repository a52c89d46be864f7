// Publishing a folder as a newsroom does, against checking it: a generated folder of N articles on disk, timed under
// `npm run check`, under `npm run publish` to a stand-in worker that stores nothing and answers at once (what the
// client itself costs), and under `npm run publish` into a fresh local store (the deployed bundle), in one run; the
// ratio and the import rate are the issue's targets. The client runs on the load core, the worker on the server core.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { CLIENT_LIMITS } from "../src/node/publish-transport.ts";
import { GENERATOR_VERSION } from "./archive-generator.ts";
import { writeArchive } from "./generate-archive.ts";
import { applyMigrations, BENCH_TOKEN, type BuiltWorker, discard, LOAD_CPU, ROOT, startWorker, WORK } from "./harness.ts";
import { cpuSeconds } from "./load.ts";

export interface FolderPublishRow {
  articles: number;
  /** Files in the folder (articles, their local images, authors.yaml). */
  files: number;
  parallel: number;
  /** Wall time of `npm run check` over the folder. */
  checkSeconds: number;
  /** Wall time of `npm run publish` of the folder to a stand-in worker that answers at once: the client's own cost. */
  clientOnlySeconds: number;
  /** Wall time of `npm run publish` of the folder into an empty store. */
  publishSeconds: number;
  /** Server CPU (the workerd process: the worker, D1 and R2) during the publish. */
  serverCpuSeconds: number;
  /** The client's own CPU (user + system of npm and the publish client). */
  clientCpuSeconds: number;
  /**
   * Seconds of the publish in which the worker was idle (under a tenth of a core, sampled every half second): the time
   * it waits for the client. Absent in results from before it was measured.
   */
  serverIdleSeconds?: number;
  /** The publish's summary line. */
  summary: string;
}

/** The folder of `count` articles under bench/.data, written by the generator unless already there. */
async function ensureFolder(count: number, log: (line: string) => void): Promise<string> {
  const dir = join(WORK, `folder-${count}`);
  const stamp = { version: GENERATOR_VERSION, count, seed: 1, body: "full" };
  const found = await readFile(join(dir, ".generated"), "utf8").catch(() => "");
  if (found.trim() !== JSON.stringify(stamp)) {
    log(`writing a folder of ${count.toLocaleString("en")} articles to ${dir}`);
    await writeArchive(dir, { count, seed: 1, body: "full" });
  }
  return dir;
}

/** An npm script on the load core: its wall time, CPU time (from the shell's `times`), exit code and output. */
function timeScript(args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<{ seconds: number; cpuSeconds: number; code: number; stdout: string; stderr: string }>((resolve) => {
    const started = performance.now();
    // `times` prints the children's user and system time after the script, in a form that is parsed below.
    const child = spawn(
      "bash",
      ["-c", `taskset -c ${LOAD_CPU} npm run --silent ${args.map((a) => `'${a}'`).join(" ")}; code=$?; times >&2; exit $code`],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      // `times`: two lines, the shell's then its children's, each "XmY.YYYs XmY.YYYs" (user, system).
      const last = stderr.trim().split("\n").at(-1) ?? "";
      const cpuSeconds = [...last.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      resolve({ seconds, cpuSeconds, code: code ?? 1, stdout, stderr });
    });
  });
}

/**
 * A stand-in for the worker that stores nothing: an empty manifest, and every file of a batch answered `201 created`
 * at once (the multipart body parsed to name them), so a publish to it times the client alone.
 */
async function startStandIn(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    res.setHeader("Content-Type", "application/json");
    if (req.url?.startsWith("/api/manifest")) return void res.end(JSON.stringify({ entries: [], next: null }));
    if (req.url === "/api/batch") {
      const form = await new Response(Buffer.concat(chunks), { headers: { "Content-Type": req.headers["content-type"] ?? "" } }).formData();
      return void res.end(JSON.stringify({ results: [...form.keys()].map((path) => ({ path, status: 201, result: "created" })) }));
    }
    res.end(JSON.stringify({ result: "created" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function runFolderPublish(
  count: number,
  built: BuiltWorker,
  options: { port: number; parallel?: number; log: (line: string) => void },
): Promise<FolderPublishRow> {
  const dir = await ensureFolder(count, options.log);
  options.log(`folder publish ${count.toLocaleString("en")}: npm run check`);
  // Once untimed first, so the check is timed as the publish after it reads the folder: from the page cache. Timed first
  // in a run it took 12.6 s, where two by hand minutes later took 9.2 and 8.2 s, and that flattered the ratio.
  await timeScript(["check", "--", "--dir", dir]);
  const check = await timeScript(["check", "--", "--dir", dir]);
  if (check.code !== 0) throw new Error(`npm run check failed on ${dir}:\n${check.stderr.slice(0, 2000)}`);

  options.log(`folder publish ${count.toLocaleString("en")}: npm run publish to a stand-in that answers at once`);
  const standIn = await startStandIn();
  const clientOnly = await timeScript(["publish", "--", "--dir", dir, "--to", standIn.url], { PUBLISH_TOKEN: BENCH_TOKEN });
  await standIn.close();
  if (clientOnly.code !== 0) throw new Error(`npm run publish to the stand-in failed:\n${clientOnly.stderr.slice(-2000)}`);

  const state = join(WORK, "scratch", "folder-publish");
  await discard(state);
  applyMigrations(state);
  const worker = await startWorker({
    name: "folder-publish",
    port: options.port,
    script: built.script,
    state,
    bindings: { PUBLISH_TOKEN: BENCH_TOKEN },
  });
  try {
    options.log(`folder publish ${count.toLocaleString("en")}: npm run publish into an empty store`);
    const cpuBefore = await cpuSeconds(worker.pid);
    const parallel = options.parallel ? ["--parallel", String(options.parallel)] : [];
    const idle = watchIdle(worker.pid);
    const publish = await timeScript(["publish", "--", "--dir", dir, "--to", worker.url, ...parallel], { PUBLISH_TOKEN: BENCH_TOKEN });
    const serverIdleSeconds = await idle.stop();
    const serverCpuSeconds = (await cpuSeconds(worker.pid)) - cpuBefore;
    if (publish.code !== 0) throw new Error(`npm run publish failed (${publish.code}):\n${publish.stderr.slice(-2000)}`);
    const summary =
      publish.stdout
        .trim()
        .split("\n")
        .find((l) => l.startsWith("published to ")) ?? "";
    const files = Number(/: (\d+) created/.exec(summary)?.[1] ?? Number.NaN);
    return {
      articles: count,
      files,
      parallel: options.parallel ?? CLIENT_LIMITS.parallel,
      checkSeconds: check.seconds,
      clientOnlySeconds: clientOnly.seconds,
      publishSeconds: publish.seconds,
      serverCpuSeconds,
      clientCpuSeconds: publish.cpuSeconds,
      serverIdleSeconds,
      summary,
    };
  } finally {
    await worker.stop();
    await discard(state);
  }
}

/** Samples a process's CPU every half second until stopped: the seconds in which it used under a tenth of a core. */
function watchIdle(pid: number): { stop(): Promise<number> } {
  const SAMPLE_MS = 500;
  let idle = 0;
  let last: { at: number; cpu: number } | undefined;
  let sampling = Promise.resolve();
  const sample = () => {
    sampling = sampling.then(async () => {
      const at = performance.now();
      const cpu = await cpuSeconds(pid);
      if (last && at > last.at && (cpu - last.cpu) / ((at - last.at) / 1000) < 0.1) idle += (at - last.at) / 1000;
      last = { at, cpu };
    });
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      return idle;
    },
  };
}
