/** The `database` block and the `databaseAdminUrl` secret. */
import { identifierProblem } from "./identifiers";
import { Problems, readEnum, readNumber, readObject, readString, rejectUnknownKeys } from "./problems";

// libpq sslmode values this product supports (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION);
// allow and prefer are left out: they silently fall back to an unencrypted connection.
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface DatabaseConfig {
    /** Host name or IP address of the PostgreSQL server PostgREST serves. */
    host: string;
    port: number;
    /** Database name. */
    name: string;
    sslMode: SslMode;
    /** Connections this API may use in all; when given, the connection budget is checked. */
    maxConnections?: number;
}

const DATABASE_KEYS = ["host", "port", "name", "sslMode", "maxConnections"];
const EXAMPLE = "database: { host: db.example.com, port: 5432, name: startup, sslMode: require }";

export function parseDatabase(value: unknown, key: string, problems: Problems): DatabaseConfig | undefined {
    if (value === undefined) {
        problems.add(key, "is required", EXAMPLE);
        return undefined;
    }
    const obj = readObject(value, key, problems, EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, DATABASE_KEYS, problems);
    const before = problems.count;

    const host = readString(obj, "host", key, problems, { example: "host: mydb.abc123.us-east-1.rds.amazonaws.com" });
    if (host !== undefined && (/\s/.test(host) || host.includes("://") || host.includes("@"))) {
        problems.add(`${key}.host`, "must be a bare host name or IP address, not a URL", "host: mydb.abc123.us-east-1.rds.amazonaws.com");
    }
    const port = readNumber(obj, "port", key, problems, { default: 5432, integer: true, min: 1, max: 65535, example: "port: 5432" });
    const name = readString(obj, "name", key, problems, { example: "name: startup" });
    const nameProblem = name === undefined ? undefined : identifierProblem(name);
    if (nameProblem) problems.add(`${key}.name`, nameProblem, "name: startup");
    const sslMode = readEnum(obj, "sslMode", key, problems, SSL_MODES, { default: "require", example: "sslMode: require" });
    const maxConnections = readNumber(obj, "maxConnections", key, problems, {
        optional: true,
        integer: true,
        min: 1,
        example: "maxConnections: 80",
    });

    if (problems.count > before) return undefined;
    return { host: host!, port: port!, name: name!, sslMode: sslMode!, maxConnections };
}

/**
 * Checks the admin connection URL without ever echoing it: it carries a
 * password. Returns the user name, which owns objects by default.
 */
export function checkAdminUrl(url: string | undefined, isSecret: boolean, key: string, problems: Problems): string | undefined {
    const example = `pulumi config set --secret ${key} 'postgresql://admin:PASSWORD@db.example.com:5432/startup'`;
    if (url === undefined) {
        problems.add(key, "is required: the role/grant provider connects with it at deploy time", example);
        return undefined;
    }
    if (!isSecret) {
        problems.add(key, "holds a password and must be set as a secret", example);
    }
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        problems.add(key, "is not a valid URL (value not shown: it is secret)", example);
        return undefined;
    }
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
        problems.add(key, `must start with postgresql:// (got ${parsed.protocol}//)`, example);
    }
    if (!parsed.hostname) problems.add(key, "has no host name", example);
    if (!parsed.username) {
        problems.add(key, "has no user name", example);
        return undefined;
    }
    return decodeURIComponent(parsed.username);
}
