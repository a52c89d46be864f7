// A generated WordPress export of a few hundred posts with the quirks of real ones, deterministic for a given size.
import { png } from "./image-bytes.ts";
import { buildWxr, uploadsUrl, type WxrAttachment, type WxrAuthor, type WxrPost } from "./wxr-builder.ts";

export interface GeneratedExport {
  wxr: string;
  /** uploads-relative path → bytes (all attachments but the ones left missing on purpose). */
  uploads: Record<string, Uint8Array>;
  posts: WxrPost[];
}

const AUTHORS: WxrAuthor[] = [
  { login: "sara", email: "sara@example.com", displayName: "Sara Ahmadi" },
  { login: "leyla", email: "leyla@example.com", displayName: "Leyla Aliyeva" },
  { login: "reza", email: "reza@example.com", displayName: "رضا کریمی" },
  { login: "john.smith@example.com", email: "john.smith@example.com", displayName: "John Smith" },
  { login: "desk", email: "desk@example.com", displayName: "" },
  { login: "nigar", email: "nigar@example.com", displayName: "Nigar Məmmədova" },
];

const TITLES = [
  "Caspian ministers meet in Baku",
  "Tehran's new metro line opens",
  "مذاکرات خط لوله از سر گرفته شد",
  "Bakı limanında yeni terminal",
  "Analysis: what the rail link means",
  "Q&A: the INSTC explained",
  "Live updates: election day",
  "<Breaking> Oil prices rise",
];

const CATEGORIES: [string, string][] = [
  ["news", "News"],
  ["business", "Business"],
  ["analysis", "Analysis"],
  ["siyasat", "سیاست"],
  ["iqtisadiyyat", "İqtisadiyyat"],
];

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** `count` posts from 2023 on, one every ~29 hours; every 10th post has an image missing, every 25th is a draft, … */
export function generateExport(count: number, seed = 20): GeneratedExport {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const posts: WxrPost[] = [];
  const attachments: WxrAttachment[] = [];
  const uploads: Record<string, Uint8Array> = {};
  const image = (id: number, month: string, missing: boolean): WxrAttachment => {
    const file = `${month}/photo-${id}.png`;
    const attachment = { id, file, alt: `Photo ${id}`, caption: id % 3 === 0 ? `Caption ${id}` : undefined };
    attachments.push(attachment);
    if (!missing) uploads[file] = png(40 + (id % 7), 30);
    return attachment;
  };
  for (let i = 1; i <= count; i++) {
    const id = i * 10;
    const when = new Date(Date.UTC(2023, 0, 1) + i * 29 * 3_600_000);
    // The site is in Tehran (+03:30): its wall clock is what post_date holds.
    const local = new Date(when.getTime() + 210 * 60_000);
    const stamp = (d: Date) =>
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
    const month = `${local.getUTCFullYear()}/${pad(local.getUTCMonth() + 1)}`;
    const title = `${pick(TITLES)} (${i})`;
    // The last post is the scheduled one, whatever the size.
    const status: WxrPost["status"] = i === count ? "future" : i % 25 === 0 ? "draft" : i % 40 === 0 ? "private" : "publish";
    const latin = /^[\x20-\x7e]+$/.test(title);
    // Duplicate slugs (every 30th post reuses its predecessor's), non-Latin slugs percent-encoded as WordPress stores them.
    const base = i % 30 === 0 ? `story-${i - 1}` : latin ? `story-${i}` : encodeURIComponent(`خبر-${i}`).toLowerCase();
    const featured = i % 2 === 0 ? image(id + 1, month, i % 10 === 0) : undefined;
    const inline = i % 3 === 0 ? image(id + 2, month, false) : undefined;
    const content = [
      `First paragraph of post ${i}, with <strong>bold</strong> text & an ampersand.`,
      inline
        ? `[caption id="attachment_${inline.id}" align="alignnone" width="40"]<img class="wp-image-${inline.id}" src="${uploadsUrl(inline.file)}" alt="${inline.alt}" width="40" height="30" /> ${inline.caption ?? "A caption"}[/caption]`
        : "",
      i % 7 === 0 ? "https://www.youtube.com/watch?v=abc" : "",
      i % 11 === 0 ? `[gallery ids="${id + 1},${id + 2}"]` : "",
      i % 13 === 0 ? '[contact-form-7 id="1"]' : "",
      "Second paragraph.\nWith a line break.",
    ]
      .filter(Boolean)
      .join("\n\n");
    posts.push({
      id,
      title,
      name: status === "draft" ? "" : base,
      date: stamp(local),
      dateGmt: status === "draft" ? "0000-00-00 00:00:00" : stamp(when),
      status,
      creator: pick(AUTHORS).login,
      content,
      excerpt: i % 4 === 0 ? `Excerpt of <em>post</em> ${i}.` : undefined,
      categories: i % 5 === 0 ? [] : [pick(CATEGORIES), ...(i % 6 === 0 ? [pick(CATEGORIES)] : [])],
      tags:
        i % 2
          ? [
              ["caspian", "Caspian"],
              [`tag-${i % 9}`, `Tag ${i % 9}`],
            ]
          : [],
      thumbnailId: featured?.id ?? (i % 17 === 0 ? 999_999 : undefined),
      oldSlugs: i % 8 === 0 ? [`old-${base}`] : undefined,
    });
  }
  // A future post is scheduled a year past the last.
  const last = posts.at(-1)!;
  if (last.status === "future") {
    last.date = `2099-${last.date.slice(5)}`;
    last.dateGmt = `2099-${last.dateGmt.slice(5)}`;
  }
  posts.push({ ...posts[0]!, id: 5, type: "page", title: "About", name: "about" });
  return { wxr: buildWxr({ title: "The New Region", language: "en-US" }, AUTHORS, posts, attachments), uploads, posts };
}
