// The worker inside workerd (the production runtime), through @cloudflare/vitest-plugin, with local D1 and R2.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // The schema's migrations, applied by test/worker/setup.ts before any test.
      miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
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
