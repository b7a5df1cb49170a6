/**
 * PostgREST's settings catalog: every setting a user may set, spelled as
 * PostgREST spells it (`db-max-rows`, `jwt-aud`), with its value type and the
 * majors that read it; the settings the program owns; and the PGRST_*
 * environment variable each is passed as on both clouds.
 *
 * The catalog follows PostgREST's docs/references/configuration.rst
 * (https://docs.postgrest.org/en/v16/references/configuration.html) and its
 * parser, src/PostgREST/Config.hs (src/library/PostgREST/Config.hs in v16),
 * at tags v12.2.12, v13.0.8, v14.17 and v16.2.
 */
import { exposedSchemaProblem } from "./identifiers";
import { describeValue } from "./values";

/** How a setting's value is read: Config.hs optBool, optInt, optString, a fixed set, or a comma-separated list. */
export type SettingType =
    | { kind: "boolean" }
    | { kind: "integer"; min: number }
    | { kind: "string"; check?: (value: string) => string | undefined; example: string }
    | { kind: "enum"; values: readonly string[] }
    | { kind: "list"; check?: (item: string) => string | undefined; example: string };

export interface SettingSpec {
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
        : `${describeValue(value)} is not a function name such as api.check_request`;
// An origin is scheme://host[:port], no path (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Origin).
const origin = (value: string) =>
    /^https?:\/\/[^/\s]+$/.test(value)
        ? undefined
        : value === "*"
          ? `"*" is not an origin; leave server-cors-allowed-origins unset, and PostgREST accepts CORS requests from any origin`
          : `${describeValue(value)} is not an origin such as https://app.example.com (scheme and host, no path)`;
// A GUC name, optionally qualified by an extension prefix (PostgreSQL docs, configuration parameters).
const settingName = (value: string) =>
    /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(value)
        ? undefined
        : `${describeValue(value)} is not a PostgreSQL setting name such as statement_timeout`;
// An HTTP header field name is a token (RFC 9110, section 5.1).
const headerName = (value: string) =>
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? undefined : `${describeValue(value)} is not an HTTP header name such as X-Request-Id`;
// jwt-aud: "If the string contains ':' then it should be a valid URI according to RFC 3986" (Config.hs optStringOrURI).
const audience = (value: string) =>
    !value.includes(":") || /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value)
        ? undefined
        : `${describeValue(value)} contains ":" so PostgREST requires a URI (RFC 3986)`;

/** The admin server and its /live and /ready exist since v10 (PostgREST CHANGELOG 10.0.0). */
export const FIRST_MAJOR_WITH_ADMIN_SERVER = 10;

/** Why PostgREST `major` cannot be health-checked, or undefined when it can. */
export function healthCheckProblem(major: number): string | undefined {
    if (major >= FIRST_MAJOR_WITH_ADMIN_SERVER) return undefined;
    return `pins PostgREST v${major}, which has no admin server (/live, /ready, since v${FIRST_MAJOR_WITH_ADMIN_SERVER}): the health checks need it`;
}

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
export const SECRET_EXPOSING = ["admin-server-config-enabled"];

// PostgREST documents app.settings.* as the way "to pass in secret keys" (configuration.rst, app.settings.*), and
// service.settings go into plain environment variables: names that look like a secret are refused.
export const SECRET_LOOKING = /secret|passw|pwd|token|key|credential|private|salt/i;
export const APP_SETTING = /^app\.settings\.([a-z_][a-z0-9_]*)$/;

/** The PGRST_* variable of a setting (Config.hs overrideFromDbOrEnvironment; parseAppSettings for app.settings.*). */
export function settingEnvironmentName(name: string): string {
    const app = APP_SETTING.exec(name);
    if (app) return `PGRST_APP_SETTINGS_${app[1].toUpperCase()}`;
    return `PGRST_${name.toUpperCase().replace(/-/g, "_")}`;
}

/** The PGRST_* environment of validated settings. */
export function settingsEnvironment(settings: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(settings).map(([name, value]) => [settingEnvironmentName(name), value]));
}
