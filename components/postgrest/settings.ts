/**
 * What the PostgREST container is told, the same on every cloud: its plain
 * PGRST_* settings, and the secret connection URI. Pure, so both clouds and
 * the tests share one definition.
 */
import * as pulumi from "@pulumi/pulumi";
import { ApiConfig } from "../model/api";
import { DatabaseConfig } from "../config/database";
import { settingsEnvironment } from "../model/postgrest-settings";
import { ServiceConfig } from "../config/service";
import { ADMIN_SERVER_PORT, SERVER_PORT } from "./ports";
import { TLS_DIRECTORY, tlsFileParameters, tlsFiles } from "./tls-files";

/** Names of the two settings that are secrets and never go in plain env vars. */
export const SECRET_SETTINGS = ["PGRST_DB_URI", "PGRST_JWT_SECRET"] as const;

/**
 * The non-secret PGRST_* environment (PostgREST docs/references/configuration.rst).
 * Values are strings, as containers take them. `publicUrl` is the API's base
 * URL as clients call it, when it is known before the service starts.
 */
export function postgrestEnvironment(api: ApiConfig, service: ServiceConfig, publicUrl?: string): Record<string, string> {
    return {
        // First, so that nothing here can override what the program owns (service.settings refuses those names anyway).
        ...settingsEnvironment(service.settings),
        PGRST_DB_SCHEMAS: api.schemas.join(","),
        PGRST_DB_ANON_ROLE: api.anonRole,
        PGRST_JWT_ROLE_CLAIM_KEY: api.jwtRoleClaimKey,
        PGRST_DB_POOL: String(service.dbPool),
        PGRST_DB_CHANNEL_ENABLED: String(service.dbChannelEnabled),
        PGRST_SERVER_PORT: String(SERVER_PORT),
        PGRST_ADMIN_SERVER_PORT: String(ADMIN_SERVER_PORT),
        // `postgrest --ready` refuses special host names such as the default "!4"
        // (PostgREST docs/references/cli.rst, Ready Flag); 0.0.0.0 also lets the load balancer reach /ready.
        PGRST_ADMIN_SERVER_HOST: "0.0.0.0",
        PGRST_LOG_LEVEL: service.logLevel,
        // Without it the OpenAPI document at / names server-host:server-port, an address inside the container
        // (docs/references/configuration.rst, openapi-server-proxy-uri); behind a load balancer it must name the public URL.
        ...(publicUrl === undefined ? {} : { PGRST_OPENAPI_SERVER_PROXY_URI: publicUrl }),
    };
}

/** Where to connect, when it differs from `database.host` (a Cloud SQL socket directory, say). */
export interface ConnectionOverrides {
    /** A host name, or an absolute socket directory such as /cloudsql/project:region:instance. */
    host?: string;
    /** The port on that host, such as a local proxy's. @default database.port */
    port?: number;
    sslMode?: DatabaseConfig["sslMode"];
    /** Where the CA, client certificate and key files are (tls-files.ts). @default TLS_DIRECTORY */
    tlsDirectory?: string;
}

/**
 * A libpq connection URI (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS).
 * User and password are percent-encoded so any character is safe; a socket
 * directory goes in the `host` parameter, since a path cannot be a URI host.
 * The CA and client certificate files, when the config has them, are named by
 * sslrootcert, sslcert and sslkey: the image has no ~/.postgresql to default to.
 */
export function databaseUri(database: DatabaseConfig, user: string, password: string | undefined, overrides: ConnectionOverrides = {}): string {
    const host = overrides.host ?? database.host;
    if (host === undefined) throw new Error("no database host: database.host, or the address of the database the stack creates");
    const sslMode = overrides.sslMode ?? database.sslMode;
    const files = tlsFiles({ ...database, sslMode });
    const params = new URLSearchParams({ sslmode: sslMode, ...tlsFileParameters(files, overrides.tlsDirectory ?? TLS_DIRECTORY) });
    // No password: a login the connector authenticates (the Cloud SQL Auth Proxy's IAM login), and libpq sends none.
    const credentials = password === undefined ? encodeURIComponent(user) : `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
    const db = encodeURIComponent(database.name);
    if (host.startsWith("/")) {
        params.set("host", host);
        return `postgresql://${credentials}@/${db}?${params}`;
    }
    const hostPart = host.includes(":") ? `[${host}]` : host;
    return `postgresql://${credentials}@${hostPart}:${overrides.port ?? database.port}/${db}?${params}`;
}

/** The PGRST_DB_URI value as a secret Output; `host`, when given, is where the database is (a created one's address). */
export function postgrestDbUri(
    database: DatabaseConfig,
    user: pulumi.Input<string>,
    password: pulumi.Input<string> | undefined,
    overrides: Omit<ConnectionOverrides, "host"> & { host?: pulumi.Input<string> } = {},
): pulumi.Output<string> {
    return pulumi.secret(pulumi.all([user, password, overrides.host]).apply(([u, p, host]) => databaseUri(database, u, p, { ...overrides, host })));
}
