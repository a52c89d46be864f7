// A content source behind a fetch binding: Workers Static Assets, a service binding, or locally a workerd disk service.
import type { ContentSource } from "./source.ts";

/** Written next to the files so `list()` works without a directory listing (which bindings do not offer). */
export const LIST_FILE = "files.json";

export interface FetchBinding {
  fetch(input: string): Promise<Response>;
}

export function createFetcherSource(binding: FetchBinding, name = "fetcher"): ContentSource {
  const read = async (path: string): Promise<Uint8Array | null> => {
    // The host is never contacted: a binding routes by path alone.
    const res = await binding.fetch(`https://archive.invalid/${path.split("/").map(encodeURIComponent).join("/")}`);
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) throw new Error(`${name}: reading ${path} gave HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  return {
    name,
    read,
    async list() {
      const bytes = await read(LIST_FILE);
      return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as string[]) : [];
    },
  };
}
