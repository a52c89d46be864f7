// Publishing needs only Node 22 and the package's runtime dependencies (`npm ci --omit=dev`: no wrangler, vitest,
// TypeScript, Biome, browsers or judges), so a newsroom's CI can publish without the development toolchain
// (docs/workflows/publish.yml). Every module `npm run publish` loads, followed through its imports by esbuild, may only
// import Node's built-ins and `dependencies` of package.json.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/local-worker.ts";

/** The packages a module graph imports from outside itself: bare specifiers, by package name. */
async function packagesImportedBy(entry: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    packages: "external",
    metafile: true,
    logLevel: "silent",
  });
  const names = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external) continue;
      const path = imported.path;
      if (path.startsWith("node:")) names.add("node:");
      else names.add(path.startsWith("@") ? path.split("/").slice(0, 2).join("/") : path.split("/")[0]!);
    }
  }
  return names;
}

describe("the publish client", () => {
  it("imports Node's built-ins and runtime dependencies only", async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const imported = await packagesImportedBy("src/node/publish.ts");
    expect(imported.has("node:")).toBe(true);
    const packages = [...imported].filter((name) => name !== "node:");
    expect(packages.length).toBeGreaterThan(3); // gray-matter, markdown-it, zod… (the check runs before anything is sent)
    for (const name of packages) {
      expect(Object.keys(manifest.dependencies), `${name} must be a runtime dependency`).toContain(name);
      expect(Object.keys(manifest.devDependencies)).not.toContain(name);
    }
  });
});
