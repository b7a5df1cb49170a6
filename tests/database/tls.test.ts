/**
 * The deploy-time admin connection and TLS: libpq's sslmode semantics as a
 * pure table, then against a PostgreSQL that refuses plain text (pg_hba
 * `hostnossl ... reject`, like RDS's rds.force_ssl=1), through the provider
 * as the engine runs it.
 */
import * as assert from "assert";
import { converge, observe } from "../../components/database/apply";
import { declaredItems } from "../../components/database/resolve";
import { accessProvider } from "../../components/database/provider";
import { TlsConfigError, TlsDefaults, adminConnectionConfig } from "../../components/database/tls";
import { makeCa } from "../../testing/certificates";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { ADMIN_PASSWORD, TestServer, testServer, tlsTestServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "./engine";

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
        { name: "no sslmode: database.sslMode's default, encrypted and not verified", url: BASE, ssl: { rejectUnauthorized: false }, mode: "require" },
        { name: "sslmode=disable: the only plain text", url: `${BASE}?sslmode=disable`, ssl: false, mode: "disable" },
        { name: "sslmode=prefer: encrypted, never falling back", url: `${BASE}?sslmode=prefer`, ssl: { rejectUnauthorized: false }, mode: "prefer" },
        { name: "sslmode=allow: encrypted, never falling back", url: `${BASE}?sslmode=allow`, ssl: { rejectUnauthorized: false }, mode: "allow" },
        { name: "sslmode=require: not verified (pg would verify)", url: `${BASE}?sslmode=require`, ssl: { rejectUnauthorized: false }, mode: "require" },
        { name: "the URL's sslmode wins over database.sslMode", url: `${BASE}?sslmode=disable`, defaults: { sslMode: "verify-full", sslRootCert: CA_PEM }, ssl: false, mode: "disable" },
        { name: "database.sslMode verify-full with database.sslRootCert", url: BASE, defaults: { sslMode: "verify-full", sslRootCert: CA_PEM }, ssl: { rejectUnauthorized: true, ca: CA_PEM }, mode: "verify-full" },
        { name: "sslmode=verify-full with sslrootcert=<file>", url: `${BASE}?sslmode=verify-full&sslrootcert=/etc/ca.pem`, ssl: { rejectUnauthorized: true, ca: "ca-from-file" }, mode: "verify-full" },
        { name: "sslrootcert=system alone: the platform's CAs, verify-full", url: `${BASE}?sslrootcert=system`, ssl: { rejectUnauthorized: true }, mode: "verify-full" },
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
            const ssl = adminConnectionConfig(url, require_, readFile).ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity(): unknown };
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
        { name: "database.sslMode verify-ca without database.sslRootCert", url: BASE, defaults: { sslMode: "verify-ca" }, says: /sslmode=verify-ca verifies/ },
        { name: "an unknown sslmode", url: `${BASE}?sslmode=requre`, says: /sslmode "requre" is not one of disable, allow, prefer, require, verify-ca, verify-full/ },
        { name: "a misspelt parameter", url: `${BASE}?ssl_mode=require`, says: /parameter "ssl_mode" is not supported/ },
        { name: "sslrootcert=system with a weaker mode", url: `${BASE}?sslmode=require&sslrootcert=system`, says: /needs sslmode=verify-full/ },
        { name: "sslcert without sslkey", url: `${BASE}?sslcert=/etc/client.crt`, says: /without the other/ },
        { name: "a CA file that does not exist", url: `${BASE}?sslmode=verify-ca&sslrootcert=/nope.pem`, says: /cannot read \/nope\.pem/ },
    ];
    for (const r of refusals) {
        it(`refuses ${r.name}, without showing the password`, () => {
            assert.throws(
                () => adminConnectionConfig(r.url, r.defaults ?? require_, readFile),
                (error: Error) => error instanceof TlsConfigError && r.says.test(error.message) && !error.message.includes("s%40cret") && !error.message.includes("s@cret"),
            );
        });
    }
});

const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const PASSWORD = "TlsAuthenticatorPassword0123456";

function inputs(adminUrl: string, adminTls: TlsDefaults = { sslMode: "require" }) {
    return { adminUrl, adminTls, authenticatorRole: API.authenticatorRole, authenticatorPassword: PASSWORD, api: API, state: declaredItems(API) };
}

/** The admin URL with a host and query of the test's choosing. */
function adminUrl(server: TestServer, database: string, host: string, query = ""): string {
    return server.url(database).replace("127.0.0.1", host) + query;
}

describe("a PostgreSQL without TLS", () => {
    it("is reached only with sslmode=disable: the default (require) fails, saying so", async () => {
        const server = await testServer(18);
        const url = server.url("postgres").replace("?sslmode=disable", "");
        await assert.rejects(observe(url, API), (error: Error) => {
            assert.match(error.message, /TLS \(sslmode=require\): the server does not offer TLS; the admin URL must say sslmode=disable/);
            assert.ok(!error.message.includes(ADMIN_PASSWORD));
            return true;
        });
    });
});

describe("a TLS-only PostgreSQL (hostnossl ... reject, like rds.force_ssl=1)", function () {
    let server: TestServer;
    before(async function () {
        this.timeout(120_000);
        server = await tlsTestServer("tls-only");
    });

    it("refuses plain text, so the tests below prove TLS", async () => {
        const db = await freshDatabase(server);
        await assert.rejects(
            converge({ ...inputs(adminUrl(server, db, "127.0.0.1", "?sslmode=disable")), desired: API, createdRoles: [], createdSchemas: [], password: PASSWORD }),
            /the server accepts only TLS connections: remove sslmode=disable .*pg_hba\.conf rejects connection .*no encryption/,
        );
    });

    it("the serialized provider applies with the default config (no sslmode anywhere) in a separate node process", async () => {
        const db = await freshDatabase(server);
        const { created, read } = await runInEngineLikeHost({ provider: await serializedProvider(), inputs: inputs(server.url(db)) });
        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.deepStrictEqual(read.props.state, declaredItems(API));
    });

    it("sslmode=require in the admin URL works without any CA", async () => {
        const db = await freshDatabase(server);
        const result = await converge({ adminUrl: adminUrl(server, db, "127.0.0.1", "?sslmode=require"), desired: API, createdRoles: [], createdSchemas: [], password: PASSWORD });
        assert.deepStrictEqual(result.createdRoles, ["authenticator", "web_anon"]);
    });

    it("verify-full with the right CA (database.sslRootCert) works when the host is the certificate's", async () => {
        const db = await freshDatabase(server);
        const tls: TlsDefaults = { sslMode: "verify-full", sslRootCert: server.tls!.ca.cert };
        const result = await converge({ ...inputs(adminUrl(server, db, "localhost"), tls), desired: API, createdRoles: [], createdSchemas: [], password: PASSWORD });
        assert.deepStrictEqual(result.createdRoles, ["authenticator", "web_anon"]);
    });

    it("verify-full with a wrong CA fails with a clear error that holds no password", async () => {
        const db = await freshDatabase(server);
        const url = adminUrl(server, db, "localhost");
        const tls: TlsDefaults = { sslMode: "verify-full", sslRootCert: makeCa("Some other CA").cert };
        await assert.rejects(accessProvider.create(inputs(url, tls)), (error: Error) => {
            assert.match(error.message, /cannot connect to localhost:\d+\/seed_\d+ as the admin user: TLS \(sslmode=verify-full\): the server's certificate .*database\.sslRootCert/);
            for (const secret of [ADMIN_PASSWORD, url, PASSWORD]) assert.ok(!error.message.includes(secret), `message holds ${secret}`);
            return true;
        });
    });

    it("verify-full checks the host name and verify-ca does not", async () => {
        const db = await freshDatabase(server);
        const ca = server.tls!.ca.cert;
        // The certificate names localhost only.
        await assert.rejects(
            converge({ ...inputs(adminUrl(server, db, "127.0.0.1"), { sslMode: "verify-full", sslRootCert: ca }), desired: API, createdRoles: [], createdSchemas: [] }),
            /does not name the host of the admin URL/,
        );
        const result = await converge({ ...inputs(adminUrl(server, db, "127.0.0.1"), { sslMode: "verify-ca", sslRootCert: ca }), desired: API, createdRoles: [], createdSchemas: [], password: PASSWORD });
        assert.deepStrictEqual(result.createdRoles, ["authenticator", "web_anon"]);
    });

    it("a new host for the same database is an update that drops nothing", async () => {
        const db = await freshDatabase(server);
        const before = inputs(adminUrl(server, db, "127.0.0.1"));
        const created = await accessProvider.create(before);
        const after = inputs(adminUrl(server, db, "localhost"));
        const diff = await accessProvider.diff!(created.id, created.outs, after);
        assert.deepStrictEqual([diff.changes, diff.replaces], [true, []]);
        const updated = await accessProvider.update!(created.id, created.outs, after);
        assert.deepStrictEqual(updated.outs.createdRoles, ["authenticator", "web_anon"]);
        const roles = await withClient(server.url(db), async (client) => (await client.query("select rolname from pg_roles where rolname = any($1) order by 1", [["authenticator", "web_anon"]])).rows, server.ssl);
        assert.deepStrictEqual(roles.map((r) => r.rolname), ["authenticator", "web_anon"]);
    });
});
