// `npm start`: the local site with no account and no network. Makes sure .dev.vars has a PUBLISH_TOKEN, applies the D1
// migrations locally (the catalog's, and the parts databases' for any PARTS_n the config binds), runs `wrangler dev` (every argument after `npm start --` goes to it), publishes articles/ into
// it through the publish API once it answers, then stays in the foreground with it until it stops.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { runCommand } from "./exit-codes.ts";
import { main as publish, readDevVar } from "./publish.ts";

/** wrangler's own entry, run on this Node (22, from node_modules): the `.bin` shim would pick the system's. */
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

/** No metrics and no lookups of Cloudflare hosts: with these, `wrangler dev` makes no outside connection. */
const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** How long wrangler may take to answer its first request (about 5 s on a quiet machine; much more on a busy CI one). */
const READY_TIMEOUT_MS = 120_000;

/** The value of an option in wrangler's argument list (`--port 8851`, `--port=8851`, `-c file`), last one winning. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    for (const name of names) {
      if (arg === name && i + 1 < args.length) value = args[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

/** Where `wrangler dev` with these arguments listens, and what it reads and writes. */
export function readDevArgs(args: readonly string[]) {
  const config = optionValue(args, ["--config", "-c"]) ?? "wrangler.toml";
  const ip = optionValue(args, ["--ip"]);
  const port = Number(optionValue(args, ["--port"]) ?? 8787);
  // A server listening on every interface is reached locally on the loopback address.
  const host = !ip || ip === "0.0.0.0" || ip === "::" || ip === "*" ? "127.0.0.1" : ip.includes(":") ? `[${ip}]` : ip;
  return {
    config,
    ip,
    port,
    url: `http://${host}:${port}`,
    env: optionValue(args, ["--env", "-e"]),
    persistTo: optionValue(args, ["--persist-to"]),
  };
}

/**
 * The PUBLISH_TOKEN of the `.dev.vars` file wrangler dev reads (beside the wrangler config): a random one is written
 * there first if the file or the line is missing. Other lines are left as they are.
 */
export async function ensureDevToken(path: string, log: (line: string) => void): Promise<string> {
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const existing = text === undefined ? undefined : readDevVar(text, "PUBLISH_TOKEN");
  if (existing) return existing;
  const token = randomBytes(32).toString("base64url");
  const line = `PUBLISH_TOKEN=${token}\n`;
  if (text === undefined) {
    await writeFile(path, `# Local secrets for wrangler dev (git ignores this file; see .dev.vars.example).\n${line}`, { mode: 0o600 });
    log(`created ${path} with a new PUBLISH_TOKEN`);
  } else {
    await appendFile(path, `${text.endsWith("\n") || text === "" ? "" : "\n"}${line}`);
    log(`added a new PUBLISH_TOKEN to ${path}`);
  }
  return token;
}

function runWrangler(args: readonly string[], stdin: "inherit" | "ignore"): ChildProcess {
  return spawn(process.execPath, [WRANGLER, ...args], { stdio: [stdin, "inherit", "inherit"], env: { ...process.env, ...OFFLINE_ENV } });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1)));
  });
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Resolves once the server answers any HTTP request; rejects if `gone` settles first or the time runs out. */
async function waitUntilAnswering(url: string, gone: Promise<number>): Promise<void> {
  let stopped = false;
  void gone.then(() => {
    stopped = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stopped) throw new Error("wrangler dev stopped before it answered");
    try {
      await fetch(`${url}/api/manifest`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`wrangler dev did not answer at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

/** The parts databases (`PARTS_1`, `PARTS_2`, …; src/sources/d1-shards.ts) a wrangler config binds, in `env` if given. */
export function partsBindings(configText: string, env?: string): string[] {
  type Section = { d1_databases?: { binding?: string }[] };
  const config = parseToml(configText) as Section & { env?: Record<string, Section> };
  const section = env ? config.env?.[env] : config;
  return (section?.d1_databases ?? []).map((d) => d.binding ?? "").filter((name) => /^PARTS_[1-9][0-9]*$/.test(name));
}

export async function start(args: readonly string[]): Promise<number> {
  const log = (line: string) => process.stdout.write(`[start] ${line}\n`);
  const dev = readDevArgs(args);
  let child: ChildProcess | undefined;
  let stopping = false;
  // Stopping npm stops wrangler (and its workerd): the signal is passed on and this process waits for it to exit.
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(name, () => {
      stopping = true;
      if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
      else if (!child) process.exit(128 + signalNumbers[name]!);
    });
  }

  const token = await ensureDevToken(join(dirname(dev.config), ".dev.vars"), log);
  const shared = ["-c", dev.config, ...(dev.env ? ["--env", dev.env] : []), ...(dev.persistTo ? ["--persist-to", dev.persistTo] : [])];
  // stdin is not a terminal, so wrangler applies without asking (it asks only in an interactive session).
  for (const binding of ["DB", ...partsBindings(await readFile(dev.config, "utf8"), dev.env)]) {
    child = runWrangler(["d1", "migrations", "apply", binding, "--local", ...shared], "ignore");
    const migrated = await exited(child);
    if (migrated !== 0 || stopping) return migrated || 130;
  }

  child = runWrangler(["dev", ...(dev.ip === undefined ? ["--ip", "127.0.0.1"] : []), ...args], "inherit");
  const gone = exited(child);
  try {
    await waitUntilAnswering(dev.url, gone);
  } catch (error) {
    if (!stopping) log(String((error as Error).message));
    if (child.exitCode === null) child.kill("SIGTERM");
    return (await gone) || 1;
  }

  log(`publishing articles/ to ${dev.url}`);
  let published: number;
  try {
    published = await publish(["--to", dev.url, "--config", dev.config, ...(dev.env ? ["--env", dev.env] : [])], {
      // The local worker's token, whatever PUBLISH_TOKEN the shell may hold for another worker.
      env: { ...process.env, PUBLISH_TOKEN: token },
    });
  } catch (error) {
    // The server stays up either way: the content can be fixed and published while it runs.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    published = 70;
  }
  const hint = dev.port === 8787 ? "npm run publish" : `npm run publish -- --to ${dev.url}`;
  if (published === 0) log(`serving ${dev.url}/ (feeds: ${dev.url}/rss.xml); after editing articles/, run: ${hint}`);
  else log(`still serving ${dev.url}/, but not everything was published: fix the problems above, then run: ${hint}`);
  return gone;
}

if (import.meta.main) runCommand(start);
