// A real local worker for Node-side tests: wrangler's own dev server (workerd, local D1 and R2) with its state in a
// temporary folder, the D1 migrations applied as `npm start` applies them, and a publish token.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unstable_startWorker } from "wrangler";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WRANGLER = join(dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

export const TEST_TOKEN = "node-test-publish-token-0123456789abcdef";

export interface LocalWorker {
  url: string;
  token: string;
  /** A folder of its own for the test: the state, a copy of the content, anything else. */
  dir: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/** `wrangler d1 migrations apply DB --local`, into `persistTo`. */
export async function applyMigrations(persistTo: string, config = join(ROOT, "wrangler.toml")): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "-c", config, "--persist-to", persistTo],
    {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV },
    },
  );
}

/**
 * Starts the worker of wrangler.toml on a free port with fresh local D1 and R2 state, migrated, in a folder of its own
 * (removed on dispose). Given a folder and a state folder, it uses those instead and leaves them on dispose: migrated
 * first unless `migrate` is false (a restored backup brings its schema). `vars` override settings of [vars].
 */
export async function startLocalWorker(existing?: {
  dir?: string;
  state?: string;
  migrate?: boolean;
  vars?: Record<string, string>;
}): Promise<LocalWorker> {
  Object.assign(process.env, OFFLINE_ENV);
  const dir = existing?.dir ?? (await mkdtemp(join(tmpdir(), "edge-feeds-worker-")));
  const persist = existing?.state ?? join(dir, "state");
  if (existing?.migrate !== false) await applyMigrations(persist);
  const worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist, logLevel: "error" },
    bindings: {
      PUBLISH_TOKEN: { type: "secret_text", value: TEST_TOKEN },
      // Settings over wrangler.toml's [vars] (a site moved in keeps its old domain as SITE_URL, say).
      ...Object.fromEntries(Object.entries(existing?.vars ?? {}).map(([name, value]) => [name, { type: "plain_text" as const, value }])),
    },
  });
  await worker.ready;
  const url = (await worker.url).origin;
  return {
    url,
    token: TEST_TOKEN,
    dir,
    get: (path, init) => fetch(url + path, init),
    async dispose() {
      await worker.dispose();
      if (!existing?.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of articles/ (the sample) in `dir`, for a test to edit. */
export async function copySample(dir: string): Promise<string> {
  const target = join(dir, "articles");
  await cp(join(ROOT, "articles"), target, { recursive: true });
  return target;
}

/** How many files the sample (articles/) has: every one of them is published (articles, images, registries). */
export async function countSampleFiles(): Promise<number> {
  return (await readdir(join(ROOT, "articles"), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
}

/** Writes `text` to `path` under the content folder `root`. */
export function writeArticle(root: string, path: string, text: string): Promise<void> {
  return writeFile(join(root, path), text);
}
