/** The deploy-time admin connection: libpq's sslmode semantics, as a pure table. */
import * as assert from "assert";
import { TlsConfigError, TlsDefaults, adminConnectionConfig } from "../../components/model/admin-connection";

const CA_PEM = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n";
const FILES: Record<string, string> = { "/etc/ca.pem": "ca-from-file", "/etc/client.crt": "client-cert", "/etc/client.key": "client-key" };
const readFile = (path: string) => {
    if (!(path in FILES)) throw new TlsConfigError(`cannot read ${path}`);
    return FILES[path];
};
const BASE = "postgresql://admin:s%40cret@db.example.com:6543/startup";

describe("adminConnectionConfig: libpq's sslmode, not node-postgres'", () => {
    const require_: TlsDefaults = { sslMode: "require" };
    const cases: { name: string; url: string; defaults?: TlsDefaults; ssl: unknown; mode: string }[] = [
        {
            name: "no sslmode: database.sslMode's default, encrypted and not verified",
            url: BASE,
            ssl: { rejectUnauthorized: false },
            mode: "require",
        },
        { name: "sslmode=disable: the only plain text", url: `${BASE}?sslmode=disable`, ssl: false, mode: "disable" },
        { name: "sslmode=prefer: encrypted, never falling back", url: `${BASE}?sslmode=prefer`, ssl: { rejectUnauthorized: false }, mode: "prefer" },
        { name: "sslmode=allow: encrypted, never falling back", url: `${BASE}?sslmode=allow`, ssl: { rejectUnauthorized: false }, mode: "allow" },
        {
            name: "sslmode=require: not verified (pg would verify)",
            url: `${BASE}?sslmode=require`,
            ssl: { rejectUnauthorized: false },
            mode: "require",
        },
        {
            name: "the URL's sslmode wins over database.sslMode",
            url: `${BASE}?sslmode=disable`,
            defaults: { sslMode: "verify-full", sslRootCert: CA_PEM },
            ssl: false,
            mode: "disable",
        },
        {
            name: "database.sslMode verify-full with database.sslRootCert",
            url: BASE,
            defaults: { sslMode: "verify-full", sslRootCert: CA_PEM },
            ssl: { rejectUnauthorized: true, ca: CA_PEM },
            mode: "verify-full",
        },
        {
            name: "sslmode=verify-full with sslrootcert=<file>",
            url: `${BASE}?sslmode=verify-full&sslrootcert=/etc/ca.pem`,
            ssl: { rejectUnauthorized: true, ca: "ca-from-file" },
            mode: "verify-full",
        },
        {
            name: "sslrootcert=system alone: the platform's CAs, verify-full",
            url: `${BASE}?sslrootcert=system`,
            ssl: { rejectUnauthorized: true },
            mode: "verify-full",
        },
        {
            name: "client certificate files in the URL",
            url: `${BASE}?sslmode=require&sslcert=/etc/client.crt&sslkey=/etc/client.key`,
            ssl: { rejectUnauthorized: false, cert: "client-cert", key: "client-key" },
            mode: "require",
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const config = adminConnectionConfig(c.url, c.defaults ?? require_, readFile);
            assert.deepStrictEqual({ ssl: config.ssl, mode: config.sslMode }, { ssl: c.ssl, mode: c.mode });
        });
    }

    it("verify-ca checks the chain but not the host name; require with a CA at hand behaves as verify-ca (libpq)", () => {
        for (const url of [`${BASE}?sslmode=verify-ca&sslrootcert=/etc/ca.pem`, `${BASE}?sslmode=require&sslrootcert=/etc/ca.pem`]) {
            const ssl = adminConnectionConfig(url, require_, readFile).ssl as {
                rejectUnauthorized: boolean;
                ca: string;
                checkServerIdentity(): unknown;
            };
            assert.strictEqual(ssl.rejectUnauthorized, true);
            assert.strictEqual(ssl.ca, "ca-from-file");
            assert.strictEqual(ssl.checkServerIdentity(), undefined);
        }
    });

    it("takes host, port, user, password and database from the URL, decoded; the database defaults to the user", () => {
        const { ssl: _ssl, sslMode: _mode, ...fields } = adminConnectionConfig(BASE, require_, readFile);
        assert.deepStrictEqual(fields, { host: "db.example.com", port: 6543, user: "admin", password: "s@cret", database: "startup" });
        const bare = adminConnectionConfig("postgresql://ops:pw@[::1]", require_, readFile);
        assert.deepStrictEqual([bare.host, bare.port, bare.database], ["::1", 5432, "ops"]);
    });

    const refusals: { name: string; url: string; defaults?: TlsDefaults; says: RegExp }[] = [
        { name: "verify-full without a CA", url: `${BASE}?sslmode=verify-full`, says: /needs the CA that signed it: set database\.sslRootCert/ },
        {
            name: "database.sslMode verify-ca without database.sslRootCert",
            url: BASE,
            defaults: { sslMode: "verify-ca" },
            says: /sslmode=verify-ca verifies/,
        },
        {
            name: "an unknown sslmode",
            url: `${BASE}?sslmode=requre`,
            says: /sslmode "requre" is not one of disable, allow, prefer, require, verify-ca, verify-full/,
        },
        { name: "a misspelt parameter", url: `${BASE}?ssl_mode=require`, says: /parameter "ssl_mode" is not supported/ },
        { name: "sslrootcert=system with a weaker mode", url: `${BASE}?sslmode=require&sslrootcert=system`, says: /needs sslmode=verify-full/ },
        { name: "sslcert without sslkey", url: `${BASE}?sslcert=/etc/client.crt`, says: /without the other/ },
        { name: "a CA file that does not exist", url: `${BASE}?sslmode=verify-ca&sslrootcert=/nope.pem`, says: /cannot read \/nope\.pem/ },
    ];
    for (const r of refusals) {
        it(`refuses ${r.name}, without showing the password`, () => {
            assert.throws(
                () => adminConnectionConfig(r.url, r.defaults ?? require_, readFile),
                (error: Error) =>
                    error instanceof TlsConfigError &&
                    r.says.test(error.message) &&
                    !error.message.includes("s%40cret") &&
                    !error.message.includes("s@cret"),
            );
        });
    }
});
