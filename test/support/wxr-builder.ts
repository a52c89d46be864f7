// Realistic WordPress export files (WXR 1.2) built in code: authors, categories, posts of every status, attachments, quirks.

export const OLD_SITE = "https://old.thenewregion.example";

export interface WxrAuthor {
  login: string;
  email: string;
  displayName: string;
}

export interface WxrAttachment {
  id: number;
  /** uploads-relative path, e.g. 2024/05/port.jpg */
  file: string;
  alt?: string;
  caption?: string;
  parent?: number;
}

export interface WxrPost {
  id: number;
  title: string;
  /** post_name as WordPress stores it (percent-encoded for non-Latin slugs); empty for drafts. */
  name: string;
  /** Site-local wall-clock time, `YYYY-MM-DD HH:MM:SS`. */
  date: string;
  /** The same instant in UTC, or `0000-00-00 00:00:00` (drafts). */
  dateGmt: string;
  modified?: string;
  modifiedGmt?: string;
  status: "publish" | "future" | "draft" | "pending" | "private" | "trash" | "auto-draft";
  type?: "post" | "page" | "attachment" | "nav_menu_item";
  creator: string;
  content: string;
  excerpt?: string;
  categories?: [nicename: string, name: string][];
  tags?: [nicename: string, name: string][];
  thumbnailId?: number;
  oldSlugs?: string[];
  password?: string;
  /** The guid; default `OLD_SITE/?p=ID`. */
  guid?: string;
  /** The permalink; default from the date and name. */
  link?: string;
  language?: string;
}

const cdata = (text: string): string => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
const esc = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function permalink(post: Pick<WxrPost, "date" | "name" | "id">): string {
  return post.name ? `${OLD_SITE}/${post.date.slice(0, 4)}/${post.date.slice(5, 7)}/${post.name}/` : `${OLD_SITE}/?p=${post.id}`;
}

export function uploadsUrl(file: string): string {
  return `${OLD_SITE}/wp-content/uploads/${file}`;
}

function rfc822(gmt: string): string {
  if (gmt.startsWith("0000")) return "Mon, 30 Nov -0001 00:00:00 +0000";
  return new Date(`${gmt.replace(" ", "T")}Z`).toUTCString().replace("GMT", "+0000");
}

function item(fields: string): string {
  return `\t<item>\n${fields}\t</item>\n`;
}

function postItem(p: WxrPost): string {
  const meta = [
    ...(p.thumbnailId ? [["_thumbnail_id", String(p.thumbnailId)]] : []),
    ...(p.oldSlugs ?? []).map((s) => ["_wp_old_slug", s]),
    ["_edit_last", "1"],
  ];
  return item(
    [
      `\t\t<title>${esc(p.title)}</title>`,
      `\t\t<link>${esc(p.link ?? permalink(p))}</link>`,
      `\t\t<pubDate>${rfc822(p.dateGmt)}</pubDate>`,
      `\t\t<dc:creator>${cdata(p.creator)}</dc:creator>`,
      `\t\t<guid isPermaLink="false">${esc(p.guid ?? `${OLD_SITE}/?p=${p.id}`)}</guid>`,
      "\t\t<description></description>",
      `\t\t<content:encoded>${cdata(p.content)}</content:encoded>`,
      `\t\t<excerpt:encoded>${cdata(p.excerpt ?? "")}</excerpt:encoded>`,
      `\t\t<wp:post_id>${p.id}</wp:post_id>`,
      `\t\t<wp:post_date>${cdata(p.date)}</wp:post_date>`,
      `\t\t<wp:post_date_gmt>${cdata(p.dateGmt)}</wp:post_date_gmt>`,
      `\t\t<wp:post_modified>${cdata(p.modified ?? p.date)}</wp:post_modified>`,
      `\t\t<wp:post_modified_gmt>${cdata(p.modifiedGmt ?? p.dateGmt)}</wp:post_modified_gmt>`,
      `\t\t<wp:comment_status>${cdata("open")}</wp:comment_status>`,
      `\t\t<wp:ping_status>${cdata("open")}</wp:ping_status>`,
      `\t\t<wp:post_name>${cdata(p.name)}</wp:post_name>`,
      `\t\t<wp:status>${cdata(p.status)}</wp:status>`,
      "\t\t<wp:post_parent>0</wp:post_parent>",
      "\t\t<wp:menu_order>0</wp:menu_order>",
      `\t\t<wp:post_type>${cdata(p.type ?? "post")}</wp:post_type>`,
      `\t\t<wp:post_password>${cdata(p.password ?? "")}</wp:post_password>`,
      "\t\t<wp:is_sticky>0</wp:is_sticky>",
      ...(p.categories ?? []).map(([n, name]) => `\t\t<category domain="category" nicename="${n}">${cdata(name)}</category>`),
      ...(p.tags ?? []).map(([n, name]) => `\t\t<category domain="post_tag" nicename="${n}">${cdata(name)}</category>`),
      ...(p.language ? [`\t\t<category domain="language" nicename="${p.language}">${cdata(p.language)}</category>`] : []),
      ...meta.map(
        ([k, v]) =>
          `\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>${cdata(k!)}</wp:meta_key>\n\t\t\t<wp:meta_value>${cdata(v!)}</wp:meta_value>\n\t\t</wp:postmeta>`,
      ),
      `\t\t<wp:comment>\n\t\t\t<wp:comment_id>${p.id * 10}</wp:comment_id>\n\t\t\t<wp:comment_content>${cdata("A reader's comment.")}</wp:comment_content>\n\t\t</wp:comment>`,
      "",
    ].join("\n"),
  );
}

function attachmentItem(a: WxrAttachment): string {
  return item(
    [
      `\t\t<title>${esc(a.file.split("/").pop()!)}</title>`,
      `\t\t<link>${OLD_SITE}/?attachment_id=${a.id}</link>`,
      `\t\t<guid isPermaLink="false">${uploadsUrl(a.file)}</guid>`,
      `\t\t<excerpt:encoded>${cdata(a.caption ?? "")}</excerpt:encoded>`,
      `\t\t<content:encoded>${cdata("")}</content:encoded>`,
      `\t\t<wp:post_id>${a.id}</wp:post_id>`,
      `\t\t<wp:post_date>${cdata("2024-01-01 00:00:00")}</wp:post_date>`,
      `\t\t<wp:post_date_gmt>${cdata("2024-01-01 00:00:00")}</wp:post_date_gmt>`,
      `\t\t<wp:status>${cdata("inherit")}</wp:status>`,
      `\t\t<wp:post_parent>${a.parent ?? 0}</wp:post_parent>`,
      `\t\t<wp:post_type>${cdata("attachment")}</wp:post_type>`,
      `\t\t<wp:attachment_url>${cdata(uploadsUrl(a.file))}</wp:attachment_url>`,
      `\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>${cdata("_wp_attached_file")}</wp:meta_key>\n\t\t\t<wp:meta_value>${cdata(a.file)}</wp:meta_value>\n\t\t</wp:postmeta>`,
      ...(a.alt
        ? [
            `\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>${cdata("_wp_attachment_image_alt")}</wp:meta_key>\n\t\t\t<wp:meta_value>${cdata(a.alt)}</wp:meta_value>\n\t\t</wp:postmeta>`,
          ]
        : []),
      "",
    ].join("\n"),
  );
}

/** A WXR 1.2 document as WordPress's Tools → Export writes it (attachments after the posts that use them, as is common). */
export function buildWxr(
  site: { title: string; language: string },
  authors: readonly WxrAuthor[],
  posts: readonly WxrPost[],
  attachments: readonly WxrAttachment[],
): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>${esc(site.title)}</title>
\t<link>${OLD_SITE}</link>
\t<description>News from the region</description>
\t<pubDate>Mon, 06 Jan 2025 10:00:00 +0000</pubDate>
\t<language>${site.language}</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>${OLD_SITE}</wp:base_site_url>
\t<wp:base_blog_url>${OLD_SITE}</wp:base_blog_url>
${authors
  .map(
    (a, i) =>
      `\t<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(a.login)}</wp:author_login><wp:author_email>${cdata(a.email)}</wp:author_email><wp:author_display_name>${cdata(a.displayName)}</wp:author_display_name><wp:author_first_name>${cdata("")}</wp:author_first_name><wp:author_last_name>${cdata("")}</wp:author_last_name></wp:author>`,
  )
  .join("\n")}
\t<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>${cdata("uncategorized")}</wp:category_nicename><wp:category_parent>${cdata("")}</wp:category_parent><wp:cat_name>${cdata("Uncategorized")}</wp:cat_name></wp:category>
\t<generator>https://wordpress.org/?v=6.5</generator>
${posts.map(postItem).join("")}${attachments.map(attachmentItem).join("")}</channel>
</rss>
`;
}
