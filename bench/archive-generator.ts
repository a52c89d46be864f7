// A realistic synthetic archive for benchmarks and tests: N articles of about 800 words with front matter as the
// newsroom writes it (1–3 authors, a section, tags, a lead image), an authors.yaml, and the local lead images.
// Runtime-free (it also runs inside workerd); bench/generate-archive.ts writes it to disk.
//
// The output is deterministic for a given count and seed, so benchmark runs compare like with like.

export interface GeneratedFile {
  /** Relative to the content root, `/`-separated. */
  path: string;
  data: string | Uint8Array;
}

export interface ArchiveOptions {
  count: number;
  seed?: number;
  /** Publication time of the newest article (default 2025-11-01T08:00:00Z); older ones follow at ~45 minute gaps. */
  newest?: Date;
  /** One article in `localImageEvery` has a local JPEG lead image; the others use a CDN URL (default 4). */
  localImageEvery?: number;
  /** `full` (default): about 800 words in 9–11 paragraphs; `short`: a one-paragraph brief of 40–70 words. */
  body?: "full" | "short";
  /** `newest-first` (default) or `oldest-first`: the same files, in the order an importer sends them (see generateArchive). */
  order?: "newest-first" | "oldest-first";
}

/** Bump when the output changes, so cached archives on disk are regenerated. */
export const GENERATOR_VERSION = 1;

/** mulberry32: a small, fast, seedable PRNG; quality is ample for picking words. Its whole state is one number. */
function prng(seed: number): { next(): number; state(): number } {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => a,
  };
}

const WORDS = (
  "the a of and to in on for with as by at from that this which its their government minister talks region border " +
  "pipeline corridor trade energy gas oil rail port sea caspian baku tehran tbilisi yerevan ashgabat aktau officials " +
  "said would could after before during while since despite agreement deal sanctions exports imports market prices " +
  "growth investment projects infrastructure railway freight shipping route routes transit tariffs customs security " +
  "election parliament opposition president prime foreign ministry spokesman analysts diplomats delegation summit " +
  "meeting week month year years people residents villages cities towns farmers workers companies banks currency " +
  "inflation budget reform reforms plan plans strategy cooperation tensions ceasefire negotiations peace treaty " +
  "water drought harvest climate weather earthquake floods power grid electricity solar wind capacity output " +
  "production reserves field fields offshore onshore terminal tankers cargo containers ferry bridge highway new " +
  "old first second last next major minor key broader regional national local international european russian " +
  "iranian azerbaijani armenian georgian turkish kazakh turkmen chinese indian western eastern northern southern " +
  "report reports data figures percent million billion dollars manat rial lari dram tenge is are was were has have " +
  "had will may might also more than most less about around into over under between among against without " +
  "however meanwhile still already only even now then again further"
).split(/\s+/);

const SECTIONS: readonly (readonly [string, number])[] = [
  ["News", 40],
  ["Analysis", 15],
  ["Business", 12],
  ["Energy", 10],
  ["Opinion", 8],
  ["Culture", 6],
  ["Sport", 5],
  ["Science", 4],
];

const TAG_ROOTS = [
  "Iran",
  "Azerbaijan",
  "Armenia",
  "Georgia",
  "Turkey",
  "Russia",
  "Kazakhstan",
  "Turkmenistan",
  "Caspian Sea",
  "South Caucasus",
  "INSTC",
  "Diplomacy",
  "Trade",
  "Energy",
  "Oil",
  "Gas",
  "Rail",
  "Shipping",
  "Elections",
  "Sanctions",
  "Climate",
  "Water",
  "Agriculture",
  "Banking",
  "Currency",
  "Security",
  "Borders",
  "Tourism",
  "Football",
  "Wrestling",
  "Film",
  "Music",
  "Heritage",
  "Education",
  "Health",
  "Technology",
  "Space",
  "Archaeology",
  "Media",
  "Law",
];
/** 200 tags: the roots, and the roots qualified by a year, as desks tend to tag recurring stories. */
const TAGS = [...TAG_ROOTS, ...[2021, 2022, 2023, 2024].flatMap((y) => TAG_ROOTS.map((t) => `${t} ${y}`))];

const FIRST = ["Sara", "James", "Leila", "Arman", "Nino", "Elnur", "Ayla", "Davit", "Maryam", "Timur", "Anna", "Reza"];
const LAST = ["Ahmadi", "Okafor", "Hosseini", "Petrosyan", "Beridze", "Aliyev", "Karimova", "Sargsyan", "Rahimi", "Nurlanov"];
const WIRES = ["Reuters", "AFP", "AP", "Trend", "Interfax"];
const DATELINES = [
  "BAKU, Azerbaijan",
  "TEHRAN, Iran",
  "TBILISI, Georgia",
  "YEREVAN, Armenia",
  "ALMATY, Kazakhstan",
  "LONDON, United Kingdom",
];

const AUTHOR_COUNT = 40;

function authorKey(i: number): string {
  return `${FIRST[i % FIRST.length]!}-${LAST[Math.floor(i / FIRST.length) % LAST.length]!}-${i}`.toLowerCase();
}

function authorsYaml(): string {
  let out = "# Generated by bench/generate-archive.ts\n";
  for (let i = 0; i < AUTHOR_COUNT; i++) {
    const name = `${FIRST[i % FIRST.length]!} ${LAST[Math.floor(i / FIRST.length) % LAST.length]!}`;
    out += `${authorKey(i)}:\n  name: ${name}\n`;
    if (i % 2 === 0) out += `  email: ${authorKey(i)}@example.com\n`;
    if (i % 3 === 0) out += `  url: https://example.com/people/${authorKey(i)}\n`;
  }
  return out;
}

/** A baseline JPEG whose header carries the given size, padded with comment segments to about `bytes` bytes. */
export function syntheticJpeg(width: number, height: number, bytes: number, rand: () => number): Uint8Array {
  const parts: number[] = [
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ];
  let left = Math.max(0, bytes - 40);
  while (left > 4) {
    const n = Math.min(left - 4, 65000);
    parts.push(0xff, 0xfe, ((n + 2) >> 8) & 0xff, (n + 2) & 0xff);
    for (let i = 0; i < n; i++) parts.push(0x20 + Math.floor(rand() * 90));
    left -= n + 4;
  }
  parts.push(0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03);
  parts.push(0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9);
  return Uint8Array.from(parts);
}

const pad = (n: number): string => String(n).padStart(2, "0");

/** The PRNG's whole state and the clock: enough to resume generating at any article. */
interface Cursor {
  seed: number;
  time: number;
}

/** Articles per resumable chunk when generating oldest first: a chunk is generated whole, then yielded backwards. */
const CHUNK = 1000;

/**
 * The archive's files, generated lazily so that a million articles never sit in memory at once. Newest first (the
 * default) yields authors.yaml, then each article followed by its local image; oldest first yields the same files with
 * each image before its article, from the oldest article on (what an importer sends: an image before the article that
 * uses it, and every article at the newest end of its lists). Oldest first generates everything twice: once to find
 * where each chunk of articles starts, once to yield the chunks backwards.
 */
export function* generateArchive(options: ArchiveOptions): Generator<GeneratedFile> {
  const { count, seed = 1, newest = new Date("2025-11-01T08:00:00Z") } = options;
  yield { path: "authors.yaml", data: authorsYaml() };
  const cursor: Cursor = { seed: seed >>> 0, time: newest.getTime() };
  if (options.order !== "oldest-first") {
    for (let i = 0; i < count; i++) yield* generateArticle(i, cursor, options);
    return;
  }
  const starts: Cursor[] = [];
  for (let i = 0; i < count; i++) {
    if (i % CHUNK === 0) starts.push({ ...cursor });
    generateArticle(i, cursor, options);
  }
  for (let chunk = starts.length - 1; chunk >= 0; chunk--) {
    const at = { ...starts[chunk]! };
    const articles: GeneratedFile[][] = [];
    for (let i = chunk * CHUNK; i < Math.min(count, (chunk + 1) * CHUNK); i++) articles.push(generateArticle(i, at, options));
    for (let k = articles.length - 1; k >= 0; k--) yield* articles[k]!.reverse();
  }
}

/** Article `i` (0 is the newest) and its local image, if any, drawn from `cursor`, which moves past them. */
function generateArticle(i: number, cursor: Cursor, options: ArchiveOptions): GeneratedFile[] {
  const { localImageEvery = 4, body: length = "full" } = options;
  const random = prng(cursor.seed);
  const rand = (): number => {
    const r = random.next();
    cursor.seed = random.state();
    return r;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const between = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const sentence = (min: number, max: number): string => {
    const n = between(min, max);
    const words: string[] = [];
    for (let w = 0; w < n; w++) words.push(pick(WORDS));
    const s = words.join(" ");
    return s[0]!.toUpperCase() + s.slice(1) + ".";
  };
  const sectionTotal = SECTIONS.reduce((sum, [, w]) => sum + w, 0);
  const pickSection = (): string => {
    let r = rand() * sectionTotal;
    for (const [name, weight] of SECTIONS) {
      r -= weight;
      if (r < 0) return name;
    }
    return SECTIONS[0]![0];
  };

  const published = new Date(cursor.time);
  cursor.time -= between(5, 85) * 60_000;
  const titleWords = sentence(6, 12).slice(0, -1);
  const slug = `${titleWords
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 60)
    .replace(/-+$/, "")}-${i}`;
  const y = published.getUTCFullYear();
  const m = pad(published.getUTCMonth() + 1);
  const iso = `${y}-${m}-${pad(published.getUTCDate())}T${pad(published.getUTCHours())}:${pad(published.getUTCMinutes())}:00Z`;

  const authorCount = between(1, 3);
  const authors = new Set<string>();
  while (authors.size < authorCount) authors.add(rand() < 0.1 ? pick(WIRES) : authorKey(between(0, AUTHOR_COUNT - 1)));
  const tags = new Set<string>();
  const tagCount = between(2, 5);
  while (tags.size < tagCount) tags.add(pick(TAGS));

  const width = pick([1200, 1600, 2048]);
  const height = Math.round((width * pick([9, 10, 12])) / 16);
  const local = i % localImageEvery === 0;
  const imagePath = `images/${y}/${m}/${slug}.jpg`;
  const imageLength = between(90_000, 400_000);

  let fm = "---\n";
  fm += `title: ${JSON.stringify(titleWords)}\n`;
  fm += `date: ${iso}\n`;
  if (rand() < 0.2) fm += `updated: ${new Date(published.getTime() + between(1, 48) * 3_600_000).toISOString()}\n`;
  fm += `section: ${pickSection()}\n`;
  fm += `authors:\n${[...authors].map((a) => `  - ${a}\n`).join("")}`;
  if (rand() < 0.6) fm += `summary: ${JSON.stringify(sentence(25, 40))}\n`;
  if (rand() < 0.5) fm += `dateline: ${JSON.stringify(pick(DATELINES))}\n`;
  fm += "image:\n";
  if (local) {
    fm += `  src: /${imagePath}\n`;
  } else {
    fm += `  src: https://cdn.example.com/${imagePath}\n  type: image/jpeg\n  length: ${imageLength}\n  width: ${width}\n  height: ${height}\n`;
  }
  fm += `  alt: ${JSON.stringify(sentence(8, 16).slice(0, -1))}\n`;
  fm += `  caption: ${JSON.stringify(sentence(12, 24))}\n`;
  fm += `  credit: ${JSON.stringify(`Photo: ${pick(WIRES)}`)}\n`;
  fm += `tags:\n${[...tags].map((t) => `  - ${t}\n`).join("")}`;
  fm += "---\n\n";

  let body = "";
  if (length === "short") {
    // A brief: one paragraph of three or four sentences (about 40–70 words) and no subheadings.
    const sentences = between(3, 4);
    for (let s = 0; s < sentences; s++) body += (s ? " " : "") + sentence(12, 18);
    body += "\n";
  } else {
    // About 800 words: 9–11 paragraphs of 3–5 sentences, two subheadings, a link and sometimes a quote or a list.
    let words = 0;
    let paragraph = 0;
    while (words < 800) {
      if (paragraph === 3 || paragraph === 7) body += `## ${sentence(3, 6).slice(0, -1)}\n\n`;
      let p = "";
      const sentences = between(3, 5);
      for (let s = 0; s < sentences; s++) p += (s ? " " : "") + sentence(12, 24);
      if (paragraph === 1) p += ` As [we reported earlier](/articles/${slug}-background), ${sentence(6, 10).toLowerCase()}`;
      if (paragraph === 5 && rand() < 0.5) p = `> ${p}`;
      if (paragraph === 6 && rand() < 0.3) p = [1, 2, 3].map(() => `- ${sentence(5, 10)}`).join("\n");
      words += p.split(/\s+/).length;
      body += p + "\n\n";
      paragraph++;
    }
  }

  const files: GeneratedFile[] = [{ path: `${y}/${m}/${slug}.md`, data: fm + body }];
  if (local) files.push({ path: imagePath, data: syntheticJpeg(width, height, 2_000, rand) });
  return files;
}
