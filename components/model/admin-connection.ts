/**
 * The deploy-time admin connection, the way libpq reads a postgresql:// URL:
 * `sslmode` (and `sslrootcert`, `sslcert`, `sslkey`) in the URL mean what they
 * mean to psql and to PostgREST, not what node-postgres makes of them (its
 * `sslmode=require` verifies the certificate chain). Pure apart from reading
 * the files the URL names.
 *
 * libpq's modes (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION),
 * with one deliberate difference: `allow` and `prefer` never fall back to
 * plain text here; only `disable` sends the admin password unencrypted.
 */
import * as fs from "fs";
import type { ConnectionOptions } from "tls";

export const LIBPQ_SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type LibpqSslMode = (typeof LIBPQ_SSL_MODES)[number];

/** What the stack config says when the URL says nothing: database.sslMode and database.sslRootCert. */
export interface TlsDefaults {
    sslMode: LibpqSslMode;
    /** PEM of the CA(s) that signed the server's certificate. */
    sslRootCert?: string;
}

/** node-postgres' client config, every field explicit: a connectionString would override `ssl` with pg's own reading of sslmode. */
export interface AdminConnectionConfig {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
    /** false: plain text (sslmode=disable only). */
    ssl: false | ConnectionOptions;
    /** The mode in force, for error messages. */
    sslMode: LibpqSslMode;
}

export class TlsConfigError extends Error {}

/** Only the connection's own query parameters are read; a typo must not silently weaken TLS. */
const URL_PARAMETERS = ["sslmode", "sslrootcert", "sslcert", "sslkey"];

/**
 * The admin connection of `adminUrl`. Throws TlsConfigError (never showing
 * the URL) when the URL asks for something this cannot honour.
 */
export function adminConnectionConfig(adminUrl: string, defaults: TlsDefaults, readFile: (path: string) => string = readText): AdminConnectionConfig {
    const url = parseAdminUrl(adminUrl);
    if (typeof url === "string") throw new TlsConfigError(`the admin URL (databaseAdminUrl) ${url}`);
    for (const name of url.searchParams.keys()) {
        if (!URL_PARAMETERS.includes(name))
            throw new TlsConfigError(`the admin URL's parameter "${name}" is not supported; supported: ${URL_PARAMETERS.join(", ")}`);
    }
    const modeParameter = url.searchParams.get("sslmode");
    if (modeParameter !== null && !(LIBPQ_SSL_MODES as readonly string[]).includes(modeParameter)) {
        throw new TlsConfigError(`the admin URL's sslmode "${modeParameter}" is not one of ${LIBPQ_SSL_MODES.join(", ")}`);
    }
    const rootCertParameter = url.searchParams.get("sslrootcert");
    const user = decodeURIComponent(url.username);
    const common = {
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port ? Number(url.port) : 5432,
        user,
        password: decodeURIComponent(url.password),
        // libpq's default database is the user's name.
        database: decodeURIComponent(url.pathname.replace(/^\//, "")) || user,
    };
    const sslMode = (modeParameter as LibpqSslMode | null) ?? (rootCertParameter === "system" ? "verify-full" : defaults.sslMode);
    if (sslMode === "disable") return { ...common, ssl: false, sslMode };

    // sslrootcert=system: the platform's trusted CAs, and only with full verification (libpq 16+).
    const systemRoots = rootCertParameter === "system";
    if (systemRoots && sslMode !== "verify-full") {
        throw new TlsConfigError(`the admin URL's sslrootcert=system needs sslmode=verify-full (libpq refuses sslmode=${sslMode} with it)`);
    }
    const ca = systemRoots ? undefined : rootCertParameter !== null ? readFile(rootCertParameter) : defaults.sslRootCert;
    const clientCertificate = clientCertificateFiles(url, readFile);

    // libpq: with a root certificate at hand, require behaves as verify-ca (backward compatibility).
    const verification = sslMode === "verify-full" ? "full" : sslMode === "verify-ca" || (sslMode === "require" && ca !== undefined) ? "ca" : "none";
    if (verification === "none") return { ...common, ssl: { rejectUnauthorized: false, ...clientCertificate }, sslMode };
    if (ca === undefined && !systemRoots) {
        throw new TlsConfigError(
            `sslmode=${sslMode} verifies the server's certificate and needs the CA that signed it: set database.sslRootCert (PEM) or sslrootcert=<file> in the admin URL`,
        );
    }
    return {
        ...common,
        ssl: {
            rejectUnauthorized: true,
            ...(ca === undefined ? {} : { ca }),
            ...clientCertificate,
            // verify-ca checks the chain only; verify-full also the host name (node's default check).
            ...(verification === "ca" ? { checkServerIdentity: () => undefined } : {}),
        },
        sslMode,
    };
}

/** How to write a reserved character of a user name or password: the fix every syntax problem ends with. */
export const PERCENT_ENCODING_FIX =
    "percent-encode the user name and password, e.g. node -e 'console.log(encodeURIComponent(process.argv[1]))' 'PASSWORD', " +
    "then set the URL again: pulumi config set --secret databaseAdminUrl 'postgresql://USER:ENCODED_PASSWORD@HOST:5432/DATABASE'";

// Characters that end or split a URL's user information (RFC 3986 section 3.2.1 and gen-delims, section 2.2),
// plus whitespace: each must be percent-encoded in a user name or password.
const RESERVED_IN_USERINFO = /[@/?#[\]\s]/;

/**
 * The admin URL parsed as the WHATWG URL parser reads it, or what is wrong with how it is written, in words that
 * never quote it (it holds a password). An unencoded `#`, `/`, `?` or `@` in a password makes the parser see a
 * fragment, a path or another host, or fail; a bare `%` makes decoding fail: each is named, with the fix.
 */
export function parseAdminUrl(adminUrl: string): URL | string {
    let url: URL | undefined;
    try {
        url = new URL(adminUrl);
    } catch {
        url = undefined;
    }
    const misread = url === undefined || url.hash !== "" || (url.username === "" && adminUrl.includes("@"));
    const userinfo = userinfoProblem(adminUrl);
    if (userinfo) return userinfo;
    if (misread) return `is not a valid postgresql:// URL (value not shown: it is secret); ${PERCENT_ENCODING_FIX}`;
    return url!;
}

/** What is wrong with the user name or password as written: the text before the URL's last `@`. */
function userinfoProblem(adminUrl: string): string | undefined {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(adminUrl);
    const at = adminUrl.lastIndexOf("@");
    if (!scheme || at < scheme[0].length) return undefined;
    const userinfo = adminUrl.slice(scheme[0].length, at);
    const colon = userinfo.indexOf(":");
    const parts: [string, string][] =
        colon < 0
            ? [["user name", userinfo]]
            : [
                  ["user name", userinfo.slice(0, colon)],
                  ["password", userinfo.slice(colon + 1)],
              ];
    for (const [part, text] of parts) {
        if (RESERVED_IN_USERINFO.test(text))
            return `has a ${part} holding a character that must be percent-encoded (one of @ / ? # [ ] or a space); ${PERCENT_ENCODING_FIX}`;
        if (/%(?![0-9A-Fa-f]{2})/.test(text))
            return `has a ${part} holding a % that does not start a percent-encoded byte (a literal % is written %25); ${PERCENT_ENCODING_FIX}`;
        try {
            decodeURIComponent(text);
        } catch {
            return `has a ${part} whose percent-encoding is not UTF-8; ${PERCENT_ENCODING_FIX}`;
        }
    }
    return undefined;
}

function clientCertificateFiles(url: URL, readFile: (path: string) => string): { cert?: string; key?: string } {
    const certPath = url.searchParams.get("sslcert");
    const keyPath = url.searchParams.get("sslkey");
    if ((certPath === null) !== (keyPath === null)) throw new TlsConfigError("the admin URL names sslcert or sslkey without the other: give both");
    return certPath === null || keyPath === null ? {} : { cert: readFile(certPath), key: readFile(keyPath) };
}

function readText(path: string): string {
    try {
        return fs.readFileSync(path, "utf8");
    } catch (error) {
        throw new TlsConfigError(`cannot read ${path}, named in the admin URL: ${(error as Error).message}`);
    }
}
