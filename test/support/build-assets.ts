// Vitest global setup: the static assets built into public/ (as `npm run build` does, leaving src/assets/paths.ts as
// committed: test/node/assets.test.ts checks it), for the tests that serve or read them.
import { buildAssets } from "../../src/node/build-assets.ts";

export default async function setup(): Promise<void> {
  await buildAssets({ paths: false });
}
