// The sample articles (articles/) published into the local D1 and R2 through the publish API, as `npm start` does,
// for tests of the whole worker; and a small client of that API for the tests.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import type { MemoryFiles } from "../../src/sources/memory.ts";

type SampleFiles = Record<string, { text?: string; base64?: string }>;

/** The token the test configuration gives the worker (vitest.workers.config.ts). */
export const TOKEN = (env as unknown as { PUBLISH_TOKEN: string }).PUBLISH_TOKEN;

/** The files of articles/, as the test configuration passed them. */
export function sampleFiles(): MemoryFiles {
  const files = (env as unknown as { SAMPLE_FILES: SampleFiles }).SAMPLE_FILES;
  return Object.fromEntries(
    Object.entries(files).map(([path, file]) => [path, file.text ?? Uint8Array.from(atob(file.base64!), (c) => c.charCodeAt(0))]),
  );
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The worker itself, as a client on the network would reach it. */
export const workerFetch: Fetch = (input, init) => exports.default.fetch(input, init);

const encode = (value: string | Uint8Array): Uint8Array => (typeof value === "string" ? new TextEncoder().encode(value) : value);

/** The API path of a content file: images, registries and articles each have their own. */
export function apiPath(path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  if (path.startsWith("images/")) return `/api/${encoded}`;
  if (path === "authors.yaml" || path === "partners.yaml") return `/api/registries/${encoded}`;
  return `/api/articles/${encoded}`;
}

/** Sends one file (PUT) or removes it (DELETE) with the token; the answer as it came. */
export function send(fetch: Fetch, base: string, method: "PUT" | "DELETE", path: string, body?: string | Uint8Array, query = "") {
  return fetch(base + apiPath(path) + query, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}` },
    ...(body === undefined ? {} : { body: encode(body) as Uint8Array<ArrayBuffer> }),
  });
}

/**
 * Publishes files in the order the publish client uses (images, registries, articles) and fails on any refusal, so
 * a test starts from exactly this content.
 */
export async function publishFiles(files: MemoryFiles, fetch: Fetch = workerFetch, base = "http://localhost:8787"): Promise<void> {
  const rank = (path: string) => (path.startsWith("images/") ? 0 : path.endsWith(".yaml") ? 1 : 2);
  for (const path of Object.keys(files).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    if (rank(path) === 2 && !/\.md$/i.test(path)) continue;
    const res = await send(fetch, base, "PUT", path, files[path]!);
    if (!res.ok) throw new Error(`publishing ${path}: ${res.status} ${await res.text()}`);
  }
}

/** Publishes the sample articles into the worker's own D1 and R2. */
export async function publishSample(): Promise<void> {
  await publishFiles(sampleFiles());
}
