// A newsroom's WordPress export with the quirks imports meet: several authors, every status, Persian and Azerbaijani
// text, featured and body images (one missing), captions, galleries, embeds and shortcodes with no equivalent.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { png } from "./image-bytes.ts";
import { buildWxr, type WxrAttachment, type WxrAuthor, type WxrPost } from "./wxr-builder.ts";

export const AUTHORS: WxrAuthor[] = [
  { login: "sara", email: "sara.private@example.com", displayName: "Sara Ahmadi" },
  { login: "leyla.aliyeva", email: "leyla@example.com", displayName: "Leyla Aliyeva" },
  { login: "reza", email: "reza@example.com", displayName: "رضا کریمی" },
];

export const ATTACHMENTS: WxrAttachment[] = [
  { id: 101, file: "2024/05/baku-port.png", alt: "Cranes at the port of Baku", caption: "The port of Alat, south of Baku." },
  { id: 102, file: "2024/05/missing-photo.png", alt: "A photo nobody kept" },
  { id: 103, file: "2024/06/tehran-1.png", alt: "Tehran metro", parent: 2 },
  { id: 104, file: "2024/06/tehran-2.png", alt: "Tehran at night", caption: "شب تهران", parent: 2 },
];

/** The images the uploads folder holds: all but the missing one, and the resized copy WordPress made of the port photo. */
export const UPLOADS: Record<string, Uint8Array> = {
  "2024/05/baku-port.png": png(1200, 800),
  "2024/05/baku-port-300x200.png": png(300, 200),
  "2024/06/tehran-1.png": png(640, 480),
  "2024/06/tehran-2.png": png(640, 427),
};

const persianSlug = encodeURIComponent("مترو-تهران-گسترش-می-یابد").toLowerCase();

export const POSTS: WxrPost[] = [
  {
    id: 1,
    title: "Baku and Tehran agree on a new rail link &#8211; a first",
    name: "baku-tehran-rail-link",
    date: "2024-05-03 09:15:00",
    dateGmt: "2024-05-03 05:45:00",
    modified: "2024-05-04 10:00:00",
    modifiedGmt: "2024-05-04 06:30:00",
    status: "publish",
    creator: "sara",
    excerpt: "The two capitals <em>signed</em> an agreement on Friday &amp; more.",
    categories: [
      ["news", "News"],
      ["business", "Business"],
    ],
    tags: [
      ["iran", "Iran"],
      ["azerbaijan", "Azerbaijan"],
      ["oil-gas", "Oil &amp; Gas"],
    ],
    thumbnailId: 101,
    oldSlugs: ["rail-link-draft-title"],
    content: `The agreement was signed in Baku on Friday.

[caption id="attachment_101" align="aligncenter" width="300"]<img class="size-medium wp-image-101" src="https://old.thenewregion.example/wp-content/uploads/2024/05/baku-port-300x200.png" alt="Cranes at the port" width="300" height="200" srcset="https://old.thenewregion.example/wp-content/uploads/2024/05/baku-port.png 1200w" /> The port of Alat will handle the freight.[/caption]

Officials said the line would open in <strong>2026</strong>.

https://www.youtube.com/watch?v=dQw4w9WgXcQ

[embed]https://twitter.com/newregion/status/123[/embed]

<iframe src="https://www.google.com/maps/embed?pb=1" width="600" height="450"></iframe>

[contact-form-7 id="42" title="Tips"]`,
  },
  {
    id: 2,
    title: "مترو تهران گسترش می‌یابد",
    name: persianSlug,
    date: "2024-06-10 18:30:00",
    dateGmt: "2024-06-10 15:00:00",
    status: "publish",
    creator: "reza",
    language: "fa",
    categories: [["politics", "سیاست"]],
    tags: [["tehran", "تهران"]],
    content: `خط جدید متروی تهران در ماه آینده افتتاح می‌شود.

[gallery ids="103,104"]

به گفته‌ی مسئولان، این خط روزانه صدهزار مسافر خواهد داشت.`,
  },
  {
    id: 3,
    title: "Bakı Enerji Həftəsi başlayır",
    name: "",
    date: "2024-06-01 10:00:00",
    dateGmt: "2024-06-01 06:00:00",
    status: "publish",
    creator: "leyla.aliyeva",
    language: "az",
    categories: [["energy", "Energetika"]],
    content:
      '<!-- wp:paragraph -->\n<p>Bakı Enerji Həftəsi <a href="/2024/05/baku-tehran-rail-link/">bu gün</a> başlayır.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:embed {"url":"https://www.youtube.com/watch?v=xyz"} -->\n<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=xyz\n</div></figure>\n<!-- /wp:embed -->',
  },
  {
    id: 4,
    title: "Caspian summit: what to expect",
    name: "caspian-summit-preview",
    date: "2030-03-01 08:00:00",
    dateGmt: "2030-03-01 04:30:00",
    status: "future",
    creator: "sara",
    categories: [["analysis", "Analysis"]],
    content: "The leaders meet in Aktau.",
  },
  {
    id: 5,
    title: "Draft: sanctions explainer",
    name: "",
    date: "2024-07-01 12:00:00",
    dateGmt: "0000-00-00 00:00:00",
    status: "draft",
    creator: "leyla.aliyeva",
    content: "Notes for the explainer.",
  },
  {
    id: 6,
    title: "Staff only: newsroom rota",
    name: "newsroom-rota",
    date: "2024-07-02 09:00:00",
    dateGmt: "2024-07-02 05:30:00",
    status: "private",
    creator: "sara",
    content: "Who works when.",
  },
  {
    id: 7,
    title: "Photo essay: the Caspian coast",
    name: "caspian-coast-photo-essay",
    date: "2024-05-20 07:00:00",
    dateGmt: "2024-05-20 03:30:00",
    status: "publish",
    creator: "leyla.aliyeva",
    thumbnailId: 102,
    categories: [["culture", "Culture"]],
    content:
      'The coast in pictures.\n\n<img src="https://old.thenewregion.example/wp-content/uploads/2024/05/missing-photo.png" alt="Sea" />',
  },
  {
    id: 8,
    title: "About us",
    name: "about",
    date: "2024-01-01 00:00:00",
    dateGmt: "2023-12-31 20:30:00",
    status: "publish",
    type: "page",
    creator: "sara",
    content: "We are a newsroom.",
  },
  {
    id: 9,
    title: "Deleted story",
    name: "deleted-story",
    date: "2024-02-01 00:00:00",
    dateGmt: "2024-01-31 20:30:00",
    status: "trash",
    creator: "sara",
    content: "Gone.",
  },
  {
    id: 10,
    title: "Morning briefing",
    name: "morning-briefing",
    date: "2024-05-06 07:00:00",
    dateGmt: "2024-05-06 03:30:00",
    status: "publish",
    creator: "sara",
    content: "Monday's news.",
  },
  {
    // WordPress keeps post_name unique, but imports of merged sites do not: the same slug twice.
    id: 11,
    title: "Morning briefing",
    name: "morning-briefing",
    date: "2024-05-07 07:00:00",
    dateGmt: "2024-05-07 03:30:00",
    status: "publish",
    creator: "sara",
    content: "Tuesday's news.",
  },
];

export const WXR_TEXT = buildWxr({ title: "The New Region", language: "en-US" }, AUTHORS, POSTS, ATTACHMENTS);

/** Writes the export and its uploads folder under `dir`; returns their paths. */
export async function writeNewsroomExport(dir: string): Promise<{ wxr: string; uploads: string }> {
  const wxr = join(dir, "thenewregion.WordPress.2025-01-06.xml");
  const uploads = join(dir, "uploads");
  await mkdir(dir, { recursive: true });
  await writeFile(wxr, WXR_TEXT);
  for (const [path, bytes] of Object.entries(UPLOADS)) {
    await mkdir(dirname(join(uploads, path)), { recursive: true });
    await writeFile(join(uploads, path), bytes);
  }
  return { wxr, uploads };
}
