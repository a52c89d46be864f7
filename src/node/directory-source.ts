// A content source over a folder on disk (Node only): used by the CLI and the Node-side tests.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { ContentSource } from "../sources/source.ts";

export function createDirectorySource(root: string): ContentSource {
  const base = resolve(root);
  return {
    name: `directory:${base}`,
    async list() {
      const entries = await readdir(base, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => relative(base, join(e.parentPath, e.name)).split(sep).join("/"))
        .filter((p) => !p.split("/").some((seg) => seg.startsWith(".")))
        .sort();
    },
    async read(path) {
      const full = resolve(base, path);
      if (!full.startsWith(base + sep)) return null;
      try {
        return new Uint8Array(await readFile(full));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async size(path) {
      const full = resolve(base, path);
      if (!full.startsWith(base + sep)) return null;
      try {
        return (await stat(full)).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}
