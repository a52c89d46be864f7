// The worker inside workerd (the production runtime), through @cloudflare/vitest-plugin, with local D1 and R2.

import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildAssets } from "./src/node/build-assets.ts";

// The static assets wrangler.toml's [assets] names (public/), as `npm run build` writes them: the plugin serves them
// before the worker, as Cloudflare does. src/assets/paths.ts is left as committed (test/node/assets.test.ts checks it).
await buildAssets({ paths: false });

const migrations = await readD1Migrations("./migrations");
const partsMigrations = await readD1Migrations("./migrations-parts");

/** The sample articles (articles/), as the tests publish them into the local D1 and R2: text as is, images as base64. */
async function sampleFiles(dir: string): Promise<Record<string, { text?: string; base64?: string }>> {
  const files: Record<string, { text?: string; base64?: string }> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/");
    const bytes = await readFile(join(dir, path));
    files[path] = /\.(md|ya?ml)$/i.test(path) ? { text: bytes.toString("utf8") } : { base64: bytes.toString("base64") };
  }
  return files;
}

/** The publish API's secret in the tests (a secret in production: `wrangler secret put PUBLISH_TOKEN`). */
const TEST_PUBLISH_TOKEN = "test-publish-token-0123456789abcdef";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // The schema's migrations, applied by test/worker/setup.ts before any test, the sample articles, and the token
      // the tests publish them with through the publish API. Two parts databases beside the catalog (PARTS_1, PARTS_2;
      // src/store/d1/parts.ts), local like DB, for the tests that spread parts over shards; PARTS_WRITE_SHARD stays
      // unset, so everything else writes to the catalog as a single-database site does.
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          TEST_PARTS_MIGRATIONS: partsMigrations,
          SAMPLE_FILES: await sampleFiles("./articles"),
          PUBLISH_TOKEN: TEST_PUBLISH_TOKEN,
        },
        // UPGRADE_DB and UPGRADE_PARTS start empty, for test/worker/schema-upgrade.test.ts to write in an older schema.
        d1Databases: {
          PARTS_1: "edge-feeds-parts-1",
          PARTS_2: "edge-feeds-parts-2",
          UPGRADE_DB: "edge-feeds-upgrade",
          UPGRADE_PARTS: "edge-feeds-upgrade-parts",
        },
      },
    }),
  ],
  test: {
    name: "workerd",
    include: ["test/worker/**/*.test.ts"],
    setupFiles: ["./test/worker/setup.ts"],
    // The first request of a fresh run waits for the dependency optimiser and the catalog load; on a busy 2-core CI
    // machine that has taken over 5 s. These are time-outs, not timing assertions.
    testTimeout: 60_000,
    // sanitize-html requires postcss through CommonJS paths the workerd module loader cannot resolve; pre-bundling fixes it.
    deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"] } } },
  },
});
