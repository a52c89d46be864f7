// `npm start -- --port P`: on a fresh state it writes .dev.vars, migrates the local D1, serves the sample articles (and
// the static assets) on P, and stopping npm (SIGTERM, or SIGINT as Ctrl-C sends) stops wrangler and its workerd; the
// state persists. A broken file in the folder is named and every other article served. With a parts database bound
// (PARTS_1), it migrates that too and the sample's parts go there.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSET_PATHS } from "../../src/assets/paths.ts";
import { readDevVar } from "../../src/node/publish.ts";
import { countSampleFiles, ROOT } from "../support/local-worker.ts";

/** wrangler's own entry, run on this Node (22), as start.ts runs it. */
const WRANGLER_JS = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

let dir: string;
let config: string;
let port: number;
const started: ChildProcess[] = [];

/** A port nobody listens on now (the system picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edge-feeds-start-"));
  // The project's config with absolute paths, so .dev.vars (read beside the config) and the state stay in `dir`.
  const toml = await readFile(join(ROOT, "wrangler.toml"), "utf8");
  config = join(dir, "wrangler.toml");
  await writeFile(
    config,
    toml
      .replace(/^main = "(.*)"$/m, (_m, main: string) => `main = "${join(ROOT, main)}"`)
      .replaceAll('migrations_dir = "migrations"', `migrations_dir = "${join(ROOT, "migrations")}"`)
      // The static assets and their build, which run in the project (wrangler reads paths beside the config).
      .replace(/^directory = "public"$/m, `directory = "${join(ROOT, "public")}"`)
      .replace(/^\[build\]$/m, `[build]\ncwd = "${ROOT}"`)
      .replace(/^watch_dir = .*$/m, `watch_dir = ["${join(ROOT, "src/assets")}", "${join(ROOT, "src/embed")}"]`),
  );
  port = await freePort();
});

afterAll(async () => {
  // Only if a test failed half way: nothing of ours may outlive the tests.
  for (const child of started) {
    try {
      process.kill(-child.pid!, "SIGKILL"); // the whole process group: npm, start.ts, wrangler, workerd
    } catch {
      // ESRCH: nothing left, as it should be
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/**
 * Starts `npm start -- --port P …` and resolves with its output once it says it serves (or rejects if it stops first).
 * With `site`, start.ts runs in that folder instead (what `npm start` runs, publishing that folder's articles/).
 */
async function startNpm(
  configFile = config,
  state = join(dir, "state"),
  site?: string,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | string> }> {
  const args = ["--port", String(port), "-c", configFile, "--persist-to", state];
  // Its own process group, so that a failed test can clean up everything it started.
  const [command, argv] = site ? [process.execPath, [join(ROOT, "src/node/start.ts"), ...args]] : ["npm", ["start", "--", ...args]];
  const child = spawn(command, argv, {
    cwd: site ?? ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PUBLISH_TOKEN: "" },
  });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal!)));
  const serving = new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (output.includes("[start] serving") || output.includes("[start] still serving")) {
        clearInterval(check);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`npm start exited (${code}) before serving:\n${output}`));
    });
  });
  await serving;
  return { child, output: () => output, exited };
}

/** Processes still running whose command line names this test's port or folder (wrangler, workerd, start.ts). */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir("/proc")).filter((p) => /^\d+$/.test(p))) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmd.includes(dir) || cmd.includes(`127.0.0.1:${port}`)) found.push(`${pid}: ${cmd.replaceAll("\0", " ")}`);
  }
  return found;
}

async function stopAndCheck(run: Awaited<ReturnType<typeof startNpm>>, signal: NodeJS.Signals): Promise<void> {
  process.kill(run.child.pid!, signal);
  // A time-out, not a timing assertion: wrangler takes a moment to stop workerd.
  const code = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r("still running"), 30_000))]);
  expect(code, run.output()).not.toBe("still running");
  await expect.poll(leftovers, { timeout: 10_000, interval: 200 }).toEqual([]);
  await expect(fetch(`http://127.0.0.1:${port}/rss.xml`)).rejects.toThrow();
}

describe("npm start", () => {
  it("writes .dev.vars, migrates, serves the sample on --port, and stops with wrangler on SIGTERM", async () => {
    const run = await startNpm();
    const devVars = await readFile(join(dir, ".dev.vars"), "utf8");
    expect(readDevVar(devVars, "PUBLISH_TOKEN")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.output()).toContain(`published to http://127.0.0.1:${port}: ${await countSampleFiles()} created`);
    const res = await fetch(`http://127.0.0.1:${port}/rss.xml`);
    expect(res.status).toBe(200);
    const rss = await res.text();
    expect(rss.match(/<item>/g)).toHaveLength(4);
    expect((await fetch(`http://127.0.0.1:${port}/images/caspian-port.jpg`)).status).toBe(200);
    // wrangler dev ran the asset build ([build] in wrangler.toml) and serves its files with their _headers.
    expect(run.output()).toContain("[custom build] Running: npm run --silent build");
    for (const [path, type, cacheControl] of [
      [ASSET_PATHS.pageCss, "text/css; charset=utf-8", "public, max-age=31536000, immutable"],
      [ASSET_PATHS.embedJs, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"],
      ["/feed.css", "text/css; charset=utf-8", "public, max-age=3600"],
      ["/embed.js", "text/javascript; charset=utf-8", "public, max-age=3600"],
    ]) {
      const asset = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get("content-type"), path).toBe(type);
      expect(asset.headers.get("cache-control"), path).toBe(cacheControl);
      await asset.arrayBuffer();
    }
    await stopAndCheck(run, "SIGTERM");
  }, 180_000);

  it("starts again on the persisted state (nothing to publish, same token) and stops on SIGINT", async () => {
    const token = readDevVar(await readFile(join(dir, ".dev.vars"), "utf8"), "PUBLISH_TOKEN");
    const run = await startNpm();
    expect(run.output()).toContain(`up to date: ${await countSampleFiles()} file(s) stored at http://127.0.0.1:${port}`);
    expect(readDevVar(await readFile(join(dir, ".dev.vars"), "utf8"), "PUBLISH_TOKEN")).toBe(token);
    expect((await (await fetch(`http://127.0.0.1:${port}/rss.xml`)).text()).match(/<item>/g)).toHaveLength(4);
    await stopAndCheck(run, "SIGINT");
  }, 180_000);

  it("serves every good article when one file is broken, naming it, and says to fix it and publish", async () => {
    const site = join(dir, "site");
    await cp(join(ROOT, "articles"), join(site, "articles"), { recursive: true });
    await writeFile(join(site, "articles/2025/05/broken.md"), "---\ndate: 2025-05-01\n---\nNo title.\n");
    const run = await startNpm(config, join(dir, "state-broken"), site);
    expect(run.output()).toMatch(/^error: 2025\/05\/broken\.md \[title\]: nothing \(the field is missing\)/m);
    expect(run.output()).toContain("not published: 2025/05/broken.md: refused by the check (its problems are listed above)");
    expect(run.output()).toContain(`published to http://127.0.0.1:${port}: ${await countSampleFiles()} created`);
    expect(run.output()).toContain(`[start] still serving http://127.0.0.1:${port}/, but not everything was published`);
    const rss = await (await fetch(`http://127.0.0.1:${port}/rss.xml`)).text();
    expect(rss.match(/<item>/g)).toHaveLength(4);
    await stopAndCheck(run, "SIGTERM");
  }, 180_000);

  it("with a parts database bound and PARTS_WRITE_SHARD set, migrates it too and serves the sample from it", async () => {
    // The config as a newsroom past one database's capacity has it (docs/capacity.md): PARTS_1 beside DB.
    const sharded = join(dir, "wrangler-shards.toml");
    const toml = (await readFile(config, "utf8")).replace(/^\[vars\]$/m, '[vars]\nPARTS_WRITE_SHARD = "1"');
    await writeFile(
      sharded,
      `${toml}\n[[d1_databases]]\nbinding = "PARTS_1"\ndatabase_name = "edge-feeds-parts-1"\n` +
        `database_id = "00000000-0000-0000-0000-000000000001"\nmigrations_dir = "${join(ROOT, "migrations-parts")}"\n`,
    );
    const state = join(dir, "state-shards");
    const run = await startNpm(sharded, state);
    expect(run.output()).toContain(`published to http://127.0.0.1:${port}: ${await countSampleFiles()} created`);
    const rss = await (await fetch(`http://127.0.0.1:${port}/rss.xml`)).text();
    expect(rss.match(/<item>/g)).toHaveLength(4);
    await stopAndCheck(run, "SIGINT");
    // Every article's parts went to PARTS_1, none to the catalog's own table.
    const count = (binding: string, sql: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [WRANGLER_JS, "d1", "execute", binding, "--local", "-c", sharded, "--persist-to", state, "--json", "--command", sql],
          { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
        ),
      )[0].results[0].n as number;
    expect(count("DB", "SELECT COUNT(*) AS n FROM articles WHERE shard = 1")).toBe(4);
    expect(count("DB", "SELECT COUNT(*) AS n FROM article_parts")).toBe(0);
    expect(count("PARTS_1", "SELECT COUNT(DISTINCT slug) AS n FROM article_parts")).toBe(4);
  }, 240_000);
});
