/**
 * What `pulumi preview --diff` prints for the RolesAndGrants resource, rendered from its old and new inputs by
 * following the CLI's display code, so that a test can assert what a reviewer reads in a pull request.
 */
/**
 * What a reviewer reads in `pulumi preview --diff` (and the PR comment) for this resource's update: the lines the CLI
 * prints below `~ pulumi-nodejs:dynamic:Resource: (update)` and its `[id=...]`/`[urn=...]`, without colours. With no
 * detailed diff from the provider the CLI diffs the old and new inputs (getResourcePropertiesDetails and
 * printOldNewDiffs in pulumi/pulumi pkg/backend/display/object_diff.go; the diff itself is PropertyMap.Diff in
 * sdk/go/common/resource/properties_diff.go) and prints every key sorted, padded to the longest: unchanged values
 * unmarked, `+`/`-`/`~` for added, removed and changed ones, maps and arrays entry by entry. This follows that code
 * for the values these inputs hold; a changed multi-line string (printLineDiff) is not rendered. Properties sit at
 * indent 2: the resource is shown under the stack (getIndent) and its properties one level deeper.
 * No difference: the engine records a same step and prints nothing.
 */
export function reviewerDiff(olds: object, news: object): string[] {
    const diff = diffObjects(propertyMap(olds), propertyMap(news));
    if (!diff) return [];
    const out: string[] = [];
    new Printer(out, 2, "update", true).objectDiff(diff);
    return out.join("").split("\n").slice(0, -1);
}

/** A secret input as the engine holds it: its value compares, the CLI prints `[secret]`. */
class Secret {
    constructor(readonly value: Value) {}
}
type Value = null | boolean | number | string | Secret | Value[] | { [key: string]: Value };
type Properties = { [key: string]: Value };
interface ObjectDiff {
    adds: Properties;
    deletes: Properties;
    sames: Properties;
    updates: Record<string, ValueDiff>;
}
interface ValueDiff {
    old: Value;
    new: Value;
    array?: { adds: Map<number, Value>; deletes: Map<number, Value>; sames: Map<number, Value>; updates: Map<number, ValueDiff>; length: number };
    object?: ObjectDiff;
}

// RolesAndGrants wraps these in pulumi.secret; undefined values never reach the engine.
const SECRET_INPUTS = ["adminUrl", "authenticatorPassword", "standbyPassword"];
// What an unknown value (an output not resolved at preview) looks like in the provider protocol: the CLI prints [unknown].
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function propertyMap(inputs: object): Properties {
    const plain = JSON.parse(JSON.stringify(inputs)) as Properties;
    for (const key of SECRET_INPUTS) if (key in plain) plain[key] = new Secret(plain[key]);
    return plain;
}

const isObject = (v: Value): v is Properties => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Secret);
const isPrimitive = (v: Value) => !Array.isArray(v) && !isObject(v);
const isText = (v: Value): v is string => typeof v === "string" && v !== UNKNOWN;
// Keys starting with "__" are the engine's (IsInternalPropertyKey), never diffed nor printed.
const internal = (key: string) => key.startsWith("__");
const sortedKeys = (props: object) => Object.keys(props).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function deepEquals(a: Value, b: Value): boolean {
    if (a instanceof Secret || b instanceof Secret) return a instanceof Secret && b instanceof Secret && deepEquals(a.value, b.value);
    if (Array.isArray(a) || Array.isArray(b))
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEquals(v, b[i]));
    if (isObject(a) || isObject(b)) return isObject(a) && isObject(b) && !diffObjects(a, b);
    return a === b;
}

function diffObjects(olds: Properties, news: Properties): ObjectDiff | undefined {
    const diff: ObjectDiff = { adds: {}, deletes: {}, sames: {}, updates: {} };
    for (const [key, old] of Object.entries(olds)) {
        if (internal(key)) continue;
        if (!(key in news)) {
            if (old !== null) diff.deletes[key] = old;
            continue;
        }
        const change = diffValues(old, news[key]);
        if (!change) diff.sames[key] = old;
        else if (old === null) diff.adds[key] = news[key];
        else if (news[key] === null) diff.deletes[key] = old;
        else diff.updates[key] = change;
    }
    for (const [key, value] of Object.entries(news)) if (!internal(key) && !(key in olds) && value !== null) diff.adds[key] = value;
    const changed = Object.keys(diff.adds).length + Object.keys(diff.deletes).length + Object.keys(diff.updates).length > 0;
    return changed ? diff : undefined;
}

function diffValues(old: Value, value: Value): ValueDiff | undefined {
    if (Array.isArray(old) && Array.isArray(value)) {
        const array = { adds: new Map(), deletes: new Map(), sames: new Map(), updates: new Map(), length: Math.max(old.length, value.length) };
        for (let i = 0; i < array.length; i++) {
            const change = i < old.length && i < value.length ? diffValues(old[i], value[i]) : undefined;
            if (i >= old.length) array.adds.set(i, value[i]);
            else if (i >= value.length) array.deletes.set(i, old[i]);
            else if (change) array.updates.set(i, change);
            else array.sames.set(i, old[i]);
        }
        return array.adds.size + array.deletes.size + array.updates.size > 0 ? { old, new: value, array } : undefined;
    }
    if (isObject(old) && isObject(value)) {
        const object = diffObjects(old, value);
        return object && { old, new: value, object };
    }
    return deepEquals(old, value) ? undefined : { old, new: value };
}

/** Empty values are left out of a listing (shouldPrintPropertyValue). */
function worthPrinting(v: Value): boolean {
    return !(v === null || v === "" || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0));
}

/** The CLI's default: a string over three lines or 150 characters is cut (truncatePropertyString; --show-full-output turns it off). */
function truncated(text: string): string {
    const lines = text.split("\n");
    let cut = lines.length > 3;
    const kept = lines.slice(0, 3).map((line) => (line.length > 150 ? ((cut = true), `${line.slice(0, 150)}...`) : line));
    if (!cut) return text;
    return lines.length <= 3 ? kept.join("\n") : `${kept.join("\n")}\n...`;
}

/** A string holding a JSON object or array is printed decoded, as `(json) {...}` (decodeValue). */
function decodedJson(text: string): Value | undefined {
    try {
        const value = JSON.parse(text.trim()) as Value;
        return typeof value === "object" && value !== null ? value : undefined;
    } catch {
        return undefined;
    }
}

// deploy.RawPrefix: the marker that replaces the last two spaces of a prefixed line's indentation.
type Op = "same" | "create" | "delete" | "update";
const MARKER: Record<Op, string> = { same: "  ", create: "+ ", delete: "- ", update: "~ " };

/** propertyPrinter in object_diff.go: each method is the one of the same name there. */
class Printer {
    constructor(
        private readonly out: string[],
        private readonly indent: number,
        private readonly op: Op,
        private readonly prefix: boolean,
    ) {}

    private with(changes: { indent?: number; op?: Op; prefix?: boolean }): Printer {
        return new Printer(this.out, changes.indent ?? this.indent, changes.op ?? this.op, changes.prefix ?? this.prefix);
    }
    private indented(by: number): Printer {
        return this.with({ indent: this.indent + by });
    }
    private write(text: string): void {
        this.out.push(text);
    }
    private writeIndented(text: string): void {
        const spaces = "    ".repeat(this.indent);
        this.write((this.prefix ? spaces.slice(0, -2) + MARKER[this.op] : spaces) + text);
    }
    private writeUnprefixedIndented(text: string): void {
        this.write("    ".repeat(this.indent) + text);
    }
    private title(name: string, align: number): void {
        this.writeIndented(`${truncated(name).padEnd(align)}: `);
    }

    objectDiff(diff: ObjectDiff): void {
        const keys = sortedKeys({ ...diff.adds, ...diff.deletes, ...diff.sames, ...diff.updates });
        const align = Math.max(0, ...keys.map((k) => k.length));
        for (const key of keys) {
            const title = (p: Printer) => p.title(key, align);
            if (key in diff.adds) this.add(diff.adds[key], title);
            else if (key in diff.deletes) this.delete(diff.deletes[key], title);
            else if (key in diff.updates) this.valueDiff(title, diff.updates[key]);
            else if (worthPrinting(diff.sames[key])) {
                const same = this.with({ op: "same", prefix: false });
                same.title(key, align);
                same.value(diff.sames[key]);
            }
        }
    }

    private add(v: Value, title: (p: Printer) => void): void {
        const p = this.with({ op: "create", prefix: true });
        title(p);
        p.value(v);
    }
    private delete(v: Value, title: (p: Printer) => void): void {
        const p = this.with({ op: "delete", prefix: true });
        title(p);
        p.value(v);
    }

    private valueDiff(title: (p: Printer) => void, diff: ValueDiff): void {
        const p = this.with({ op: "update", prefix: true });
        if (diff.array) {
            const { adds, deletes, updates, sames, length } = diff.array;
            title(p);
            p.write("[\n");
            for (let i = 0; i < length; i++) {
                const element = p.indented(2);
                const elementTitle = (q: Printer) => q.indented(-1).writeIndented(`[${i}]: `);
                if (adds.has(i)) element.add(adds.get(i)!, elementTitle);
                else if (deletes.has(i)) element.delete(deletes.get(i)!, elementTitle);
                else if (updates.has(i)) element.valueDiff(elementTitle, updates.get(i)!);
                else {
                    const same = element.with({ op: "same", prefix: false });
                    elementTitle(same);
                    same.value(sames.get(i)!);
                }
            }
            p.writeUnprefixedIndented("]\n");
        } else if (diff.object) {
            title(p);
            p.write("{\n");
            p.indented(1).objectDiff(diff.object);
            p.writeUnprefixedIndented("}\n");
        } else if (worthPrinting(diff.old) && worthPrinting(diff.new) && isPrimitive(diff.old) && isPrimitive(diff.new)) {
            title(p);
            if (isText(diff.old) && isText(diff.new)) return p.textDiff(diff.old, diff.new);
            p.primitive(diff.old);
            p.write(" => ");
            p.primitive(diff.new);
            p.write("\n");
        } else {
            // Different kinds of value: a deletion line, then an addition line.
            if (worthPrinting(diff.old)) p.delete(diff.old, title);
            if (worthPrinting(diff.new)) p.add(diff.new, title);
        }
    }

    private textDiff(old: string, value: string): void {
        const [oldJson, newJson] = [decodedJson(old), decodedJson(value)];
        if (oldJson !== undefined && newJson !== undefined) {
            if (deepEquals(oldJson, newJson)) return this.textDiff(JSON.stringify(old), JSON.stringify(value));
            this.write("(json) ");
            const change = diffValues(oldJson, newJson)!;
            return this.valueDiff(() => undefined, change);
        }
        if (old.includes("\n") || value.includes("\n")) throw new Error("reviewerDiff does not render a changed multi-line string");
        // A character diff, which without colours reads as the old and the new text.
        this.write(`${JSON.stringify(old)} => ${JSON.stringify(value)}\n`);
    }

    private value(v: Value): void {
        this.valueRecurse(v);
        this.write("\n");
    }

    private valueRecurse(v: Value): void {
        if (Array.isArray(v)) {
            if (v.length === 0) return this.write("[]");
            this.write("[\n");
            v.forEach((element, i) => {
                this.writeIndented(`    [${i}]: `);
                this.indented(1).value(element);
            });
            this.writeUnprefixedIndented("]");
        } else if (isObject(v)) {
            if (Object.keys(v).length === 0) return this.write("{}");
            this.write("{\n");
            const keys = sortedKeys(v);
            const align = Math.max(0, ...keys.map((k) => k.length));
            const inner = this.indented(1);
            for (const key of keys.filter((k) => !internal(k))) {
                inner.title(key, align);
                inner.value(v[key]);
            }
            this.writeUnprefixedIndented("}");
        } else this.primitive(v);
    }

    private primitive(v: Value): void {
        if (v instanceof Secret) this.write("[secret]");
        else if (v === null) this.write("<null>");
        else if (typeof v === "number") this.write(Number.isInteger(v) ? v.toFixed(0) : String(v));
        else if (typeof v === "boolean") this.write(String(v));
        else if (v === UNKNOWN) this.write("[unknown]");
        else if (typeof v === "string") {
            const json = decodedJson(v);
            if (json === undefined) return this.write(JSON.stringify(truncated(v)));
            this.write("(json) ");
            this.value(json);
        }
    }
}
