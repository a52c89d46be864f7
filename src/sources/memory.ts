// A content source over an in-memory map of files: for tests.
import type { ContentSource } from "./source.ts";

export type MemoryFiles = Readonly<Record<string, string | Uint8Array>>;

export function createMemorySource(files: MemoryFiles, name = "memory"): ContentSource {
  const paths = Object.keys(files).sort();
  const encoder = new TextEncoder();
  return {
    name,
    list: async () => paths,
    read: async (path) => {
      const value = Object.hasOwn(files, path) ? files[path] : undefined;
      if (value === undefined) return null;
      return typeof value === "string" ? encoder.encode(value) : value;
    },
  };
}
