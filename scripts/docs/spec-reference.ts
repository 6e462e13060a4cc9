// The spec field reference of docs/specs.md, written from the JSON Schema itself: the schema is
// what validation enforces and what editors show, so its descriptions are the one place a field's
// meaning, unit, range and default are written. One table per object, in the order a spec reads
// (a shared definition such as `neuron` where it is first used), each row's type from the schema's
// own constraints.

import { headingSlug } from "./markdown-slug.ts";

// The schema is plain JSON of unknown shape: walked with loose types on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Section {
  heading: string;
  /** Where the object sits in a spec, e.g. `training.optimizer`, or every place a definition is used. */
  usedAt: string[];
  description?: string;
  node: Json;
  /** For a kind dispatcher (`layer`, `encoding`): the sections of its kinds. */
  kinds?: Section[];
  /** A shared definition (its uses are listed); an inline object is named by its heading. */
  shared?: boolean;
}

/** Headings of the shared definitions; a definition without one is headed by its name. */
const DEF_TITLES: Record<string, string> = {
  neuron: "Neuron object",
  init: "Init object",
  penalty: "Penalty object",
  encoding: "Encoding object",
  layer: "Layer object",
  tau_distribution: "Per-neuron τ object",
};

const refName = (ref: string) => ref.replace(/^#\/\$defs\//, "");

/** A dispatcher selects a definition by "kind": allOf of if {kind: const} then {$ref}. */
function dispatchedKinds(node: Json): [kind: string, def: string][] | null {
  if (!Array.isArray(node.allOf) || !node.allOf.every((b: Json) => b.if && b.then?.$ref)) return null;
  return node.allOf.map((b: Json) => [b.if.properties.kind.const, refName(b.then.$ref)]);
}

class Walker {
  readonly sections: Section[] = [];
  private readonly defs = new Map<string, Section>();

  constructor(private readonly schema: Json) {}

  object(node: Json, heading: string, usedAt: string, description?: string): Section {
    const section: Section = { heading, usedAt: [usedAt], description, node };
    this.sections.push(section);
    for (const [key, prop] of Object.entries<Json>(node.properties ?? {})) this.child(prop, usedAt === "" ? key : `${usedAt}.${key}`);
    return section;
  }

  private child(prop: Json, path: string): void {
    if (prop.$ref) this.def(refName(prop.$ref), path);
    // A number or an object (a τ: one value or a per-neuron distribution): the object's definition.
    else if (Array.isArray(prop.type) && prop.else?.$ref) this.def(refName(prop.else.$ref), path);
    else if (prop.type === "array" && prop.items?.$ref) this.def(refName(prop.items.$ref), `${path}[]`);
    else if (prop.type === "object" && prop.properties) this.object(prop, `\`${path}\``, path, prop.description);
  }

  /** A shared definition gets one section, where it is first used; later uses are listed in it. */
  def(name: string, path: string): Section {
    const known = this.defs.get(name);
    if (known) {
      if (!known.usedAt.includes(path)) known.usedAt.push(path);
      return known;
    }
    const node = this.schema.$defs[name];
    const heading = DEF_TITLES[name] ?? `\`${name}\``;
    const kinds = dispatchedKinds(node);
    if (!kinds) {
      const section = this.object(node, heading, path, node.description);
      section.shared = true;
      this.defs.set(name, section);
      return section;
    }
    // The dispatcher's own table (its "kind"), then one table per kind, which own their fields.
    const section: Section = { heading, usedAt: [path], description: node.description, node, kinds: [], shared: true };
    this.defs.set(name, section);
    this.sections.push(section);
    for (const [kind, defName] of kinds) {
      const def = this.schema.$defs[defName];
      const kindSection = this.object(def, `${heading}: \`${kind}\``, path, def.description);
      this.defs.set(defName, kindSection);
      section.kinds!.push(kindSection);
    }
    return section;
  }

  /** The anchor of a definition's section, for links from the rows that use it. */
  anchorOf(name: string): { heading: string; slug: string } {
    const s = this.defs.get(name)!;
    return { heading: s.heading, slug: headingSlug(`${s.heading}`) };
  }
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\s*\n\s*/g, " ");
const code = (v: unknown) => `\`${JSON.stringify(v)}\``;

function range(s: Json, integer: boolean): string {
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  const loOpen = s.minimum === undefined && s.exclusiveMinimum !== undefined;
  const hiOpen = s.maximum === undefined && s.exclusiveMaximum !== undefined;
  if (lo !== undefined && hi !== undefined) {
    if (integer && !loOpen && !hiOpen) return ` ${lo} … ${hi}`;
    return ` in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`;
  }
  if (lo !== undefined) return ` ${loOpen ? ">" : "≥"} ${lo}`;
  if (hi !== undefined) return ` ${hiOpen ? "<" : "≤"} ${hi}`;
  return "";
}

function typeOf(s: Json, walker: Walker): string {
  if (s.$ref) {
    const { heading, slug } = walker.anchorOf(refName(s.$ref));
    return `object: [${heading.replace(/`/g, "")}](#${slug})`;
  }
  if (s.const !== undefined) return code(s.const);
  // `"type": [number, object]` with if number then its range else the object's definition.
  if (Array.isArray(s.type) && s.then && s.else?.$ref) return `${typeOf(s.then, walker)}, or ${typeOf(s.else, walker)}`;
  if (s.enum) return `one of ${s.enum.map(code).join(", ")}`;
  switch (s.type) {
    case "integer":
    case "number":
      return `${s.type}${range(s, s.type === "integer")}`;
    case "string":
      return s.pattern ? `string matching \`${s.pattern}\`` : "string";
    case "boolean":
      return "boolean";
    case "array": {
      const n = s.minItems === s.maxItems ? `${s.minItems}` : s.maxItems === undefined ? `≥ ${s.minItems ?? 0}` : `${s.minItems ?? 0} … ${s.maxItems}`;
      return `array of ${n}: ${typeOf(s.items, walker)}`;
    }
    case "object":
      return `object: [${s.__path}](#${headingSlug(`\`${s.__path}\``)})`;
  }
  throw new Error(`the spec reference has no rule for the schema node ${JSON.stringify(s)}`);
}

function table(section: Section, walker: Walker): string[] {
  const node = section.node;
  const required = new Set<string>(node.required ?? []);
  const rows = ["| field | type | required | meaning |", "| --- | --- | --- | --- |"];
  for (const [key, prop] of Object.entries<Json>(node.properties ?? {})) {
    const path = section.usedAt[0] === "" ? key : `${section.usedAt[0]}.${key}`;
    const type = prop.type === "object" && prop.properties ? typeOf({ ...prop, __path: path }, walker) : typeOf(prop, walker);
    rows.push(`| \`${key}\` | ${cell(type)} | ${required.has(key) ? "yes" : ""} | ${cell(prop.description ?? "")} |`);
  }
  return rows;
}

/** The field reference as Markdown: `###` headings (their anchors are GitHub's), one table each. */
export function specReference(schema: Json): string {
  const walker = new Walker(schema);
  walker.object(schema, "Top level", "", undefined);
  const out: string[] = [];
  for (const section of walker.sections) {
    out.push(`### ${section.heading}`, "");
    if (section.shared) out.push(`Used at ${section.usedAt.map((p) => `\`${p}\``).join(", ")}.`, "");
    if (section.description) out.push(cell(section.description), "");
    if (section.kinds) {
      out.push(...table(section, walker), "");
      out.push(`Each kind has its own fields: ${section.kinds.map((k) => `[${k.heading.replace(/`/g, "")}](#${headingSlug(k.heading)})`).join(", ")}.`, "");
      continue;
    }
    out.push(...table(section, walker), "");
  }
  return out.join("\n");
}
