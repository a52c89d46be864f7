// Node-side tests: core rules, goldens, independent parsers, the CLI, and the app through app.request().
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "node",
    environment: "node",
    include: ["test/node/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
