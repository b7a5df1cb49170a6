/**
 * A small toolkit for validating untyped stack config: every reader records a
 * problem (naming the key, saying what is wrong and showing a right value) and
 * carries on, so one run reports every mistake at once.
 */
import { JsonObject, describeValue, isObject } from "../model/values";

/** Collects config problems; `key` is the full dotted key as the user writes it. */
export class Problems {
    private readonly messages: string[] = [];

    add(key: string, problem: string, example: string): void {
        this.messages.push(`${key}: ${problem}. Example: ${example}`);
    }

    get list(): readonly string[] {
        return this.messages;
    }

    /** How many problems are recorded: a reader compares it before and after its checks to know whether its block was valid. */
    get count(): number {
        return this.messages.length;
    }

    /** Throws one error listing every problem, or returns when there is none. */
    throwIfAny(): void {
        if (this.messages.length > 0) {
            throw new ConfigError(this.messages);
        }
    }
}

/** Thrown before any resource is registered when the stack config is invalid. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export { JsonObject, describeValue, isObject };

/** Reads an object at `key`; records a problem and returns undefined when it is not one. */
export function readObject(value: unknown, key: string, problems: Problems, example: string): JsonObject | undefined {
    if (isObject(value)) return value;
    problems.add(key, `must be an object, got ${describeValue(value)}`, example);
    return undefined;
}

/** Records every key of `obj` that is not in `known`, suggesting the closest known one. */
export function rejectUnknownKeys(obj: JsonObject, key: string, known: readonly string[], problems: Problems): void {
    for (const name of Object.keys(obj)) {
        if (known.includes(name)) continue;
        const closest = closestName(name, known);
        const hint = closest ? `did you mean "${closest}"?` : `known keys: ${known.join(", ")}`;
        problems.add(`${key}.${name}`, `unknown key, ${hint}`, closest ? `${key}.${closest}` : `${key}.${known[0]}`);
    }
}

/** A block whose `mode` key decides which of its other keys apply (such as a cloud's `network`). */
export interface ModalBlock<M extends string, T> {
    example: string;
    modes: readonly M[];
    defaultMode: M;
    /** Each mode's own keys, in the order they are documented; a key may belong to several modes. */
    keysOfMode: Record<M, readonly string[]>;
    /** Reads the keys of `mode` in the block at `key`; problems it records make the block invalid. */
    read(obj: JsonObject, mode: M, key: string, problems: Problems): T | undefined;
}

/** Reads a modal block: unknown keys and keys of another mode are problems, then the mode's own keys are read. */
export function readModalBlock<M extends string, T>(value: unknown, key: string, problems: Problems, block: ModalBlock<M, T>): T | undefined {
    const obj = readObject(value, key, problems, block.example);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, ["mode", ...new Set(block.modes.flatMap((m) => block.keysOfMode[m]))], problems);
    const mode = readEnum(obj, "mode", key, problems, block.modes, { default: block.defaultMode, example: "mode: existing" });
    if (mode === undefined) return undefined;
    const before = problems.count;
    const own = block.keysOfMode[mode];
    for (const other of block.modes.filter((m) => m !== mode)) {
        for (const field of block.keysOfMode[other].filter((f) => obj[f] !== undefined && !own.includes(f))) {
            problems.add(`${key}.${field}`, `applies only to mode: ${other}, and mode is ${mode}`, `mode: ${other}, or remove ${field}`);
        }
    }
    const result = block.read(obj, mode, key, problems);
    return problems.count > before ? undefined : result;
}

/** The known name within edit distance 2 (ignoring case) of `name`, if any. */
export function closestName(name: string, known: readonly string[]): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const candidate of known) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
    }
    return best?.name;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length];
}

interface ReadOptions<T> {
    /** Used when the value is absent; without it the key is required. */
    default?: T;
    example: string;
}

export function readString(obj: JsonObject, field: string, key: string, problems: Problems, options: ReadOptions<string>): string | undefined;
export function readString(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    options: { example: string; optional: true },
): string | undefined;
export function readString(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    options: ReadOptions<string> & { optional?: true },
): string | undefined {
    const value = obj[field];
    if (value === undefined) {
        if (options.default === undefined && !options.optional) problems.add(`${key}.${field}`, "is required", options.example);
        return options.default;
    }
    if (typeof value !== "string" || value.length === 0) {
        problems.add(`${key}.${field}`, `must be a non-empty string, got ${describeValue(value)}`, options.example);
        return undefined;
    }
    return value;
}

interface NumberOptions extends ReadOptions<number> {
    min?: number;
    max?: number;
    integer?: boolean;
    optional?: true;
}

/** Reads a number; config set with `pulumi config set` may arrive as a numeric string, which is accepted. */
export function readNumber(obj: JsonObject, field: string, key: string, problems: Problems, options: NumberOptions): number | undefined {
    const raw = obj[field];
    if (raw === undefined) {
        if (options.default === undefined && !options.optional) problems.add(`${key}.${field}`, "is required", options.example);
        return options.default;
    }
    const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    const kind = options.integer ? "a whole number" : "a number";
    if (typeof value !== "number" || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
        problems.add(`${key}.${field}`, `must be ${kind}, got ${describeValue(raw)}`, options.example);
        return undefined;
    }
    if ((options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
        const range =
            options.max === undefined
                ? `at least ${options.min}`
                : options.min === undefined
                  ? `at most ${options.max}`
                  : `between ${options.min} and ${options.max}`;
        problems.add(`${key}.${field}`, `must be ${range}, got ${value}`, options.example);
        return undefined;
    }
    return value;
}

export function readBoolean(obj: JsonObject, field: string, key: string, problems: Problems, options: ReadOptions<boolean>): boolean | undefined {
    const raw = obj[field];
    if (raw === undefined) {
        if (options.default === undefined) problems.add(`${key}.${field}`, "is required", options.example);
        return options.default;
    }
    if (raw === true || raw === "true") return true;
    if (raw === false || raw === "false") return false;
    problems.add(`${key}.${field}`, `must be true or false, got ${describeValue(raw)}`, options.example);
    return undefined;
}

export function readEnum<T extends string>(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    allowed: readonly T[],
    options: ReadOptions<T>,
): T | undefined {
    const value = obj[field];
    if (value === undefined) {
        if (options.default === undefined) problems.add(`${key}.${field}`, `is required, one of ${allowed.join(", ")}`, options.example);
        return options.default;
    }
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    problems.add(`${key}.${field}`, `${describeValue(value)} is not one of ${allowed.join(", ")}`, options.example);
    return undefined;
}

/** Reads a list of strings; each element is checked by `check`, which returns a problem or undefined. */
export function readStringList(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    options: ReadOptions<string[]> & { check?: (item: string) => string | undefined; nonEmpty?: boolean },
): string[] | undefined {
    const value = obj[field];
    if (value === undefined) {
        if (options.default === undefined) problems.add(`${key}.${field}`, "is required", options.example);
        return options.default;
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        problems.add(`${key}.${field}`, `must be a list of strings, got ${describeValue(value)}`, options.example);
        return undefined;
    }
    if (options.nonEmpty && value.length === 0) {
        problems.add(`${key}.${field}`, "must not be empty", options.example);
        return undefined;
    }
    let valid = true;
    value.forEach((item: string, index) => {
        const problem = options.check?.(item);
        if (problem) {
            problems.add(`${key}.${field}[${index}]`, problem, options.example);
            valid = false;
        }
    });
    return valid ? (value as string[]) : undefined;
}
