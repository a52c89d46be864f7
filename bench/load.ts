// Load and what it costs the server: `wrk` on its own core, with the server process's CPU time read from /proc.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { LOAD_CPU, type LocalWorker } from "./harness.ts";

const CLK_TCK = 100;

export interface Fetched {
  status: number;
  ms: number;
  etag: string | null;
  contentType: string | null;
  /** The response's own headers (lower case), without those of the connection and the transfer. */
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Headers that describe the connection or the transfer, not the response. */
const TRANSFER_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "date", "keep-alive"]);

export async function get(url: string, headers: Record<string, string> = {}, timeoutMs = 180_000): Promise<Fetched> {
  const started = performance.now();
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const body = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    ms: performance.now() - started,
    etag: res.headers.get("etag"),
    contentType: res.headers.get("content-type"),
    headers: Object.fromEntries([...res.headers].filter(([name]) => !TRANSFER_HEADERS.has(name))),
    body,
  };
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
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kb("VmRSS") / 1024, peakMiB: kb("VmHWM") / 1024 };
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx/3xx answers and timeouts. */
  errors: number;
  /** Server CPU milliseconds per request, from /proc. */
  cpuMsPerRequest: number;
}

const toMs = (value: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
};

/** One `wrk` run against the worker, with the server's CPU time taken from /proc before and after. */
export async function wrk(
  worker: LocalWorker,
  path: string,
  { seconds, connections, headers = {} }: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const args = ["-c", LOAD_CPU, "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "10s"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push(`${worker.url}${path}`);
  const cpuBefore = await cpuSeconds(worker.pid);
  const out = await new Promise<string>((done, fail) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => {
      text += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      text += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) done(text);
      else fail(new Error(`wrk exited ${code}: ${text}`));
    });
  });
  const cpu = (await cpuSeconds(worker.pid)) - cpuBefore;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const errors =
    Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: .*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  return {
    requestsPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    p99Ms: toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? ""),
    requests,
    errors,
    cpuMsPerRequest: requests ? (cpu * 1000) / requests : Number.NaN,
  };
}

export interface LoadSummary extends LoadResult {
  rpsMin: number;
  rpsMax: number;
  runs: number;
}

/**
 * `repeat` wrk runs after a short warm-up; the run with the median requests/s stands for the case, with the spread
 * of requests/s across runs. The same path is checked first: `expect` says what status a warm request must get.
 */
export async function measure(
  worker: LocalWorker,
  path: string,
  options: { seconds: number; repeat: number; connections: number; headers?: Record<string, string> },
): Promise<LoadSummary> {
  await wrk(worker, path, { ...options, seconds: 1 });
  const runs: LoadResult[] = [];
  for (let i = 0; i < options.repeat; i++) runs.push(await wrk(worker, path, options));
  const sorted = [...runs].sort((a, b) => a.requestsPerSec - b.requestsPerSec);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { ...median, rpsMin: sorted[0]!.requestsPerSec, rpsMax: sorted.at(-1)!.requestsPerSec, runs: runs.length };
}
