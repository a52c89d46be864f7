// The sample articles (articles/) published into the local D1 and R2 through the publish API, as `npm start` does,
// for tests of the whole worker.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { type Fetch, publishFiles } from "../support/api-client.ts";

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

/** The worker itself, as a client on the network would reach it. */
export const workerFetch: Fetch = (input, init) => exports.default.fetch(input, init);

/** Publishes the sample articles into the worker's own D1 and R2. */
export async function publishSample(): Promise<void> {
  await publishFiles(sampleFiles(), workerFetch, "http://localhost:8787", TOKEN);
}
