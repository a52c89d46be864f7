// Runs `npm run import` in-process for the tests, and snapshots folders to compare imports byte for byte.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { main } from "../../src/node/import.ts";
import { SITE_INPUT } from "./site.ts";

export const VARS = Object.entries(SITE_INPUT).flatMap(([key, value]) => ["--var", `${key}=${value}`]);

/** Runs the importer in-process with the test site's settings, capturing what it prints. */
export async function runImport(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main([...args, ...VARS], { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Every file under a folder with its bytes (base64), by path. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(path.slice(dir.length + 1), (await readFile(path)).toString("base64"));
    }
  }
  return files;
}
