/**
 * The `service.settings` block: any PostgREST setting the program does not
 * own, spelled as PostgREST spells it (`db-max-rows`, `jwt-aud`), checked
 * against the settings and value types of the pinned major version, and
 * passed as PGRST_* environment variables on both clouds.
 *
 * The catalog follows PostgREST's docs/references/configuration.rst
 * (https://docs.postgrest.org/en/v16/references/configuration.html) and its
 * parser, src/PostgREST/Config.hs (src/library/PostgREST/Config.hs in v16),
 * at tags v12.2.12, v13.0.8, v14.17 and v16.2.
 */
import { exposedSchemaProblem } from "./identifiers";
import { Problems, closestName, describe, isObject } from "./problems";

/** How a setting's value is read: Config.hs optBool, optInt, optString, a fixed set, or a comma-separated list. */
type SettingType =
    | { kind: "boolean" }
    | { kind: "integer"; min: number }
    | { kind: "string"; check?: (value: string) => string | undefined; example: string }
    | { kind: "enum"; values: readonly string[] }
    | { kind: "list"; check?: (item: string) => string | undefined; example: string };

interface SettingSpec {
    type: SettingType;
    /** First major that reads it. @default 12 */
    since?: number;
    /** Last major that reads it. @default none */
    until?: number;
}

// A function PostgREST calls, optionally schema-qualified (Config.hs toQi splits on the first ".").
const functionName = (value: string) =>
    /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/.test(value)
        ? undefined
        : `${describe(value)} is not a function name such as api.check_request`;
// An origin is scheme://host[:port], no path (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Origin).
const origin = (value: string) =>
    /^https?:\/\/[^/\s]+$/.test(value)
        ? undefined
        : value === "*"
          ? `"*" is not an origin; leave server-cors-allowed-origins unset, and PostgREST accepts CORS requests from any origin`
          : `${describe(value)} is not an origin such as https://app.example.com (scheme and host, no path)`;
// A GUC name, optionally qualified by an extension prefix (PostgreSQL docs, configuration parameters).
const settingName = (value: string) =>
    /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(value)
        ? undefined
        : `${describe(value)} is not a PostgreSQL setting name such as statement_timeout`;
// An HTTP header field name is a token (RFC 9110, section 5.1).
const headerName = (value: string) =>
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? undefined : `${describe(value)} is not an HTTP header name such as X-Request-Id`;
// jwt-aud: "If the string contains ':' then it should be a valid URI according to RFC 3986" (Config.hs optStringOrURI).
const audience = (value: string) =>
    !value.includes(":") || /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value)
        ? undefined
        : `${describe(value)} contains ":" so PostgREST requires a URI (RFC 3986)`;

/** The majors the catalog was read from. */
export const OLDEST_MAJOR = 12;
export const NEWEST_MAJOR = 16;

/** Every documented setting a user may set, with its type and the majors that read it. */
export const SETTINGS: Record<string, SettingSpec> = {
    "client-error-verbosity": { type: { kind: "enum", values: ["verbose", "minimal"] }, since: 16 },
    "db-aggregates-enabled": { type: { kind: "boolean" } },
    "db-channel": {
        type: { kind: "string", check: (v) => (v.includes(",") ? "must be one channel name" : undefined), example: "db-channel: pgrst" },
    },
    "db-config": { type: { kind: "boolean" } },
    "db-extra-search-path": { type: { kind: "list", check: exposedSchemaProblem, example: "db-extra-search-path: [public, extensions]" } },
    "db-hoisted-tx-settings": { type: { kind: "list", check: settingName, example: "db-hoisted-tx-settings: [statement_timeout, work_mem]" } },
    "db-max-rows": { type: { kind: "integer", min: 1 } },
    "db-plan-enabled": { type: { kind: "boolean" } },
    "db-pool-acquisition-timeout": { type: { kind: "integer", min: 1 } },
    "db-pool-automatic-recovery": { type: { kind: "boolean" } },
    "db-pool-max-idletime": { type: { kind: "integer", min: 1 } },
    "db-pool-max-lifetime": { type: { kind: "integer", min: 1 } },
    "db-pre-config": { type: { kind: "string", check: functionName, example: "db-pre-config: postgrest.pre_config" } },
    "db-pre-request": { type: { kind: "string", check: functionName, example: "db-pre-request: api.check_request" } },
    "db-prepared-statements": { type: { kind: "boolean" } },
    "db-root-spec": { type: { kind: "string", check: functionName, example: "db-root-spec: api.root" } },
    "db-tx-end": { type: { kind: "enum", values: ["commit", "commit-allow-override", "rollback", "rollback-allow-override"] } },
    "jwt-aud": { type: { kind: "string", check: audience, example: "jwt-aud: https://api.example.com" } },
    "jwt-cache-max-lifetime": { type: { kind: "integer", min: 0 }, until: 13 },
    "jwt-cache-max-entries": { type: { kind: "integer", min: 0 }, since: 14 },
    "jwt-secret-is-base64": { type: { kind: "boolean" } },
    "log-query": { type: { kind: "enum", values: ["disabled", "main-query"] }, since: 13, until: 13 },
    "openapi-mode": { type: { kind: "enum", values: ["follow-privileges", "ignore-privileges", "disabled"] } },
    "openapi-security-active": { type: { kind: "boolean" } },
    "server-cors-allowed-origins": { type: { kind: "list", check: origin, example: "server-cors-allowed-origins: [https://app.example.com]" } },
    "server-timing-enabled": { type: { kind: "boolean" } },
    "server-trace-header": { type: { kind: "string", check: headerName, example: "server-trace-header: X-Request-Id" } },
    "url-use-legacy-target-names": { type: { kind: "boolean" }, since: 16 },
};

/** log-query became a boolean in v14 (CHANGELOG 14.0.0); the table above holds v13's form. */
const LOG_QUERY_SINCE_14: SettingSpec = { type: { kind: "boolean" }, since: 14 };

/** The setting's spec for `major`, or undefined when that major does not read it. */
export function settingSpec(name: string, major: number): SettingSpec | undefined {
    const spec = name === "log-query" && major >= 14 ? LOG_QUERY_SINCE_14 : SETTINGS[name];
    if (!spec || major < (spec.since ?? OLDEST_MAJOR) || (spec.until !== undefined && major > spec.until)) return undefined;
    return spec;
}

/** Settings the program sets itself, and the key that decides each. */
export const OWNED_SETTINGS: Record<string, string> = {
    "db-uri": "database (and the generated authenticator password, stored as a secret)",
    "db-schemas": "api.schemas",
    "db-anon-role": "api.anonRole",
    "jwt-secret": "jwtSecret (set with --secret, or generated)",
    "jwt-role-claim-key": "api.jwtRoleClaimKey",
    "db-pool": "service.dbPool",
    "db-channel-enabled": "service.dbChannelEnabled",
    "log-level": "service.logLevel",
    "server-port": "the program (3000: the load balancer and the probes use it)",
    "server-host": "the program (the load balancer must reach every interface)",
    "admin-server-port": "the program (3001: the health checks use it)",
    "admin-server-host": "the program (the health checks must reach it)",
    "server-unix-socket": "the program (the load balancer connects over TCP)",
    "server-unix-socket-mode": "the program (the load balancer connects over TCP)",
    "admin-server-unix-socket": "the program (the health checks connect over TCP)",
    "admin-server-unix-socket-mode": "the program (the health checks connect over TCP)",
    "openapi-server-proxy-uri": "aws.domainName or gcp.loadBalancer (the program tells PostgREST its public URL)",
};

/** Legacy spellings PostgREST still reads (docs: "also available without prefix"), and the name to use. */
export const ALIASES: Record<string, string> = {
    "max-rows": "db-max-rows",
    "pre-request": "db-pre-request",
    "root-spec": "db-root-spec",
    "db-pool-timeout": "db-pool-max-idletime",
    "secret-is-base64": "jwt-secret-is-base64",
    "db-schema": "db-schemas",
    "role-claim-key": "jwt-role-claim-key",
};

// v12's admin server serves GET /config, the whole configuration with db-uri and jwt-secret in clear
// (https://docs.postgrest.org/en/v12/references/configuration.html#admin-server-config-enabled).
const SECRET_EXPOSING = ["admin-server-config-enabled"];

// PostgREST documents app.settings.* as the way "to pass in secret keys" (configuration.rst, app.settings.*), and
// service.settings go into plain environment variables: names that look like a secret are refused.
const SECRET_LOOKING = /secret|passw|pwd|token|key|credential|private|salt/i;
const APP_SETTING = /^app\.settings\.([a-z_][a-z0-9_]*)$/;

/** The PGRST_* variable of a setting (Config.hs overrideFromDbOrEnvironment; parseAppSettings for app.settings.*). */
export function settingEnvironmentName(name: string): string {
    const app = APP_SETTING.exec(name);
    if (app) return `PGRST_APP_SETTINGS_${app[1].toUpperCase()}`;
    return `PGRST_${name.toUpperCase().replace(/-/g, "_")}`;
}

/** Reads `service.settings` at `key` for PostgREST `major`: setting name -> value as PostgREST reads it from the environment. */
export function parseSettings(value: unknown, key: string, major: number, problems: Problems): Record<string, string> | undefined {
    if (value === undefined) return {};
    const example = "settings: { db-max-rows: 1000, db-prepared-statements: false }";
    if (!isObject(value)) {
        problems.add(key, `must be a map of PostgREST setting names to values, got ${describe(value)}`, example);
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
            problems.add(key, `must be true or false, got ${describe(raw)}`, `${lastPart(key)}: false`);
            return undefined;
        case "integer": {
            // PostgREST reads an env var that is no integer as unset (Config.hs coerceInt, readMaybe): a typo would go unnoticed.
            const number = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
            if (typeof number !== "number" || !Number.isInteger(number) || number < type.min) {
                problems.add(key, `must be a whole number of at least ${type.min}, got ${describe(raw)}`, `${lastPart(key)}: 1000`);
                return undefined;
            }
            return String(number);
        }
        case "enum":
            if (typeof raw === "string" && type.values.includes(raw)) return raw;
            problems.add(key, `${describe(raw)} is not one of ${type.values.join(", ")}`, `${lastPart(key)}: ${type.values[0]}`);
            return undefined;
        case "string": {
            if (typeof raw !== "string" || raw.trim() === "") {
                problems.add(key, `must be a non-empty string, got ${describe(raw)}`, type.example);
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
                problems.add(key, `must be a list of strings, got ${describe(raw)}`, type.example);
                return undefined;
            }
            const problem = items
                .map((item, index) =>
                    item.includes(",") ? `item ${index} ${describe(item)} contains ",", where PostgREST would split it` : type.check?.(item),
                )
                .find((p) => p !== undefined);
            if (problem) problems.add(key, problem, type.example);
            return problem ? undefined : items.join(",");
        }
    }
}

function readAppSetting(raw: unknown, key: string, problems: Problems): string | undefined {
    if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return String(raw);
    problems.add(key, `must be a string, got ${describe(raw)}`, "app.settings.tenant: acme");
    return undefined;
}

function lastPart(key: string): string {
    return key.slice(key.lastIndexOf(".settings.") + ".settings.".length);
}

/** The PGRST_* environment of validated settings. */
export function settingsEnvironment(settings: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(settings).map(([name, value]) => [settingEnvironmentName(name), value]));
}
