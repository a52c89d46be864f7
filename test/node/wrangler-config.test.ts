// wrangler.toml as wrangler itself reads it: production behind Workers Caching, every event logged without a line per
// request, source maps uploaded; the local configuration without Workers Caching (nothing caches in front of it there).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { ROOT } from "../support/local-worker.ts";

const read = (env?: string) => unstable_readConfig({ config: join(ROOT, "wrangler.toml"), ...(env ? { env } : {}) });

describe("wrangler.toml", () => {
  it("puts Workers Caching in front of the production worker, one cold cache per deployed version", () => {
    const production = read("production");
    expect(production.cache).toEqual({ enabled: true });
    expect(read().cache).toBeUndefined();
  });

  it.each([undefined, "production"])("keeps every event and writes no line per request (env %s)", (env) => {
    const config = read(env);
    expect(config.observability).toEqual({ enabled: true, head_sampling_rate: 1, logs: { invocation_logs: false } });
    expect(config.upload_source_maps).toBe(true);
  });
});
