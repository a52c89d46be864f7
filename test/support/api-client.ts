// A small client of the publish API for tests on any runtime: each file sent by the route its kind has.
import type { MemoryFiles } from "../../src/sources/memory.ts";

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const encode = (value: string | Uint8Array): Uint8Array => (typeof value === "string" ? new TextEncoder().encode(value) : value);

/** The API path of a content file: images, registries and articles each have their own. */
export function apiPath(path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  if (path.startsWith("images/")) return `/api/${encoded}`;
  if (path === "authors.yaml" || path === "partners.yaml") return `/api/registries/${encoded}`;
  return `/api/articles/${encoded}`;
}

/** Sends one file (PUT) or removes it (DELETE) with the token; the answer as it came. */
export function send(
  fetch: Fetch,
  base: string,
  token: string,
  method: "PUT" | "DELETE",
  path: string,
  body?: string | Uint8Array,
  query = "",
): Promise<Response> {
  return fetch(base + apiPath(path) + query, {
    method,
    headers: { Authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: encode(body) as Uint8Array<ArrayBuffer> }),
  });
}

/**
 * Publishes files in the order the publish client uses (images, registries, articles) and fails on any refusal, so
 * a test starts from exactly this content.
 */
export async function publishFiles(files: MemoryFiles, fetch: Fetch, base: string, token: string): Promise<void> {
  const rank = (path: string) => (path.startsWith("images/") ? 0 : path.endsWith(".yaml") ? 1 : 2);
  for (const path of Object.keys(files).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1))) {
    if (rank(path) === 2 && !/\.md$/i.test(path)) continue;
    const res = await send(fetch, base, token, "PUT", path, files[path]!);
    if (!res.ok) throw new Error(`publishing ${path}: ${res.status} ${await res.text()}`);
  }
}
