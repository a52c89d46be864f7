// Node-side tests: core rules, goldens, independent parsers, the CLI, and the app through app.request().
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "node",
    environment: "node",
    include: ["test/node/**/*.test.ts"],
    testTimeout: 60_000,
    // test/node/body-cache-memory.test.ts collects garbage before it reads the heap.
    execArgv: ["--expose-gc"],
    // public/, the static assets wrangler.toml's [assets] names, built once before the tests that serve or read them.
    globalSetup: ["./test/support/build-assets.ts"],
  },
});
