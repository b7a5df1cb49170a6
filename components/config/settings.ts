/**
 * The `service.settings` block: any PostgREST setting the program does not own, checked against the catalog
 * (model/postgrest-settings.ts) for the pinned major version.
 */
import {
    ALIASES,
    NEWEST_MAJOR,
    OLDEST_MAJOR,
    APP_SETTING,
    OWNED_SETTINGS,
    SECRET_EXPOSING,
    SECRET_LOOKING,
    SETTINGS,
    SettingType,
    settingSpec,
} from "../model/postgrest-settings";
import { Problems, closestName, describeValue, isObject } from "./problems";

/** Reads `service.settings` at `key` for PostgREST `major`: setting name -> value as PostgREST reads it from the environment. */
export function parseSettings(value: unknown, key: string, major: number, problems: Problems): Record<string, string> | undefined {
    if (value === undefined) return {};
    const example = "settings: { db-max-rows: 1000, db-prepared-statements: false }";
    if (!isObject(value)) {
        problems.add(key, `must be a map of PostgREST setting names to values, got ${describeValue(value)}`, example);
        return undefined;
    }
    if (major < OLDEST_MAJOR) {
        problems.add(
            key,
            `are checked against PostgREST v${OLDEST_MAJOR} to v${NEWEST_MAJOR}, and service.image pins v${major}`,
            `a v${OLDEST_MAJOR} or later service.image, or no service.settings`,
        );
        return undefined;
    }
    // A release newer than the catalog is checked against the newest one it knows.
    major = Math.min(major, NEWEST_MAJOR);
    const before = problems.count;
    const settings: Record<string, string> = {};
    const known = Object.keys(SETTINGS).filter((name) => settingSpec(name, major));
    for (const [name, raw] of Object.entries(value)) {
        const settingKey = `${key}.${name}`;
        const refusal = refusalOf(name, major, known);
        if (refusal) {
            problems.add(settingKey, refusal.problem, refusal.example);
            continue;
        }
        const spec = settingSpec(name, major);
        const text = spec ? readSettingValue(raw, spec.type, settingKey, problems) : readAppSetting(raw, settingKey, problems);
        if (text !== undefined) settings[name] = text;
    }
    return problems.count > before ? undefined : settings;
}

function refusalOf(name: string, major: number, known: string[]): { problem: string; example: string } | undefined {
    if (OWNED_SETTINGS[name])
        return { problem: `is set by the program; use ${OWNED_SETTINGS[name]}`, example: `remove ${name} from service.settings` };
    if (ALIASES[name]) {
        const canonical = ALIASES[name];
        return OWNED_SETTINGS[canonical]
            ? { problem: `is the old name of ${canonical}, which the program sets; use ${OWNED_SETTINGS[canonical]}`, example: `remove ${name}` }
            : { problem: `is the old name of ${canonical}; write it as PostgREST documents it`, example: `${canonical}: ...` };
    }
    if (SECRET_EXPOSING.includes(name))
        return { problem: "would serve the whole configuration, secrets included, on the admin server", example: `remove ${name}` };
    if (name.startsWith("app.settings.")) {
        const app = APP_SETTING.exec(name);
        if (!app)
            return {
                problem: "is not an app setting name: app.settings. followed by lower-case letters, digits and _",
                example: "app.settings.tenant: acme",
            };
        if (SECRET_LOOKING.test(app[1])) {
            return {
                problem:
                    "looks like a secret, and service.settings are plain environment variables visible in the task or service definition; keep secrets in the database (ALTER ROLE ... SET) or Secret Manager / Secrets Manager",
                example: "app.settings.tenant: acme (no secrets here)",
            };
        }
        return undefined;
    }
    if (settingSpec(name, major)) return undefined;
    if (SETTINGS[name]) {
        const spec = SETTINGS[name];
        const range = spec.since && major < spec.since ? `since v${spec.since}` : `up to v${spec.until}`;
        const successor =
            name === "jwt-cache-max-lifetime" ? "jwt-cache-max-entries" : name === "jwt-cache-max-entries" ? "jwt-cache-max-lifetime" : undefined;
        return {
            problem: `is read by PostgREST ${range}, and service.image pins v${major}${successor ? `; v${major} reads ${successor}` : ""}`,
            example: successor ? `${successor}: ...` : `remove ${name}, or pin an image that reads it`,
        };
    }
    const closest = closestName(name, [...known, ...Object.keys(OWNED_SETTINGS)]);
    return {
        problem: `is not a PostgREST v${major} setting${closest ? `, did you mean "${closest}"?` : ""} (names as in https://docs.postgrest.org/en/latest/references/configuration.html)`,
        example: closest ? `${closest}: ...` : "db-max-rows: 1000",
    };
}

/** The value as PostgREST reads it from its environment variable, or undefined (problem recorded). */
function readSettingValue(raw: unknown, type: SettingType, key: string, problems: Problems): string | undefined {
    switch (type.kind) {
        case "boolean":
            if (raw === true || raw === "true") return "true";
            if (raw === false || raw === "false") return "false";
            problems.add(key, `must be true or false, got ${describeValue(raw)}`, `${lastPart(key)}: false`);
            return undefined;
        case "integer": {
            // PostgREST reads an env var that is no integer as unset (Config.hs coerceInt, readMaybe): a typo would go unnoticed.
            const number = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
            if (typeof number !== "number" || !Number.isInteger(number) || number < type.min) {
                problems.add(key, `must be a whole number of at least ${type.min}, got ${describeValue(raw)}`, `${lastPart(key)}: 1000`);
                return undefined;
            }
            return String(number);
        }
        case "enum":
            if (typeof raw === "string" && type.values.includes(raw)) return raw;
            problems.add(key, `${describeValue(raw)} is not one of ${type.values.join(", ")}`, `${lastPart(key)}: ${type.values[0]}`);
            return undefined;
        case "string": {
            if (typeof raw !== "string" || raw.trim() === "") {
                problems.add(key, `must be a non-empty string, got ${describeValue(raw)}`, type.example);
                return undefined;
            }
            const problem = type.check?.(raw);
            if (problem) problems.add(key, problem, type.example);
            return problem ? undefined : raw;
        }
        case "list": {
            // PostgREST splits these on "," and strips spaces (Config.hs splitOnCommas): a list reads the same as a string.
            const items =
                typeof raw === "string"
                    ? raw.split(",").map((item) => item.trim())
                    : Array.isArray(raw) && raw.every((item) => typeof item === "string")
                      ? raw
                      : undefined;
            if (!items || items.length === 0) {
                problems.add(key, `must be a list of strings, got ${describeValue(raw)}`, type.example);
                return undefined;
            }
            const problem = items
                .map((item, index) =>
                    item.includes(",") ? `item ${index} ${describeValue(item)} contains ",", where PostgREST would split it` : type.check?.(item),
                )
                .find((p) => p !== undefined);
            if (problem) problems.add(key, problem, type.example);
            return problem ? undefined : items.join(",");
        }
    }
}

function readAppSetting(raw: unknown, key: string, problems: Problems): string | undefined {
    if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return String(raw);
    problems.add(key, `must be a string, got ${describeValue(raw)}`, "app.settings.tenant: acme");
    return undefined;
}

function lastPart(key: string): string {
    return key.slice(key.lastIndexOf(".settings.") + ".settings.".length);
}
