// A publish client run in process against a worker that stores nothing: it answers the manifest it is given, takes
// every file, and records each batch's paths; the run's folder is written to a temporary directory.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { BATCH_CONTROL, type ManifestEntry } from "../../src/core/publishing.ts";
import { type PublishRunOptions, publishFolder } from "../../src/node/publish.ts";
import { site } from "./site.ts";

let dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  dirs = [];
});

export async function folder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "early-images-"));
  dirs.push(dir);
  for (const [path, value] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), value);
  }
  return dir;
}

/** A worker that stores nothing: it answers the manifest given and takes every file; each batch's paths are kept. */
export function recorder(manifest: ManifestEntry[]) {
  const batches: string[][] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(url));
    if (pathname === "/api/manifest") return Response.json({ entries: manifest, next: null });
    const paths = [...(init!.body as FormData).keys()].filter((k) => k !== BATCH_CONTROL);
    batches.push(paths);
    return Response.json({ results: paths.map((path) => ({ path, status: 201, result: "created" })) });
  }) as typeof globalThis.fetch;
  return { fetch, batches };
}

export async function run(dir: string, manifest: ManifestEntry[], extra: Partial<PublishRunOptions> = {}) {
  const worker = recorder(manifest);
  const lines: string[] = [];
  const write = (text: string) => void lines.push(text);
  const outcome = publishFolder({
    to: "http://worker.test",
    dir,
    token: "t",
    site,
    ...extra,
    out: write,
    err: write,
    api: { fetch: worker.fetch, sleep: async () => {} },
  });
  return { outcome, batches: worker.batches, output: () => lines.join("") };
}
