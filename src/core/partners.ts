// Partner sites that embed our headlines (partners.yaml at the content root) and how a headlines request resolves.
import { z } from "zod";
import type { Scope } from "./catalog.ts";
import { describeValue, quote } from "./describe-value.ts";
import { type ContentIssue, type ErrorCode, ServiceError } from "./errors.ts";
import { utmQuery } from "./link-query.ts";
import type { FeedContent } from "./model.ts";
import { slugify } from "./text.ts";
import { readYamlMap } from "./yaml-map.ts";

export const PARTNERS_FILE = "partners.yaml";

/** Items a request without a partner key may ask for, and how many it gets by default. */
export const PUBLIC_ITEM_CAP = 10;
export const DEFAULT_ITEMS = 5;
/** The highest `limit` a partner entry may set. */
export const PARTNER_ITEM_CAP_MAX = 50;

const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;

const origin = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "*") return value;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    // An origin is scheme, host and port only: a path would never match the browser's Origin header.
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.href.replace(/\/$/, "") !== url.origin) {
      ctx.addIssue({ code: "custom", message: `${quote(value)} is not an origin` });
      return z.NEVER;
    }
    return url.origin;
  });

const utmValue = z.string().trim().min(1).max(100);

const utmSchema = z.strictObject({
  source: utmValue.optional(),
  medium: utmValue.optional(),
  campaign: utmValue.optional(),
  term: utmValue.optional(),
  content: utmValue.optional(),
});

const partnerSchema = z.object({
  name: z.string().trim().min(1),
  origins: z.array(origin).min(1),
  sections: z.array(z.string().trim().min(1)).optional(),
  limit: z.number().int().min(1).max(PARTNER_ITEM_CAP_MAX).optional(),
  utm: utmSchema.optional(),
  // The partner's own feeds under /partners/{key}/: `true` for the site's form, or how they differ from it.
  feed: z
    .union([z.literal(true), z.strictObject({ content: z.enum(["full", "excerpt"]).optional(), utm: utmSchema.optional() })])
    .optional(),
});

/** A partner key: what `data-key`, `?key=` and the folder of its own feeds (`/partners/{key}/`) carry. */
export const PARTNER_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;
const ENTRY_EXPECTED =
  "{ name, origins: [https://partner.example], sections?: [News], limit?: 1–50, utm?: { source, medium, campaign, term, content }, " +
  "feed?: true or { content?: full | excerpt, utm?: { source, medium, campaign, term, content } } }";

/** One partner's settings, normalised: origins as `scheme://host[:port]`, sections as slugs. */
export interface Partner {
  key: string;
  name: string;
  /** Origins allowed to read the JSON (CORS) and to frame the iframe page (CSP frame-ancestors); `*` means any. */
  origins: readonly string[];
  /** Section slugs the partner may show; undefined means every section. */
  sections?: readonly string[];
  /** The most items one request returns. */
  limit: number;
  /** `utm_*` query parameters appended to article links, in a fixed order. */
  utm: readonly (readonly [string, string])[];
  /** The partner's own feeds (`feed:`), at /partners/{key}/…; none without it. */
  feed?: PartnerFeed;
}

/**
 * How a partner's own feeds differ from the site's: whole or excerpts (else FEED_CONTENT), and the query on their
 * item links (its `feed.utm` as `utm_*` parameters, else FEED_LINK_QUERY).
 */
export interface PartnerFeed {
  content?: FeedContent;
  linkQuery?: string;
}

export type PartnerRegistry = ReadonlyMap<string, Partner>;

/** Parses partners.yaml (null when there is none); bad entries are reported and left out. */
export function parsePartners(text: string | null): { partners: PartnerRegistry; issues: ContentIssue[] } {
  const partners = new Map<string, Partner>();
  const issues: ContentIssue[] = [];
  if (text === null) return { partners, issues };
  const read = readYamlMap(PARTNERS_FILE, text, `a map of partner keys to ${ENTRY_EXPECTED}`);
  if ("issue" in read) return { partners, issues: [read.issue] };
  for (const { key, value, line: at } of read.entries) {
    if (!PARTNER_KEY.test(key)) {
      issues.push({
        file: PARTNERS_FILE,
        field: key,
        line: at,
        found: `the key ${quote(key)}`,
        expected: "a key of 2–64 letters, digits, '-' or '_'",
      });
      continue;
    }
    const parsed = partnerSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({
          file: PARTNERS_FILE,
          field: [key, ...issue.path.map(String)].join("."),
          line: at,
          found:
            issue.code === "custom"
              ? issue.message
              : describeValue(
                  issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], value),
                ),
          expected: ENTRY_EXPECTED,
        });
      }
      continue;
    }
    const p = parsed.data;
    partners.set(key, {
      key,
      name: p.name,
      origins: [...new Set(p.origins)],
      sections: p.sections ? [...new Set(p.sections.map(slugify))] : undefined,
      limit: p.limit ?? PUBLIC_ITEM_CAP,
      utm: utmPairs(p.utm),
      ...(p.feed === undefined ? {} : { feed: partnerFeed(p.feed) }),
    });
  }
  return { partners, issues };
}

/** `utm_*` parameters in a fixed order. */
function utmPairs(utm: z.output<typeof utmSchema> | undefined): (readonly [string, string])[] {
  return UTM_KEYS.flatMap((k) => (utm?.[k] ? [[`utm_${k}`, utm[k]] as const] : []));
}

function partnerFeed(feed: z.output<typeof partnerSchema>["feed"] & {}): PartnerFeed {
  if (feed === true) return {};
  const linkQuery = utmQuery(utmPairs(feed.utm));
  return { ...(feed.content ? { content: feed.content } : {}), ...(linkQuery ? { linkQuery } : {}) };
}

/**
 * Whether a partner's feeds include a scope's: every scope's, or with `sections`, only those sections' (the site's
 * own feed and tags', authors' and languages' would carry the other sections' articles).
 */
export function partnerServes(partner: Partner, scope: Scope): boolean {
  if (!partner.sections) return true;
  return scope.kind === "sections" && partner.sections.includes(scope.slug);
}

/** Why a headlines request cannot be answered, and the kind of error each reason is. */
const HEADLINES_REFUSALS = {
  "unknown-partner": "forbidden",
  "origin-not-allowed": "forbidden",
  "section-not-allowed": "forbidden",
  "unknown-section": "not-found",
  "bad-limit": "bad-request",
} as const satisfies Record<string, ErrorCode>;

/** A headlines request that cannot be answered; `reason` says why (a partner's console shows the message). */
export class HeadlinesRequestError extends ServiceError {
  readonly reason: keyof typeof HEADLINES_REFUSALS;
  constructor(reason: HeadlinesRequestError["reason"], message: string) {
    super(HEADLINES_REFUSALS[reason], message);
    this.name = "HeadlinesRequestError";
    this.reason = reason;
  }
}

export interface HeadlinesQuery {
  key?: string;
  /** Comma-separated section slugs (or names), as in `data-section="news,business"`. */
  section?: string;
  limit?: string;
}

/** What a request resolves to: whose settings apply, which sections, how many items, which link parameters. */
export interface HeadlinesPlan {
  partner?: Partner;
  /** Section slugs to draw from; undefined means every section. */
  sections?: readonly string[];
  limit: number;
  utm: readonly (readonly [string, string])[];
  /** Origins for CORS and frame-ancestors: `*` for the public defaults. */
  origins: readonly string[];
}

/**
 * Resolves a request against the registry and the sections that exist. Without a key the public defaults apply
 * (any origin, any section, at most PUBLIC_ITEM_CAP items, no utm); with one, that partner's settings do.
 */
export function planHeadlines(query: HeadlinesQuery, partners: PartnerRegistry, knownSections: ReadonlySet<string>): HeadlinesPlan {
  const key = query.key?.trim();
  const partner = key ? partners.get(key) : undefined;
  if (key && !partner)
    throw new HeadlinesRequestError(
      "unknown-partner",
      `unknown partner key ${quote(key)}: check data-key (or ?key=) against the key you were given`,
    );
  const cap = partner?.limit ?? PUBLIC_ITEM_CAP;

  let limit = Math.min(DEFAULT_ITEMS, cap);
  if (query.limit !== undefined && query.limit.trim() !== "") {
    const n = Number(query.limit);
    if (!Number.isInteger(n) || n < 1)
      throw new HeadlinesRequestError("bad-limit", `limit ${quote(query.limit)} is not a whole number of 1 or more`);
    limit = Math.min(n, cap); // asking for more than the cap is not an error: the cap is the partner's agreement
  }

  const asked = query.section
    ?.split(",")
    .map((s) => slugify(s))
    .filter(Boolean);
  let sections: readonly string[] | undefined = asked?.length ? [...new Set(asked)] : undefined;
  if (sections) {
    for (const slug of sections) {
      if (partner?.sections && !partner.sections.includes(slug)) {
        throw new HeadlinesRequestError(
          "section-not-allowed",
          `section ${quote(slug)} is not among partner "${partner.key}"'s sections (${partner.sections.join(", ")})`,
        );
      }
      if (!knownSections.has(slug)) throw new HeadlinesRequestError("unknown-section", `there is no section ${quote(slug)}`);
    }
  } else {
    sections = partner?.sections;
  }
  return { partner, sections, limit, utm: partner?.utm ?? [], origins: partner?.origins ?? ["*"] };
}
