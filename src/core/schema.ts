// The front-matter contract, declared once: the TypeScript types are inferred from it.
import { z } from "zod";
import { ALIAS_EXPECTED, ALIAS_LIMITS } from "./aliases.ts";
import { DATE_FORMS, parseDateValue } from "./dates.ts";
import { ACCEPTED_TYPES } from "./images.ts";
import { LIMITS, oversizedDimensions } from "./limits.ts";
import { normaliseSlug, SLUG_EXPECTED } from "./slug.ts";

const text = z.string().trim().min(1);
const absoluteHttpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v));
const languageTag = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return Intl.getCanonicalLocales(v).length === 1;
    } catch {
      return false;
    }
  });
const positiveInt = z.number().int().positive();
/** A declared pixel size, within the limit measured images are held to (LIMITS.imageSide). */
const pixels = positiveInt.max(LIMITS.imageSide);
const alias = text.max(ALIAS_LIMITS.length);

export const imageObjectSchema = z
  .object({
    src: text,
    alt: z.string().trim().optional(),
    caption: z.string().trim().optional(),
    credit: z.string().trim().optional(),
    type: z
      .string()
      .trim()
      .regex(/^image\/[a-z0-9.+-]+$/i)
      .refine((v) => ACCEPTED_TYPES.has(v.toLowerCase()))
      .optional(),
    length: z.number().int().nonnegative().optional(),
    width: pixels.optional(),
    height: pixels.optional(),
  })
  .superRefine((value, ctx) => {
    // Each side is held by `pixels`; this is the area, for sides that pass.
    const sides =
      value.width !== undefined && value.height !== undefined && value.width <= LIMITS.imageSide && value.height <= LIMITS.imageSide;
    const tooMany = sides ? oversizedDimensions(value.width!, value.height!) : undefined;
    if (tooMany) ctx.addIssue({ code: "custom", path: ["width"], message: tooMany, params: { found: tooMany } });
  });

function dateField(timeZone: string) {
  return z.union([z.string(), z.date()]).transform((value, ctx) => {
    const result = parseDateValue(value, timeZone);
    if (result.ok) return result.date;
    ctx.addIssue({ code: "custom", message: result.reason, params: { found: result.reason } });
    return z.NEVER;
  });
}

/**
 * The schema of an article's front matter; naive times are read in `timeZone`. Built once per zone and kept (a site
 * has one; tests a few): building it cost a quarter of a millisecond per article parsed, more than using it.
 */
export function frontMatterSchema(timeZone: string): FrontMatterSchema {
  let schema = schemas.get(timeZone);
  if (!schema) {
    if (schemas.size >= 16) schemas.clear();
    schema = buildFrontMatterSchema(timeZone);
    schemas.set(timeZone, schema);
  }
  return schema;
}

type FrontMatterSchema = ReturnType<typeof buildFrontMatterSchema>;
const schemas = new Map<string, FrontMatterSchema>();

function buildFrontMatterSchema(timeZone: string) {
  return z
    .object({
      title: text,
      date: dateField(timeZone),
      updated: dateField(timeZone).optional(),
      slug: z
        .string()
        .transform((value, ctx) => {
          const result = normaliseSlug(value);
          if (result.ok) return result.slug;
          ctx.addIssue({ code: "custom", message: result.found, params: { found: result.found } });
          return z.NEVER;
        })
        .optional(),
      id: z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9+.-]*:\S+$/i)
        .optional(),
      authors: z.union([z.array(text).min(1), text]).optional(),
      author: text.optional(),
      summary: text.optional(),
      section: text.optional(),
      tags: z.union([z.array(text), text]).optional(),
      image: z.union([text, imageObjectSchema]).optional(),
      dateline: text.optional(),
      lang: languageTag.optional(),
      canonical: absoluteHttpUrl.optional(),
      // Normalised and checked against the site's own routes in article.ts (aliases.ts), which knows SITE_URL.
      aliases: z.union([z.array(alias).max(ALIAS_LIMITS.count), alias]).optional(),
      draft: z.boolean().optional(),
      main_feed: z.boolean().optional(),
    })
    .superRefine((value, ctx) => {
      if (value.updated && value.updated.getTime() < value.date.getTime()) {
        const found = "a time before `date`";
        ctx.addIssue({ code: "custom", path: ["updated"], message: found, params: { found } });
      }
      if (value.authors !== undefined && value.author !== undefined) {
        const found = "both `author` and `authors`";
        ctx.addIssue({ code: "custom", path: ["author"], message: found, params: { found } });
      }
    });
}

export type FrontMatter = z.output<FrontMatterSchema>;
export type ImageObject = z.output<typeof imageObjectSchema>;

export const FIELDS = [
  "title",
  "date",
  "updated",
  "slug",
  "id",
  "authors",
  "author",
  "summary",
  "section",
  "tags",
  "image",
  "dateline",
  "lang",
  "canonical",
  "aliases",
  "draft",
  "main_feed",
] as const;

/** What each field must look like, in the words `npm run check` prints. */
export const EXPECTED: Readonly<Record<string, string>> = {
  title: "a non-empty plain-text headline",
  date: DATE_FORMS,
  updated: `${DATE_FORMS}, not before \`date\``,
  slug: `${SLUG_EXPECTED} (default: the file name)`,
  id: "a URI such as tag:news.example.com,2025:baku-visit or urn:uuid:…",
  authors: "a list of keys of authors.yaml or names, e.g. [jane-doe, Reuters]",
  author: "one name or authors.yaml key (use either `author` or `authors`)",
  summary: "non-empty plain text",
  section: "one section name, e.g. News",
  tags: "a list of tag names, e.g. [Iran, Azerbaijan]",
  image:
    "a path /images/… of a file under articles/images/, an absolute http(s) URL, or { src, alt, caption, credit, type, length, width, height }",
  "image.src": "a path /images/… of a file under articles/images/, or an absolute http(s) URL",
  "image.type": `one of ${[...ACCEPTED_TYPES].join(", ")} (the formats feeds may carry; SVG can run script)`,
  "image.length": "the file size in bytes, a whole number",
  "image.width": `a width in pixels, a whole number up to ${LIMITS.imageSide.toLocaleString("en")} (and width × height up to ${LIMITS.imagePixels / 1_000_000} megapixels)`,
  "image.height": `a height in pixels, a whole number up to ${LIMITS.imageSide.toLocaleString("en")} (and width × height up to ${LIMITS.imagePixels / 1_000_000} megapixels)`,
  dateline: "non-empty text, e.g. LONDON, United Kingdom",
  lang: "a BCP 47 language tag, e.g. en, fa, en-GB",
  canonical: "an absolute http(s) URL",
  aliases: `${ALIAS_EXPECTED}; at most ${ALIAS_LIMITS.count}, each at most ${ALIAS_LIMITS.length} characters`,
  draft: "true or false",
  main_feed:
    "true or false (false keeps the article out of the site's main feeds and home page; its section, tag, author and language feeds still carry it)",
};
