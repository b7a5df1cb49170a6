/** How config values are told apart and named in messages, shared by the catalogs and the config readers. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value for a message without echoing long or nested input. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "missing";
    if (Array.isArray(value)) return "a list";
    if (isObject(value)) return "an object";
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
