/**
 * Validation of the database's TLS keys (database.host, sslMode, sslRootCert,
 * sslCert, databaseClientKey, the admin URL's sslmode), with certificates
 * made by openssl: every mistake is refused before any resource, naming the
 * key and never quoting a private key or the admin password.
 */
import * as assert from "assert";
import { baseConfig, configProblems, expectConfigError, parseStackConfig } from "../../testing/harness";
import { issue, makeCa } from "../../testing/certificates";

type Config = Record<string, unknown>;
const SECRET_KEYS = ["databaseAdminUrl", "jwtSecret", "databaseClientKey"];
const DAY = 24 * 60 * 60 * 1000;

const ca = makeCa("Config test CA", 30);
const client = issue(ca, "authenticator", { days: 10 });
const otherClient = issue(ca, "authenticator", { days: 10 });
const aws = baseConfig("aws");
const withDatabase = (database: Config, rest: Config = {}): Config => ({
    ...aws,
    database: { host: "db.example.com", name: "startup", ...database },
    ...rest,
});
const withClientCert = (database: Config = {}, key: string = client.key): Config =>
    withDatabase({ sslMode: "verify-ca", sslRootCert: ca.cert, sslCert: client.cert, ...database }, { databaseClientKey: key });

const badConfigs: { name: string; config: Config; secretKeys?: string[]; now?: Date; key: string; says: RegExp }[] = [
    {
        name: "a host with a port",
        config: withDatabase({ host: "db.example.com:5432" }),
        key: "postgrest:database.host",
        says: /must not hold a port.*database\.port/,
    },
    {
        name: "a host with a scheme",
        config: withDatabase({ host: "postgres://db.example.com" }),
        key: "postgrest:database.host",
        says: /not a URL; put the port in database\.port/,
    },
    {
        name: "a bracketed IPv6 host",
        config: withDatabase({ host: "[2001:db8::1]" }),
        key: "postgrest:database.host",
        says: /must not hold a port or brackets/,
    },
    {
        name: "verify-full without sslRootCert",
        config: withDatabase({ sslMode: "verify-full" }),
        key: "postgrest:database.sslRootCert",
        says: /is required by sslMode verify-full/,
    },
    {
        name: "verify-ca without sslRootCert",
        config: withDatabase({ sslMode: "verify-ca" }),
        key: "postgrest:database.sslRootCert",
        says: /is required by sslMode verify-ca/,
    },
    {
        name: "a root cert that is not PEM",
        config: withDatabase({ sslRootCert: "global-bundle.pem" }),
        key: "postgrest:database.sslRootCert",
        says: /holds no PEM certificate/,
    },
    {
        name: "a root cert that does not parse",
        config: withDatabase({ sslRootCert: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----" }),
        key: "postgrest:database.sslRootCert",
        says: /certificate 1 of 1 does not parse/,
    },
    {
        name: "a root cert bundle all expired",
        config: withDatabase({ sslRootCert: ca.cert }),
        now: new Date(Date.now() + 60 * DAY),
        key: "postgrest:database.sslRootCert",
        says: /every certificate in it has expired/,
    },
    {
        name: "sslCert without databaseClientKey",
        config: withDatabase({ sslMode: "require", sslCert: client.cert }),
        key: "postgrest:databaseClientKey",
        says: /is required with postgrest:database\.sslCert/,
    },
    {
        name: "databaseClientKey without sslCert",
        config: withDatabase({}, { databaseClientKey: client.key }),
        key: "postgrest:database.sslCert",
        says: /is required with postgrest:databaseClientKey/,
    },
    {
        name: "databaseClientKey not secret",
        config: withClientCert(),
        secretKeys: ["databaseAdminUrl"],
        key: "postgrest:databaseClientKey",
        says: /must be set as a secret/,
    },
    {
        name: "a key that does not parse",
        config: withClientCert({}, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"),
        key: "postgrest:databaseClientKey",
        says: /is not an unencrypted PEM private key/,
    },
    {
        name: "a key of another certificate",
        config: withClientCert({}, otherClient.key),
        key: "postgrest:databaseClientKey",
        says: /is not the private key of database\.sslCert \(subject CN=authenticator\)/,
    },
    {
        name: "an expired client certificate",
        config: withClientCert(),
        now: new Date(Date.now() + 20 * DAY),
        key: "postgrest:database.sslCert",
        says: /expired on .* issue a new one/,
    },
    {
        name: "a client certificate without TLS",
        config: withClientCert({ sslMode: "disable", sslRootCert: undefined }),
        key: "postgrest:database.sslCert",
        says: /needs TLS/,
    },
    {
        name: "the admin user as authenticator",
        config: { ...aws, api: { authenticatorRole: "admin", roles: { web_anon: {} } } },
        key: "postgrest:api.authenticatorRole",
        says: /is "admin", the user of postgrest:databaseAdminUrl: its password would be replaced/,
    },
    {
        name: "an admin URL with sslmode verify-full and no CA",
        config: { ...aws, databaseAdminUrl: "postgresql://admin:hunter2-secret@db.example.com/startup?sslmode=verify-full" },
        key: "postgrest:databaseAdminUrl",
        says: /sslmode=verify-full verifies the server's certificate and needs the CA/,
    },
    {
        name: "an admin URL with a misspelt sslmode",
        config: { ...aws, databaseAdminUrl: "postgresql://admin:hunter2-secret@db.example.com/startup?sslmode=requir" },
        key: "postgrest:databaseAdminUrl",
        says: /sslmode "requir" is not one of/,
    },
];

describe("database TLS config validation", () => {
    for (const bad of badConfigs) {
        it(`refuses ${bad.name}, naming ${bad.key}`, () => {
            const problems = configProblems(bad.config, bad.secretKeys ?? SECRET_KEYS, bad.now);
            assert.strictEqual(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
            assert.ok(problems[0].startsWith(`${bad.key}: `), problems[0]);
            assert.match(problems[0], bad.says);
            assert.match(problems[0], /Example: \S/);
            for (const secret of ["hunter2", client.key.split("\n")[1], otherClient.key.split("\n")[1]])
                assert.ok(!problems[0].includes(secret), problems[0]);
        });
    }

    it("accepts a verify-ca setup with a client certificate (as on Cloud Run with certificate auth), and an IPv6 host", () => {
        const config = parseStackConfig(
            {
                ...withClientCert(),
                database: { host: "2001:db8::1", name: "startup", sslMode: "verify-ca", sslRootCert: ca.cert, sslCert: client.cert },
            },
            SECRET_KEYS,
        );
        assert.deepStrictEqual(
            [config.database.sslMode, config.database.sslRootCert, config.database.sslCert, config.databaseClientKey],
            ["verify-ca", ca.cert, client.cert, client.key],
        );
    });

    it("refuses a bad client key before registering any resource", async () => {
        const { message, resources } = await expectConfigError(withClientCert({}, otherClient.key), { secretKeys: SECRET_KEYS });
        assert.match(message, /postgrest:databaseClientKey: is not the private key/);
        assert.deepStrictEqual(resources, []);
    });
});
