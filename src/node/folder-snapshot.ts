// A content folder read once for both the check and the publish plan: a directory source that notes, for each file
// the check reads, the hash the manifest compares it with, its size, and for an image whether the publish API takes it.
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { isArticleFile } from "../core/content.ts";
import { inspectImage } from "../core/images.ts";
import { hashSource } from "../core/publish/publication.ts";
import { PUBLISHABLE_IMAGE_TYPES, REGISTRY_NAMES } from "../core/publishing.ts";
import type { ContentSource } from "../sources/source.ts";
import { createDirectorySource } from "./directory-source.ts";
import type { LocalFile } from "./publish-plan.ts";

/** Why `--dir` cannot be published from: missing, or not a folder. Undefined when it is a folder. */
export async function checkFolder(dir: string): Promise<string | undefined> {
  try {
    if (!(await stat(dir)).isDirectory()) return `--dir ${dir} is not a folder`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return `--dir ${dir}: no such folder`;
    return `--dir ${dir}: ${(error as Error).message}`;
  }
  return undefined;
}

// The API's own decoding (core/limits.ts): a leading BOM is not part of the text it hashes.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** What the manifest would say of these bytes at `path`, or undefined for a file publishing ignores. */
export function describeFile(path: string, bytes: Uint8Array): LocalFile | undefined {
  if (path.startsWith("images/")) {
    const inspected = inspectImage(bytes);
    const type = inspected.ok && PUBLISHABLE_IMAGE_TYPES.includes(inspected.facts.type) ? inspected.facts.type : undefined;
    return {
      hash: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.byteLength,
      ...(type ? { publishableType: type } : {}),
    };
  }
  if (!isArticleFile(path) && !(REGISTRY_NAMES as readonly string[]).includes(path)) return undefined;
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  return { ...(text === undefined ? {} : { hash: hashSource(text) }), size: bytes.byteLength };
}

/** Whether publishing cares about a path of the folder: an image, an article file or a registry. */
export function isPublishablePath(path: string): boolean {
  return path.startsWith("images/") || isArticleFile(path) || (REGISTRY_NAMES as readonly string[]).includes(path);
}

export interface FolderSnapshot {
  /** The source the check reads through. */
  source: ContentSource;
  /** After the check: every file of the folder that publishing cares about, described. */
  describe(): Promise<Map<string, LocalFile>>;
}

/** A folder to check and publish; each file's description is taken from the bytes the check reads. */
export function snapshotFolder(dir: string): FolderSnapshot {
  const inner = createDirectorySource(dir);
  const seen = new Map<string, LocalFile>();
  let listed: readonly string[] | undefined;
  const source: ContentSource = {
    name: inner.name,
    async list() {
      listed ??= await inner.list();
      return listed;
    },
    async read(path) {
      const bytes = await inner.read(path);
      if (bytes) {
        const described = describeFile(path, bytes);
        if (described) seen.set(path, described);
      }
      return bytes;
    },
    size: (path) => inner.size!(path),
  };
  return {
    source,
    async describe() {
      const files = new Map<string, LocalFile>();
      for (const path of await source.list()) {
        if (!isPublishablePath(path)) continue;
        // A file the check did not read is over its limit (refused from its size): it is never read, nor sent.
        files.set(path, seen.get(path) ?? { size: (await inner.size!(path)) ?? 0 });
      }
      return files;
    },
  };
}
