// Rules of the partner embeds that routes call: who may read /headlines.json (for the GET and its preflight alike),
// and which heading the iframe page may show.
import type { HeadlinesPlan, PartnerRegistry } from "../core/partners.ts";

/** Methods and request headers /headlines.json allows across origins. */
const ALLOW_METHODS = "GET, HEAD, OPTIONS";
const ALLOW_HEADERS = "Accept";

/** The CORS answer for one request: the headers to send, or a refusal. */
export type HeadlinesCors = { allowed: true; headers: Record<string, string> } | { allowed: false };

/**
 * The origin rule of /headlines.json (Fetch standard, CORS protocol): without a partner key, or for a partner that
 * allows `*`, any origin may read (`Access-Control-Allow-Origin: *`); with a key, only the partner's listed origins,
 * each echoed exactly, and the answer varies on Origin. A request without Origin is not a browser's cross-origin
 * read and is answered without CORS headers.
 */
export function decideHeadlinesCors(origins: readonly string[], requestOrigin: string | undefined): HeadlinesCors {
  if (origins.includes("*")) return { allowed: true, headers: { "Access-Control-Allow-Origin": "*" } };
  if (requestOrigin === undefined) return { allowed: true, headers: { Vary: "Origin" } };
  if (!origins.includes(requestOrigin)) return { allowed: false };
  return { allowed: true, headers: { "Access-Control-Allow-Origin": requestOrigin, Vary: "Origin" } };
}

/** The origins a request's `key` grants (the public `*` without one); undefined for a key no partner has. */
export function originsForKey(partners: PartnerRegistry, key: string | undefined): readonly string[] | undefined {
  const trimmed = key?.trim();
  if (!trimmed) return ["*"];
  return partners.get(trimmed)?.origins;
}

/**
 * The answer to `OPTIONS /headlines.json` (a CORS preflight): the GET's origin rule, so a preflight never grants an
 * origin the GET would refuse. An unknown key or an unlisted origin gets a 403 without any Access-Control-Allow-Origin,
 * which fails the preflight; a partner's own origin gets itself echoed.
 */
export function answerHeadlinesPreflight(
  partners: PartnerRegistry,
  key: string | undefined,
  requestOrigin: string | undefined,
): { status: 204 | 403; headers: Record<string, string> } {
  const common = { Allow: ALLOW_METHODS, Vary: "Origin", "Cache-Control": "no-store" };
  const origins = originsForKey(partners, key);
  const decision = origins ? decideHeadlinesCors(origins, requestOrigin) : undefined;
  if (!decision?.allowed) return { status: 403, headers: common };
  return {
    status: 204,
    headers: {
      ...common,
      ...decision.headers,
      Vary: "Origin", // also for `*`: with a key the answer depends on Origin, and one URL may carry either
      "Access-Control-Allow-Methods": ALLOW_METHODS,
      "Access-Control-Allow-Headers": ALLOW_HEADERS,
      "Access-Control-Max-Age": "86400",
      "Cache-Control": "public, max-age=86400",
    },
  };
}

/** Longest heading the iframe page shows, in characters (code points), after cleaning. */
export const HEADLINE_TITLE_MAX = 80;

// C0 and C1 controls and DEL, and the bidirectional controls that can make a heading read differently from its text.
const INVISIBLE = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The heading a `?title=` may give the iframe page. The page is on the publisher's origin and, for the public defaults,
 * framable anywhere, so arbitrary text there would be the publisher speaking: only a request with a valid partner key
 * may set it (the page is then framable only by the partner), only when the browser loads it into a frame (`framed`:
 * `Sec-Fetch-Dest: iframe` or `frame`, which a page cannot forge; a key sits in the partner's page source, so without
 * this anyone could open `?key=…&title=…` directly and show any heading on the publisher's own address), and only as
 * one line of at most HEADLINE_TITLE_MAX characters, controls removed and whitespace collapsed. Undefined means the
 * default heading (the document's title).
 */
export function headlineTitle(raw: string | undefined, plan: Pick<HeadlinesPlan, "partner">, framed: boolean): string | undefined {
  if (raw === undefined || !plan.partner || !framed) return undefined;
  const text = raw.replace(INVISIBLE, " ").replace(/\s+/gu, " ").trim();
  const capped = Array.from(text).slice(0, HEADLINE_TITLE_MAX).join("").trimEnd();
  return capped || undefined;
}

/** Whether a request is a browser loading the page into a frame (Fetch Metadata's `Sec-Fetch-Dest`). */
export function isFramed(secFetchDest: string | undefined): boolean {
  const dest = secFetchDest?.trim().toLowerCase();
  return dest === "iframe" || dest === "frame";
}
