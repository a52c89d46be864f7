// schema.org's published vocabulary, read offline from the `schema-dts` package (Google's TypeScript definitions
// generated from schema.org's vocabulary file), and a checker that every @type in a JSON-LD tree is a schema.org class,
// every property is one that class has (its own or inherited), and every nested node's class is in the property's range.
//
// Known limit: literal values (strings, numbers) are not checked against data-type ranges; schema.org itself asks
// consumers to accept Text where another type is expected, and numbers for ImageObject width/height follow Google's
// examples although the range is Distance or QuantitativeValue.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface Vocabulary {
  /** schema.org class → the interface whose properties it has (its own `…Base`, or its parent's when it adds none). */
  classes: Map<string, string>;
  /** `…Base` interface → parents and properties (property → names of the types in its range). */
  bases: Map<string, { parents: string[]; properties: Map<string, string[]> }>;
  /** Type name → its direct subtypes (the union schema-dts writes for each class). */
  subtypes: Map<string, string[]>;
}

let cached: Vocabulary | undefined;

/** The vocabulary as schema-dts ships it (node_modules/schema-dts/dist/schema.d.ts). */
export function loadSchemaOrg(): Vocabulary {
  if (cached) return cached;
  const file = createRequire(import.meta.url).resolve("schema-dts/dist/schema.d.ts");
  const text = readFileSync(file, "utf8");
  const classes = new Map<string, string>();
  for (const m of text.matchAll(/^export interface (\w+)Leaf extends (\w+) \{\n\s+"@type": "(\w+)";/gm)) classes.set(m[3]!, m[2]!);
  // Role-like classes are generic aliases: `export type XLeaf<…> = Omit<XBase, TProperty> & { "@type": "X"; } …`.
  for (const m of text.matchAll(/^export type (\w+)Leaf<[^>]*> = Omit<(\w+), TProperty> & \{\n\s+"@type": "(\w+)";/gm))
    classes.set(m[3]!, m[2]!);
  const bases = new Map<string, { parents: string[]; properties: Map<string, string[]> }>();
  for (const m of text.matchAll(/^interface (\w+Base) extends ([^{]+)\{\n([\s\S]*?)^\}/gm)) {
    const parents = m[2]!
      .split(",")
      .map((p) => p.trim())
      .filter((p) => /^\w+Base$/.test(p));
    const properties = new Map<string, string[]>();
    for (const p of m[3]!.matchAll(/^ {4}"([^"]+)"\?: SchemaValue<(.+), "\1">;$/gm)) {
      properties.set(
        p[1]!,
        p[2]!.split("|").map((t) => t.trim()),
      );
    }
    bases.set(m[1]!, { parents, properties });
  }
  const subtypes = new Map<string, string[]>();
  for (const m of text.matchAll(/^export type (\w+)(?:<[^\n]*?>)? = ([^;\n]+);$/gm)) {
    subtypes.set(
      m[1]!,
      m[2]!
        .split("|")
        .map((t) => t.trim().replace(/<.*$/, ""))
        .filter((t) => /^\w+$/.test(t) && t !== `${m[1]}Leaf`),
    );
  }
  cached = { classes, bases, subtypes };
  return cached;
}

/** Every property a class has, own and inherited, with its range. */
export function propertiesOf(vocab: Vocabulary, type: string): Map<string, string[]> | undefined {
  const base = vocab.classes.get(type);
  if (!base) return undefined;
  const all = new Map<string, string[]>();
  const visit = (name: string) => {
    const b = vocab.bases.get(name);
    if (!b) return;
    for (const [k, v] of b.properties) if (!all.has(k)) all.set(k, v);
    for (const p of b.parents) visit(p);
  };
  visit(base);
  return all;
}

/** Whether `type` is `range` or one of its subclasses, at any depth. */
export function isSubtype(vocab: Vocabulary, type: string, range: string): boolean {
  if (type === range) return true;
  return (vocab.subtypes.get(range) ?? []).some((sub) => sub !== range && isSubtype(vocab, type, sub));
}

/** Problems with a JSON-LD tree under the schema.org context: unknown classes, properties that do not apply, nodes out of range. */
export function checkJsonLd(vocab: Vocabulary, value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => checkJsonLd(vocab, v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const node = value as Record<string, unknown>;
  const type = node["@type"];
  if (typeof type !== "string") return [`${path}: a node without a single @type`];
  const properties = propertiesOf(vocab, type);
  if (!properties) return [`${path}: "${type}" is not a schema.org class`];
  const problems: string[] = [];
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith("@")) {
      if (!["@context", "@type", "@id"].includes(key)) problems.push(`${path}: unexpected keyword ${key}`);
      continue;
    }
    const range = properties.get(key);
    if (!range) {
      problems.push(`${path}: "${key}" is not a property of ${type}`);
      continue;
    }
    for (const [i, item] of (Array.isArray(child) ? child : [child]).entries()) {
      const at = Array.isArray(child) ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (item && typeof item === "object") {
        const childType = (item as Record<string, unknown>)["@type"];
        // An unknown class is reported once, by the recursive check below.
        if (typeof childType === "string" && vocab.classes.has(childType) && !range.some((r) => isSubtype(vocab, childType, r))) {
          problems.push(`${at}: a ${childType} where ${key} expects ${range.join(" | ")}`);
        }
        problems.push(...checkJsonLd(vocab, item, at));
      }
    }
  }
  return problems;
}
