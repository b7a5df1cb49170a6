/**
 * The deploy-time admin connection and TLS against real servers: one without
 * TLS, and one that refuses plain text (pg_hba `hostnossl ... reject`, like
 * RDS's rds.force_ssl=1), through the provider as the engine runs it. How the
 * URL's sslmode is read is tested in tests/config/admin-connection.test.ts.
 */
import * as assert from "assert";
import { converge, observe } from "../../components/database/apply";
import { declaredItems } from "../../components/database/declarations";
import { apiInputs } from "../../components/database/properties";
import { accessProvider } from "../../components/database/provider";
import { TlsDefaults } from "../../components/database/tls";
import { makeCa } from "../../testing/certificates";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { ADMIN_PASSWORD, TestServer, testServer, tlsTestServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "../../testing/engine-host";

const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const PASSWORD = "TlsAuthenticatorPassword0123456";

function inputs(adminUrl: string, adminTls: TlsDefaults = { sslMode: "require" }) {
    return { adminUrl, adminTls, authenticatorPassword: PASSWORD, ...apiInputs(API) };
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
            converge({
                ...inputs(adminUrl(server, db, "127.0.0.1", "?sslmode=disable")),
                desired: API,
                createdRoles: [],
                createdSchemas: [],
                passwords: { authenticator: PASSWORD },
            }),
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
        const result = await converge({
            adminUrl: adminUrl(server, db, "127.0.0.1", "?sslmode=require"),
            desired: API,
            createdRoles: [],
            createdSchemas: [],
            passwords: { authenticator: PASSWORD },
        });
        assert.deepStrictEqual(result.createdRoles, ["authenticator", "web_anon"]);
    });

    it("verify-full with the right CA (database.sslRootCert) works when the host is the certificate's", async () => {
        const db = await freshDatabase(server);
        const tls: TlsDefaults = { sslMode: "verify-full", sslRootCert: server.tls!.ca.cert };
        const result = await converge({
            ...inputs(adminUrl(server, db, "localhost"), tls),
            desired: API,
            createdRoles: [],
            createdSchemas: [],
            passwords: { authenticator: PASSWORD },
        });
        assert.deepStrictEqual(result.createdRoles, ["authenticator", "web_anon"]);
    });

    it("verify-full with a wrong CA fails with a clear error that holds no password", async () => {
        const db = await freshDatabase(server);
        const url = adminUrl(server, db, "localhost");
        const tls: TlsDefaults = { sslMode: "verify-full", sslRootCert: makeCa("Some other CA").cert };
        await assert.rejects(accessProvider.create(inputs(url, tls)), (error: Error) => {
            assert.match(
                error.message,
                /cannot connect to localhost:\d+\/seed_\d+ as the admin user: TLS \(sslmode=verify-full\): the server's certificate .*database\.sslRootCert/,
            );
            for (const secret of [ADMIN_PASSWORD, url, PASSWORD]) assert.ok(!error.message.includes(secret), `message holds ${secret}`);
            return true;
        });
    });

    it("verify-full checks the host name and verify-ca does not", async () => {
        const db = await freshDatabase(server);
        const ca = server.tls!.ca.cert;
        // The certificate names localhost only.
        await assert.rejects(
            converge({
                ...inputs(adminUrl(server, db, "127.0.0.1"), { sslMode: "verify-full", sslRootCert: ca }),
                desired: API,
                createdRoles: [],
                createdSchemas: [],
            }),
            /does not name the host of the admin URL/,
        );
        const result = await converge({
            ...inputs(adminUrl(server, db, "127.0.0.1"), { sslMode: "verify-ca", sslRootCert: ca }),
            desired: API,
            createdRoles: [],
            createdSchemas: [],
            passwords: { authenticator: PASSWORD },
        });
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
        const roles = await withClient(
            server.url(db),
            async (client) =>
                (await client.query("select rolname from pg_roles where rolname = any($1) order by 1", [["authenticator", "web_anon"]])).rows,
            server.ssl,
        );
        assert.deepStrictEqual(
            roles.map((r) => r.rolname),
            ["authenticator", "web_anon"],
        );
    });
});
