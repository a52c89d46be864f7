// Compile-time tests, checked by `npm run typecheck`: format ids are a closed set, and every per-format map is complete.
// Each `@ts-expect-error` must meet an error, or the typecheck fails: these lines fail if the types loosen.
import type { FeedHead, FormatId, FormatUrls } from "../../src/core/model.ts";
import { FORMAT_BY_ID } from "../../src/formats/index.ts";

// @ts-expect-error a feed without an Atom self link does not compile
export const missingAtom: FormatUrls = { rss: "https://x.example/rss.xml", json: "https://x.example/feed.json" };

// @ts-expect-error an unknown format id does not compile
export const unknownFormat: FormatId = "rdf";

export function selfLinkOf(head: FeedHead, id: FormatId): string {
  // Every id has a link: no `!`, no undefined to handle.
  return head.self[id];
}

// @ts-expect-error the registry holds every format, and nothing else
export const notRegistered = FORMAT_BY_ID.rdf;
