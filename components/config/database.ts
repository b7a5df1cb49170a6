/** The `database` block and the `databaseAdminUrl` secret. */
import { TlsConfigError, adminConnectionConfig, parseAdminUrl } from "../model/admin-connection";
import { clientCertificateProblems, rootCertProblem } from "./certificates";
import { identifierProblem } from "../model/identifiers";
import { MigrationsConfig, readMigrations } from "./migrations";
import { CreatedDatabaseSpec } from "../model/created-database";
import { JsonObject, Problems, readBoolean, readEnum, readNumber, readObject, readString, rejectUnknownKeys } from "./problems";

// libpq sslmode values this product supports (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION);
// allow and prefer are left out: they silently fall back to an unencrypted connection.
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How `pulumi up` reaches the database to apply roles and grants: from the machine that runs it, or from a function inside the network. */
export const ADMIN_ACCESS_MODES = ["direct", "in-network"] as const;
export type AdminAccess = (typeof ADMIN_ACCESS_MODES)[number];

export interface DatabaseConfig {
    /** Host name or IP address of the PostgreSQL server PostgREST serves; undefined with `create`, whose address is known once it exists. */
    host?: string;
    /** The database the program creates instead of taking `host` (model/created-database.ts). */
    create?: CreatedDatabaseSpec;
    port: number;
    /** Database name. */
    name: string;
    sslMode: SslMode;
    /** PEM of the CA(s) that signed the server's certificate; required by verify-ca and verify-full. */
    sslRootCert?: string;
    /** PEM client certificate PostgREST presents; its key is the secret databaseClientKey. */
    sslCert?: string;
    /** Connections this API may use in all; when given, the connection budget is checked. */
    maxConnections?: number;
    /** Where the deploy-time admin connection comes from: this machine (direct) or a function in the database's network. Parsing fills it; literals may leave it out for direct. */
    adminAccess?: AdminAccess;
    /** SQL files applied once each, in file-name order, before roles and grants and in the same transaction. */
    migrations?: MigrationsConfig;
    /** The cloud secret holding the admin credentials, read at each operation instead of databaseAdminUrl (admin-secret.ts). */
    adminSecret?: string;
    /** Keep the roles, memberships and grants in the database when the stack is destroyed (Pulumi's retainOnDelete). Parsing fills it; literals may leave it out for false. */
    retainOnDelete?: boolean;
}

const DATABASE_KEYS = [
    "host",
    "create",
    "port",
    "name",
    "sslMode",
    "sslRootCert",
    "sslCert",
    "maxConnections",
    "adminAccess",
    "migrations",
    "adminSecret",
    "retainOnDelete",
];
const EXAMPLE = "database: { host: db.example.com, port: 5432, name: startup, sslMode: require }";

/** Reads database.create on the stack's cloud; undefined after adding its problems. */
export type CreatedDatabaseReader = (obj: JsonObject, key: string, problems: Problems) => CreatedDatabaseSpec | undefined;

/**
 * `projectDir`: where database.migrations is read from, the folder of Pulumi.yaml. `readCreate`: the stack's cloud's
 * reader of database.create; undefined when the cloud is not known, and `create` is then left unread.
 */
export function parseDatabase(
    value: unknown,
    key: string,
    problems: Problems,
    now: Date,
    projectDir: string,
    readCreate?: CreatedDatabaseReader,
): DatabaseConfig | undefined {
    if (value === undefined) {
        problems.add(key, "is required", EXAMPLE);
        return undefined;
    }
    const obj = readObject(value, key, problems, EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, DATABASE_KEYS, problems);
    const before = problems.count;

    const createBlock = obj.create === undefined ? undefined : readObject(obj.create, `${key}.create`, problems, "create: { engine: rds }");
    const create = createBlock && readCreate?.(createBlock, `${key}.create`, problems);
    const creates = obj.create !== undefined;
    if (creates) createdDatabaseConflicts(obj, key, problems);
    const host = creates ? undefined : readString(obj, "host", key, problems, { example: "host: mydb.abc123.us-east-1.rds.amazonaws.com" });
    const hostProblem = host === undefined ? undefined : bareHostProblem(host);
    if (hostProblem) problems.add(`${key}.host`, hostProblem, "host: mydb.abc123.us-east-1.rds.amazonaws.com, port: 5432");
    const port = readNumber(obj, "port", key, problems, { default: 5432, integer: true, min: 1, max: 65535, example: "port: 5432" });
    const name = readString(obj, "name", key, problems, { example: "name: startup" });
    const nameProblem = name === undefined ? undefined : identifierProblem(name);
    if (nameProblem) problems.add(`${key}.name`, nameProblem, "name: startup");
    const sslMode = readEnum(obj, "sslMode", key, problems, SSL_MODES, { default: "require", example: "sslMode: require" });
    // A created database has no public address: the roles and grants reach it from inside its network unless told otherwise.
    const adminAccess = readEnum(obj, "adminAccess", key, problems, ADMIN_ACCESS_MODES, {
        default: creates ? "in-network" : "direct",
        example: "adminAccess: in-network",
    });
    const retainOnDelete = readBoolean(obj, "retainOnDelete", key, problems, {
        default: false,
        example: "retainOnDelete: true (destroy leaves the roles and grants in the database)",
    });
    const maxConnections = readNumber(obj, "maxConnections", key, problems, {
        optional: true,
        integer: true,
        min: 1,
        example: "maxConnections: 80",
    });

    const adminSecret = readString(obj, "adminSecret", key, problems, { optional: true, example: "adminSecret: arn:aws:secretsmanager:..." });
    const sslRootCert = readString(obj, "sslRootCert", key, problems, { optional: true, example: ROOT_CERT_EXAMPLE });
    const rootProblem = sslRootCert === undefined ? undefined : rootCertProblem(sslRootCert, now);
    if (rootProblem) problems.add(`${key}.sslRootCert`, rootProblem, ROOT_CERT_EXAMPLE);
    const rootCertMissing = sslRootCert === undefined && (sslMode === "verify-ca" || sslMode === "verify-full");
    if (rootCertMissing) {
        // libpq would look for ~/.postgresql/root.crt, which the PostgREST image does not have.
        problems.add(
            `${key}.sslRootCert`,
            `is required by sslMode ${sslMode}: the PEM of the CA that signed the server's certificate`,
            ROOT_CERT_EXAMPLE,
        );
    }
    const sslCert = readString(obj, "sslCert", key, problems, { optional: true, example: CLIENT_CERT_EXAMPLE });
    if (sslCert !== undefined && sslMode === "disable") {
        problems.add(
            `${key}.sslCert`,
            "needs TLS: a client certificate is sent only over an encrypted connection; choose sslMode verify-ca or verify-full",
            "sslMode: verify-ca",
        );
    }

    const migrationsFolder = readString(obj, "migrations", key, problems, { optional: true, example: "migrations: migrations" });
    const migrations = migrationsFolder === undefined ? undefined : readMigrations(migrationsFolder, projectDir, `${key}.migrations`, problems);

    if (problems.count > before) return undefined;
    return {
        ...(host !== undefined && { host }),
        ...(create && { create }),
        port: port!,
        name: name!,
        sslMode: sslMode!,
        ...(sslRootCert && { sslRootCert }),
        ...(sslCert && { sslCert }),
        maxConnections,
        adminAccess: adminAccess!,
        ...(migrations && { migrations }),
        ...(adminSecret && { adminSecret }),
        retainOnDelete: retainOnDelete!,
    };
}

/** What database.create decides itself, so the block must not say: where the server is, and who administers it. */
function createdDatabaseConflicts(obj: JsonObject, key: string, problems: Problems): void {
    if (obj.host !== undefined)
        problems.add(
            `${key}.host`,
            "is the created database's own address with database.create: remove database.host, or remove create to use your server",
            `pulumi config rm --path ${key}.host`,
        );
    if (obj.adminSecret !== undefined)
        problems.add(
            `${key}.adminSecret`,
            "is the created database's own admin secret with database.create: remove database.adminSecret",
            `pulumi config rm --path ${key}.adminSecret`,
        );
    // The created server refuses plain text (rds.force_ssl, Cloud SQL's ENCRYPTED_ONLY) and asks for no client certificate.
    if (obj.sslMode === "disable")
        problems.add(
            `${key}.sslMode`,
            "is disable, but the created database refuses connections without TLS: use require, or verify-full with database.sslRootCert",
            "sslMode: require",
        );
    if (obj.sslCert !== undefined)
        problems.add(
            `${key}.sslCert`,
            "is not used by the created database, which authenticates by password: remove database.sslCert and databaseClientKey",
            `pulumi config rm --path ${key}.sslCert`,
        );
}

const ROOT_CERT_EXAMPLE = 'pulumi config set --path database.sslRootCert -- "$(cat global-bundle.pem)"';
const CLIENT_CERT_EXAMPLE = 'pulumi config set --path database.sslCert -- "$(cat postgrest-cert.pem)"';

/** database.host is a name or an address: libpq takes the port from database.port and has no scheme there. */
function bareHostProblem(host: string): string | undefined {
    if (/\s/.test(host) || host.includes("://") || host.includes("@") || host.includes("/")) {
        return "must be a bare host name or IP address, not a URL; put the port in database.port and the database in database.name";
    }
    // One colon (or a bracketed address) followed by digits is a port; an IPv6 address has several colons.
    if (/^[^:]+:\d+$/.test(host) || /^\[.*\](:\d+)?$/.test(host)) return "must not hold a port or brackets; put the port in database.port";
    return undefined;
}

/**
 * database.sslCert and the secret databaseClientKey: both or neither, the key
 * set with --secret, parsing, matching each other, and valid now. `keyReadable` false: the key is a secret
 * `npm run check` cannot decrypt, and only its presence is checked.
 */
export function checkClientCertificate(
    database: DatabaseConfig | undefined,
    clientKey: string | undefined,
    isSecret: boolean,
    keys: { database: string; clientKey: string },
    problems: Problems,
    now: Date,
    keyReadable = true,
): void {
    const keyExample = `pulumi config set --secret ${keys.clientKey} -- "$(cat postgrest-key.pem)"`;
    if (clientKey !== undefined && !isSecret) problems.add(keys.clientKey, "holds a private key and must be set as a secret", keyExample);
    if (!database) return;
    const certKey = `${keys.database}.sslCert`;
    if (database.sslCert === undefined && clientKey !== undefined)
        problems.add(certKey, `is required with ${keys.clientKey}: give both or neither`, CLIENT_CERT_EXAMPLE);
    if (database.sslCert !== undefined && clientKey === undefined)
        problems.add(keys.clientKey, `is required with ${certKey}: give both or neither`, keyExample);
    if (database.sslCert === undefined || clientKey === undefined || !keyReadable) return;
    const found = clientCertificateProblems(database.sslCert, clientKey, now);
    if (found.cert) problems.add(certKey, found.cert, CLIENT_CERT_EXAMPLE);
    if (found.key) problems.add(keys.clientKey, found.key, keyExample);
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
    const parsed = parseAdminUrl(url);
    if (typeof parsed === "string") {
        problems.add(key, parsed, example);
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

/**
 * The database the admin URL connects to must be the one PostgREST serves: roles are cluster-wide, but grants,
 * schemas and migrations belong to one database, and a URL ending in /postgres would apply them to the wrong one.
 */
export function checkAdminDatabase(url: string, database: DatabaseConfig, key: string, problems: Problems): void {
    const parsed = parseAdminUrl(url);
    if (typeof parsed === "string") return;
    const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    // libpq's default database is the user's name.
    const named = path || decodeURIComponent(parsed.username);
    if (named === database.name) return;
    problems.add(
        key,
        `connects to the database "${named}"${path ? "" : " (none named: libpq takes the user's name)"}, but database.name is "${database.name}": ` +
            `grants and migrations would land in "${named}" while PostgREST serves "${database.name}"; end the URL with /${database.name}`,
        `pulumi config set --secret ${key} 'postgresql://admin:PASSWORD@db.example.com:5432/${database.name}'`,
    );
}

/**
 * How the admin connection will connect, checked now rather than at the
 * first `up`: the URL's sslmode and TLS files, or database.sslMode and
 * database.sslRootCert. Messages never show the URL.
 */
export function checkAdminTls(url: string, database: DatabaseConfig, key: string, problems: Problems): void {
    try {
        adminConnectionConfig(url, { sslMode: database.sslMode, sslRootCert: database.sslRootCert });
    } catch (error) {
        if (!(error instanceof TlsConfigError)) throw error;
        problems.add(
            key,
            error.message,
            `pulumi config set --secret ${key} 'postgresql://admin:PASSWORD@db.example.com:5432/startup?sslmode=verify-full&sslrootcert=global-bundle.pem'`,
        );
    }
}
