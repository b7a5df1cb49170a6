/**
 * database.adminSecret through the provider the engine loads, on real PostgreSQL: the admin credentials are read
 * from local endpoints that speak Secrets Manager and Secret Manager, at each operation, so an admin password the
 * database's provider rotates between two `up`s, and before a destroy, breaks nothing; the state keeps the
 * reference only, and a preview reads nothing.
 */
import * as assert from "assert";
import { adminUrlFromSecret, referenceTarget } from "../../components/model/admin-secret";
import { readAdminUrl } from "../../components/database/admin-secret";
import { apiInputs } from "../../components/database/properties";
import { declaredItems } from "../../components/database/declarations";
import { apiConfig, freshDatabase } from "../../testing/databases";
import { FakeSecretStore, TEST_AWS_CREDENTIALS, startFakeSecretManager, startFakeSecretsManager } from "../../testing/fakes/secret-stores";
import { TestServer, testServer, tlsTestServer } from "../../testing/servers";
import { ROLES_AND_GRANTS, baseConfig, runProgram } from "../../testing/harness";
import { EngineHost, startEngineHost } from "../../testing/engine-host";

const REFERENCE = {
    secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf",
    host: "db.example.com",
    port: 5432,
    database: "startup",
};

describe("database.adminSecret: the admin URL from a secret's text (pure)", () => {
    const cases: { name: string; text: string; url: string }[] = [
        {
            name: "an RDS-managed master user secret",
            text: '{"username":"postgres","password":"p@ss:w/rd"}',
            url: "postgresql://postgres:p%40ss%3Aw%2Frd@db.example.com:5432/startup",
        },
        {
            name: "a URL: its user, password and query, on the stack's database",
            text: "postgresql://admin:s3cret@elsewhere:6543/other?sslmode=verify-full",
            url: "postgresql://admin:s3cret@db.example.com:5432/startup?sslmode=verify-full",
        },
    ];
    for (const c of cases) it(c.name, () => assert.strictEqual(adminUrlFromSecret(c.text, REFERENCE), c.url));

    it("refuses other text without echoing it", () => {
        for (const text of ["hunter2-secret", '{"user":"x","pass":"hunter2-secret"}', "{hunter2-secret"]) {
            assert.throws(
                () => adminUrlFromSecret(text, REFERENCE),
                (error: Error) => !error.message.includes("hunter2") && /username|postgresql:\/\//.test(error.message),
            );
        }
    });

    it("names the database without credentials", () => assert.strictEqual(referenceTarget(REFERENCE), "postgresql://db.example.com:5432/startup"));
});

const ADMIN = "rotating_admin";
const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const MORE = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select", "insert"] } } } });
const PASSWORDS = ["AdminPasswordBeforeRotation01", "AdminPasswordRotatedOnce02", "AdminPasswordRotatedTwice03"];

const stores = {
    aws: {
        secret: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-4f2a-AbCdEf",
        start: (secret: string, value: string) => startFakeSecretsManager({ [secret]: value }),
        // RDS stores a managed master user as JSON with these keys (and no URL).
        value: (password: string) => JSON.stringify({ username: ADMIN, password }),
        env: (store: FakeSecretStore) => ({
            AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
            AWS_ENDPOINT_URL_SECRETS_MANAGER: store.url,
        }),
        server: () => testServer(18),
    },
    gcp: {
        secret: "projects/my-project/secrets/db-admin",
        start: (secret: string, value: string) => startFakeSecretManager({ [secret]: value }),
        value: (password: string) => `postgresql://${ADMIN}:${password}@ignored-host/ignored`,
        env: (store: FakeSecretStore) => ({ GCE_METADATA_HOST: store.host, CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER: `${store.url}/` }),
        server: () => tlsTestServer("tls-only"),
    },
};

for (const [cloud, store] of Object.entries(stores)) {
    describe(`database.adminSecret on ${cloud}, through the provider the engine loads`, function () {
        let server: TestServer;
        let fake: FakeSecretStore;
        let host: EngineHost;
        const saved: Record<string, string | undefined> = {};
        before(async function () {
            this.timeout(120_000);
            server = await store.server();
            fake = await store.start(store.secret, store.value(PASSWORDS[0]));
            // The provider host inherits the deployer's environment: its credentials and, here, the local endpoints.
            for (const [name, value] of Object.entries({ ...store.env(fake), GOOGLE_APPLICATION_CREDENTIALS: undefined })) {
                saved[name] = process.env[name];
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
            host = await startEngineHost();
        });
        after(async () => {
            host?.stop();
            await fake?.close();
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
        });

        it("reads the secret at each operation: an admin password rotated between two ups and before a destroy breaks nothing", async () => {
            const database = await freshDatabase(server);
            // An admin of its own (the tests' `admin` stays as it is): it may create roles and grant on admin's tables.
            await server.asSuperuser(database, (c) =>
                c.query(`CREATE ROLE ${ADMIN} LOGIN CREATEROLE PASSWORD '${PASSWORDS[0]}'; GRANT admin TO ${ADMIN}`),
            );
            const inputs = (api = API) => ({
                adminSecret: { secret: store.secret, host: "127.0.0.1", port: server.port, database },
                adminTls: { sslMode: server.tls ? ("require" as const) : ("disable" as const) },
                authenticatorPassword: "AdminSecretAuthenticator0123",
                ...apiInputs(api),
            });
            const created = await host.create(inputs());
            assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
            assert.deepStrictEqual(created.outs.adminSecret, inputs().adminSecret);
            assert.strictEqual(created.outs.adminUrl, undefined);
            assert.strictEqual(fake.reads.length, 1);

            // A preview of a grants change: the engine's diff, which reads no secret.
            assert.strictEqual((await host.diff(created.id, created.outs, inputs(MORE))).changes, "some");
            assert.strictEqual(fake.reads.length, 1);

            // The database's provider rotates the admin password: the database first, then the secret.
            const rotate = async (password: string) => {
                await server.asSuperuser(database, (c) => c.query(`ALTER ROLE ${ADMIN} PASSWORD '${password}'`));
                fake.rotate(store.secret, store.value(password));
            };
            await rotate(PASSWORDS[1]);
            const updated = await host.update(created.id, created.outs, inputs(MORE));
            assert.deepStrictEqual(updated.state, declaredItems(MORE));
            const read = await host.read(created.id, updated);
            assert.deepStrictEqual(read.props.state, declaredItems(MORE));

            await rotate(PASSWORDS[2]);
            await host.delete(created.id, updated);
            const left = await server.asSuperuser(database, (c) =>
                c.query("select rolname from pg_roles where rolname in ('authenticator', 'web_anon')"),
            );
            assert.deepStrictEqual(left.rows, []);
            assert.strictEqual(fake.reads.length, 4, "create, update, read and delete each read the secret");

            for (const state of [created.outs, updated, read.props, read.inputs]) {
                const text = JSON.stringify(state);
                for (const password of PASSWORDS) assert.ok(!text.includes(password), "the state holds no admin password");
            }
        });

        it("the local endpoint checks what the real one checks: a request it cannot authenticate is refused", async () => {
            if (cloud === "gcp") {
                // A bearer token the metadata server never issued.
                const response = await fetch(`${fake.url}/v1/${store.secret}/versions/latest:access`, {
                    headers: { Authorization: "Bearer ya29.forged" },
                });
                assert.strictEqual(response.status, 401);
                return;
            }
            const kept = process.env.AWS_SECRET_ACCESS_KEY;
            process.env.AWS_SECRET_ACCESS_KEY = "not-the-key-the-endpoint-knows";
            try {
                await assert.rejects(
                    readAdminUrl({ secret: store.secret, host: "127.0.0.1", port: server.port, database: "postgres" }),
                    /cannot read the admin secret .* with the deployer's credentials: the request signature we calculated does not match/,
                );
            } finally {
                process.env.AWS_SECRET_ACCESS_KEY = kept;
            }
        });

        it("a secret it cannot read stops the operation, naming the secret and never a value", async () => {
            const database = await freshDatabase(server);
            const missing = `${store.secret}-missing`;
            await assert.rejects(
                host.create({
                    adminSecret: { secret: cloud === "aws" ? `${store.secret}x` : missing, host: "127.0.0.1", port: server.port, database },
                    adminTls: { sslMode: "require" },
                    authenticatorPassword: "AdminSecretAuthenticator0123",
                    ...apiInputs(API),
                }),
                (error: Error) =>
                    /cannot read the admin secret \S+ with the deployer's credentials: .*(can't find the specified secret|not found)/.test(
                        error.message,
                    ) && !PASSWORDS.some((p) => error.message.includes(p)),
            );
        });
    });
}

describe("database.adminSecret in the whole program, under mocks", function () {
    it("hands the provider the reference and the stack's database, and no admin URL", async function () {
        this.timeout(120_000);
        const { databaseAdminUrl: _url, ...config } = baseConfig("aws");
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf";
        const run = await runProgram({
            config: { ...config, database: { host: "db.example.com", port: 6543, name: "startup", adminSecret: secret } },
        });
        const inputs = run.resources.find((r) => r.type === ROLES_AND_GRANTS.type && r.name === ROLES_AND_GRANTS.name)!.inputs;
        assert.deepStrictEqual(inputs.adminSecret, { secret, host: "db.example.com", port: 6543, database: "startup" });
        assert.ok(!("adminUrl" in inputs));
    });
});
