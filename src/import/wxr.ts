// A WordPress export file (WXR, the RSS 2.0 document Tools → Export writes): posts, authors, attachments, featured images.
import type { SourceAuthor, SourceDocument, SourceImage, SourcePost, SourceTime } from "./model.ts";
import { childOf, childrenOf, readXml, textOf, type XmlElement } from "./xml-reader.ts";

// WXR 1.0–1.2 put WordPress's fields in http://wordpress.org/export/1.x/ and the excerpt in …/1.x/excerpt/.
const isWp = (ns: string): boolean => /^https?:\/\/wordpress\.org\/export\/[\d.]+\/$/.test(ns);
const isExcerpt = (ns: string): boolean => /^https?:\/\/wordpress\.org\/export\/[\d.]+\/excerpt\/$/.test(ns);
const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";
const DC_NS = "http://purl.org/dc/elements/1.1/";

const wp = (el: XmlElement | undefined, name: string): string => textOf(childOf(el, name, isWp)).trim();

/**
 * Reads a WXR document. Posts of type `post` become posts (published, scheduled = `future`, drafts and pending as
 * drafts; private and password-protected ones as drafts, with the reason); attachments are indexed for featured images
 * and galleries; other types (pages, menus, revisions) and trashed or auto-draft posts are counted as skipped.
 */
export async function readWxr(input: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<SourceDocument> {
  const items: XmlElement[] = [];
  const { root, recovered } = await readXml(chunks, { records: new Set(["item"]), onRecord: (item) => items.push(item) });
  const channel = childOf(root, "channel");
  const siteUrl = wp(channel, "base_blog_url") || wp(channel, "base_site_url") || textOf(childOf(channel, "link")).trim() || undefined;
  const language = textOf(childOf(channel, "language")).trim() || undefined;

  const authors = new Map<string, SourceAuthor>();
  for (const el of childrenOf(channel, "author", isWp)) {
    const login = wp(el, "author_login");
    if (!login) continue;
    const full = [wp(el, "author_first_name"), wp(el, "author_last_name")].filter(Boolean).join(" ");
    authors.set(login, { handle: login, name: wp(el, "author_display_name") || full || login, email: wp(el, "author_email") || undefined });
  }

  const attachments = new Map<string, SourceImage>();
  const childrenByParent = new Map<string, string[]>();
  for (const item of items) {
    if (wp(item, "post_type") !== "attachment") continue;
    const id = wp(item, "post_id");
    const url = wp(item, "attachment_url");
    if (!id || !url) continue;
    const meta = readMeta(item);
    attachments.set(id, {
      url,
      alt: meta.get("_wp_attachment_image_alt")?.[0]?.trim() || undefined,
      caption: textOf(childOf(item, "encoded", isExcerpt)).trim() || undefined,
      uploadsPath: meta.get("_wp_attached_file")?.[0]?.trim() || undefined,
    });
    const parent = wp(item, "post_parent");
    if (parent && parent !== "0") childrenByParent.set(parent, [...(childrenByParent.get(parent) ?? []), id]);
  }

  const posts: SourcePost[] = [];
  const skipped: Record<string, number> = {};
  const skip = (what: string): void => {
    skipped[what] = (skipped[what] ?? 0) + 1;
  };
  for (const [index, item] of items.entries()) {
    const type = wp(item, "post_type") || "post";
    if (type === "attachment") continue;
    if (type !== "post") {
      skip(type === "page" ? "pages" : `${type} items`);
      continue;
    }
    const status = wp(item, "status");
    if (status === "trash" || status === "auto-draft" || status === "inherit") {
      skip(`${status} posts`);
      continue;
    }
    const postId = wp(item, "post_id");
    const meta = readMeta(item);
    const link = textOf(childOf(item, "link")).trim() || undefined;
    const slug = decodeSlug(wp(item, "post_name"));
    const categories = childrenOf(item, "category").filter((c) => (c.attrs.domain ?? "category") === "category");
    const sections = categories.filter((c) => c.attrs.nicename !== "uncategorized").map((c) => textOf(c).trim());
    // Polylang files each post's language as a term of its `language` taxonomy.
    const itemLanguage = childrenOf(item, "category").find((c) => c.attrs.domain === "language")?.attrs.nicename;
    const tags = childrenOf(item, "category")
      .filter((c) => c.attrs.domain === "post_tag")
      .map((c) => textOf(c).trim());
    const creator = textOf(childOf(item, "creator", DC_NS)).trim();
    const thumbnail = meta.get("_thumbnail_id")?.[0]?.trim();
    const password = wp(item, "post_password");
    const draftReason =
      status === "private"
        ? "a private post in WordPress"
        : password && status !== "draft"
          ? "a password-protected post in WordPress"
          : undefined;
    posts.push({
      input,
      where: `item ${index + 1}${postId ? ` (post ${postId})` : ""}`,
      id: textOf(childOf(item, "guid")).trim() || undefined,
      link,
      oldLinks: [
        ...(link && slug ? (meta.get("_wp_old_slug") ?? []).flatMap((old) => oldPermalink(link, slug, old)) : []),
        // WordPress answers its plain permalink /?p=ID on the blog's home for every post, whatever the permalink setting.
        ...(siteUrl && /^[1-9]\d{0,19}$/.test(postId) ? [`${siteUrl.replace(/\/+$/, "")}/?p=${postId}`] : []),
      ],
      title: textOf(childOf(item, "title")).trim(),
      slug,
      date: wordpressTime(wp(item, "post_date"), wp(item, "post_date_gmt")),
      updated: wordpressTime(wp(item, "post_modified"), wp(item, "post_modified_gmt")),
      status: status === "publish" ? "published" : status === "future" ? "scheduled" : "draft",
      draftReason,
      authors: creator ? [authors.get(creator) ?? { handle: creator, name: creator }] : [],
      section: sections[0],
      // Further categories stay as tags, so nothing the newsroom filed is lost.
      tags: [...sections.slice(1), ...tags],
      summaryHtml: textOf(childOf(item, "encoded", isExcerpt)) || undefined,
      html: textOf(childOf(item, "encoded", CONTENT_NS)),
      bodyKind: "wordpress",
      image: thumbnail ? attachments.get(thumbnail) : undefined,
      lang: itemLanguage,
      attached: postId ? childrenByParent.get(postId) : undefined,
      missingImage:
        thumbnail && !attachments.has(thumbnail) ? `featured image (attachment ${thumbnail}), which is not in the export` : undefined,
    });
  }
  return { kind: "wxr", posts, skipped, recovered, attachments, siteUrl, language };
}

/** `wp:postmeta` key → values. */
function readMeta(item: XmlElement): Map<string, string[]> {
  const meta = new Map<string, string[]>();
  for (const el of childrenOf(item, "postmeta", isWp)) {
    const key = wp(el, "meta_key");
    if (key) meta.set(key, [...(meta.get(key) ?? []), textOf(childOf(el, "meta_value", isWp))]);
  }
  return meta;
}

/** post_name is stored percent-encoded for non-Latin slugs (`%d8%a7…`); the slug is the decoded text. */
function decodeSlug(value: string): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value).normalize("NFC");
  } catch {
    return value;
  }
}

/** The permalink an old slug had: the current one with its slug segment replaced (WordPress redirects these itself). */
function oldPermalink(link: string, slug: string, old: string): string[] {
  const oldSlug = old.trim();
  if (!oldSlug) return [];
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return [];
  }
  const segments = url.pathname.split("/");
  const at = segments.findLastIndex((s) => s !== "" && safeDecode(s) === slug);
  if (at < 0) return [];
  segments[at] = oldSlug;
  url.pathname = segments.join("/");
  return url.search ? [] : [url.href];
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s).normalize("NFC");
  } catch {
    return s;
  }
};

const WP_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * A WordPress time: `post_date` is the site's wall-clock time, `post_date_gmt` the same instant in UTC; their
 * difference is the offset the post was published with. Drafts have no GMT time (`0000-00-00 00:00:00`): their time is
 * the wall-clock one, read later in the site's zone.
 */
export function wordpressTime(local: string, gmt: string): SourceTime | undefined {
  const wall = parseWpTime(local);
  const utc = parseWpTime(gmt);
  if (wall === undefined) return utc === undefined ? undefined : { ms: utc, offset: 0 };
  if (utc === undefined) return { ms: wall, naive: true };
  const offset = Math.round((wall - utc) / 60_000);
  // Real offsets are within ±14 h; anything else is a broken export, and the UTC time is the one to trust.
  if (Math.abs(offset) > 14 * 60) return { ms: utc, offset: 0 };
  return { ms: utc, offset };
}

function parseWpTime(value: string): number | undefined {
  const m = WP_TIME.exec(value);
  if (!m || m[1] === "0000") return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  // Date.UTC rolls 30 February over into March: a time that is not on the calendar is no time.
  const back = new Date(ms);
  if (
    Number.isNaN(ms) ||
    back.getUTCDate() !== Number(m[3]) ||
    back.getUTCHours() !== Number(m[4]) ||
    back.getUTCMinutes() !== Number(m[5])
  )
    return undefined;
  return ms;
}
