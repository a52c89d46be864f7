// The worker inside workerd (the production runtime), through @cloudflare/vitest-plugin.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
  test: {
    name: "workerd",
    include: ["test/worker/**/*.test.ts"],
    deps: { optimizer: { ssr: { enabled: true, include: ["sanitize-html"] } } },
  },
});
