// The sample articles (articles/) published into the local D1 and R2 the worker reads, for tests of the whole worker.
import { env } from "cloudflare:test";
import { parseSettings } from "../../src/core/settings.ts";
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { fillD1 } from "./fill-d1.ts";

type SampleFiles = Record<string, { text?: string; base64?: string }>;

/** The files of articles/, as the test configuration passed them. */
export function sampleFiles(): MemoryFiles {
  const files = (env as unknown as { SAMPLE_FILES: SampleFiles }).SAMPLE_FILES;
  return Object.fromEntries(
    Object.entries(files).map(([path, file]) => [path, file.text ?? Uint8Array.from(atob(file.base64!), (c) => c.charCodeAt(0))]),
  );
}

/** Publishes the sample articles with the worker's own settings (wrangler.toml [vars]). */
export async function publishSample(): Promise<void> {
  await fillD1(env.DB, env.IMAGES, sampleFiles(), parseSettings(env as unknown as Record<string, unknown>));
}
