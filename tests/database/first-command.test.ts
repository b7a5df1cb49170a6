/**
 * The README's first command, its database side, end to end on a real TLS-only PostgreSQL, for each committed dev stack
 * file: the stack file read and validated by the real config code; the program run under mocks; the roles-and-grants
 * resource's registered inputs handed to the provider the engine loads (its `__provider` text, over gRPC), with only
 * the created database's address (the test server's) and the in-network function's endpoint swapped in. The provider
 * reads the admin credentials from a local endpoint of the cloud's secret store, stored as RDS and CloudSqlDatabase
 * store them, and sends the admin URL to the in-network function (the deployed bundle), which applies migrations/ and
 * the grants. Then what `curl /trees` sees: libpq (psql) logs in as the authenticator with PGRST_DB_URI as the program
 * writes it and switches to web_anon, as PostgREST does for an anonymous request. What it cannot show: the cloud resources
 * themselves and PostgREST's HTTP layer (docs/development.md).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { AdminTransport } from "../../components/model/admin-transport";
import { CLOUD_RUN_FUNCTION_TARGET, bundleFunctionSource } from "../../components/database/bundle";
import { migrationChecksum } from "../../components/config/migrations";
import { ParsedConfig } from "../../components/config";
import { makeCa } from "../../testing/certificates";
import { startCloudRunFront } from "../../testing/fakes/cloud-run-front";
import { serveFunction } from "../../testing/fakes/functions-framework";
import { startFakeGoogle } from "../../testing/fakes/google-tokens";
import { FakeLambda, loadLambdaHandler, startFakeLambda } from "../../testing/fakes/lambda";
import { FakeSecretStore, TEST_AWS_CREDENTIALS, startFakeSecretManager, startFakeSecretsManager } from "../../testing/fakes/secret-stores";
import { freshDatabase } from "../../testing/databases";
import { EngineHost, startEngineHost } from "../../testing/engine-host";
import { ProgramRun, ROLES_AND_GRANTS, parseStackConfig, runProgram } from "../../testing/harness";
import { readStackFile } from "../../testing/stack-files";
import { TestServer, tlsTestServer } from "../../testing/servers";

const MIGRATION = path.resolve(__dirname, "../../migrations/001-trees.sql");
/** Seed 000's trees (migrations/001-trees.sql), in the order they are inserted. */
const TREES = ["Banyan", "Quaking Aspen", "American Elm", "Red Maple"];
/** The password RDS generates for the master user and keeps in Secrets Manager (manageMasterUserPassword). */
const RDS_MASTER_PASSWORD = "RdsGeneratedMasterPassword7c41";
const DEPLOYER = "deployer@dev-project.iam.gserviceaccount.com";

/** The key @pulumi/pulumi marks a serialized secret with (specialSigKey, runtime/rpc.ts). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A registered input with its secrets unwrapped: what the engine hands the provider. */
function revealed(value: unknown): any {
    if (Array.isArray(value)) return value.map(revealed);
    if (value && typeof value === "object") {
        if (SECRET_SIG in value) return revealed((value as Record<string, unknown>).value);
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, revealed(inner)]));
    }
    return value;
}

/** Every string in the registered inputs of `run` that `test` accepts, deduplicated. */
function registeredStrings(run: ProgramRun, test: (text: string) => boolean): string[] {
    const found = new Set<string>();
    const walk = (value: unknown): void => {
        if (typeof value === "string" && test(value)) found.add(value);
        else if (value && typeof value === "object") Object.values(value).forEach(walk);
    };
    for (const resource of run.resources) walk(revealed(resource.inputs));
    return [...found];
}

/** What the cloud made the database with, and the local stand-ins for what the provider reaches in it. */
interface CreatedDatabaseCloud {
    /** The group role the cloud makes its admin user a member of; the admin user itself has the rights the tests' `admin` has (servers.ts). */
    adminGroup: string;
    /** Who owns the database the stack names. */
    owner: (admin: string) => string;
    /** The admin user's name and the secret's text, as the cloud stores it. */
    adminSecret(run: ProgramRun, password?: string): { username: string; password: string; text: string };
    /** Starts the secret store and the in-network function; the environment the deployer's provider host gets. */
    start(secret: string, text: string, transport: AdminTransport): Promise<Started>;
}

interface Started {
    store: FakeSecretStore;
    env: Record<string, string | undefined>;
    /** The in-network function's address on this machine, in place of the one the mock registered. */
    transport: AdminTransport;
    /** The operations the in-network function received, in order. */
    operations(): string[];
    stop(): Promise<void>;
}

const CLOUDS: Record<"aws" | "gcp", CreatedDatabaseCloud> = {
    aws: {
        // RDS's master user: LOGIN CREATEROLE CREATEDB NOSUPERUSER, a member of rds_superuser
        // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.rds_superuser.html).
        // The docs do not say who owns the database the instance is created with: here, the master user who made it.
        adminGroup: "rds_superuser",
        owner: (admin) => admin,
        adminSecret(run) {
            const username = run.one("aws:rds/instance:Instance").inputs.username as string;
            // RDS keeps a managed master user's password as JSON {username, password}
            // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_managed.html).
            return { username, password: RDS_MASTER_PASSWORD, text: JSON.stringify({ username, password: RDS_MASTER_PASSWORD }) };
        },
        async start(secret, text, transport) {
            assert.strictEqual(transport.kind, "lambda");
            const store = await startFakeSecretsManager({ [secret]: text });
            let lambda: FakeLambda;
            try {
                lambda = await startFakeLambda({ [transport.functionArn]: loadLambdaHandler(await bundleFunctionSource()) });
            } catch (error) {
                await store.close();
                throw error;
            }
            return {
                store,
                env: {
                    AWS_ACCESS_KEY_ID: TEST_AWS_CREDENTIALS.accessKeyId,
                    AWS_SECRET_ACCESS_KEY: TEST_AWS_CREDENTIALS.secretAccessKey,
                    AWS_SESSION_TOKEN: undefined,
                    AWS_PROFILE: undefined,
                    AWS_ENDPOINT_URL_SECRETS_MANAGER: store.url,
                    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
                },
                // The function ARN stays as registered: the endpoint is what moves, as a VPC endpoint would.
                transport,
                operations: () => lambda.invocations.map((i) => (i.payload as { operation: string }).operation),
                stop: async () => {
                    await lambda.close();
                    await store.close();
                },
            };
        },
    },
    gcp: {
        // Users Cloud SQL creates: LOGIN CREATEROLE CREATEDB, no SUPERUSER, members of cloudsqlsuperuser
        // (https://cloud.google.com/sql/docs/postgres/users). The docs do not say who owns a database it creates: here,
        // cloudsqlsuperuser, the stricter case, where the admin creates schemas in it through that membership only.
        adminGroup: "cloudsqlsuperuser",
        owner: () => "cloudsqlsuperuser",
        adminSecret(run) {
            // What CloudSqlDatabase writes to Secret Manager, taken from the run: its secret version's data.
            const texts = registeredStrings(run, (text) => /^\{"username":/.test(text));
            assert.strictEqual(texts.length, 1, `one admin secret text, found ${texts.length}`);
            const { username, password } = JSON.parse(texts[0]) as { username: string; password: string };
            return { username, password, text: texts[0] };
        },
        async start(secret, text, transport) {
            assert.strictEqual(transport.kind, "cloud-run");
            const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-first-command-"));
            const google = await startFakeGoogle(DEPLOYER);
            const store = await startFakeSecretManager({ [secret]: text }, google.host);
            const served = await serveFunction(await bundleFunctionSource("cloud-run"), CLOUD_RUN_FUNCTION_TARGET);
            const ca = makeCa("first-command-cloud-run-ca");
            const front = await startCloudRunFront({ ca, google, target: served.url, invokers: [DEPLOYER] });
            fs.writeFileSync(path.join(scratch, "front-ca.pem"), ca.cert);
            return {
                store,
                env: {
                    // No Google credentials of this machine: an empty HOME, no key file; one metadata server for both tokens.
                    HOME: scratch,
                    GOOGLE_APPLICATION_CREDENTIALS: undefined,
                    CLOUDSDK_CONFIG: undefined,
                    METADATA_SERVER_DETECTION: undefined,
                    GCE_METADATA_IP: undefined,
                    GCE_METADATA_HOST: store.host,
                    CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER: `${store.url}/`,
                    // The front's CA, for the provider host (a child process), which is what calls the function.
                    NODE_EXTRA_CA_CERTS: path.join(scratch, "front-ca.pem"),
                },
                transport: { kind: "cloud-run", url: front.url },
                operations: () => front.requests.map((r) => `${r.email} ${r.status} ${JSON.parse(r.body).operation}`),
                stop: async () => {
                    served.stop();
                    await front.close();
                    await store.close();
                    await google.close();
                    fs.rmSync(scratch, { recursive: true, force: true });
                },
            };
        },
    },
};

const STACKS = [
    { file: "Pulumi.dev.yaml", cloud: "aws" as const },
    { file: "Pulumi.dev-gcp.yaml", cloud: "gcp" as const },
];

for (const { file, cloud } of STACKS) {
    describe(`the README's first command, database side: ${file} on a TLS-only PostgreSQL, through the provider the engine loads`, function () {
        const spec = CLOUDS[cloud];
        let parsed: ParsedConfig;
        let run: ProgramRun;
        let server: TestServer;
        let started: Started;
        let host: EngineHost;
        let admin: { username: string; password: string; text: string };
        /** The roles-and-grants inputs the program registered, with the created database's address and the function's swapped in. */
        let inputs: Record<string, any>;
        let created: { id: string; outs: any };
        const savedEnv: Record<string, string | undefined> = {};
        const roles = ["authenticator", "web_anon"];

        before(async function () {
            this.timeout(180_000);
            const stack = readStackFile(file);
            parsed = parseStackConfig(stack.config);
            run = await runProgram(stack);
            server = await tlsTestServer("tls-only");
            admin = spec.adminSecret(run);
            const registered = run.resources.find((r) => r.type === ROLES_AND_GRANTS.type && r.name === ROLES_AND_GRANTS.name)!;
            const { __provider: _provider, ...program } = revealed(registered.inputs);
            started = await spec.start(program.adminSecret.secret, admin.text, program.adminTransport);
            inputs = {
                ...program,
                adminSecret: { ...program.adminSecret, host: "127.0.0.1", port: server.port },
                adminTransport: started.transport,
            };
            await createDatabaseAsTheCloudDoes();
            // The provider host inherits the deployer's environment: its credentials and, here, the local endpoints.
            for (const [name, value] of Object.entries(started.env)) {
                savedEnv[name] = process.env[name];
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
            host = await startEngineHost();
        });
        after(async function () {
            this.timeout(60_000);
            host?.stop();
            await started?.stop();
            for (const [name, value] of Object.entries(savedEnv)) {
                if (value === undefined) delete process.env[name];
                else process.env[name] = value;
            }
            if (server) await dropCreatedDatabase();
        });

        /** The database the stack names, made by the cloud's admin user, with nothing in it yet. */
        async function createDatabaseAsTheCloudDoes(): Promise<void> {
            // Drops what earlier tests left on the shared server (their databases and roles); its own seed database stays unused.
            await freshDatabase(server, "");
            await dropCreatedDatabase();
            const name = parsed.database.name;
            await server.asSuperuser("postgres", async (client) => {
                const id = (text: string) => client.escapeIdentifier(text);
                await client.query(`CREATE ROLE ${id(spec.adminGroup)} NOLOGIN`);
                await client.query(
                    `CREATE ROLE ${id(admin.username)} LOGIN CREATEROLE CREATEDB IN ROLE ${id(spec.adminGroup)} PASSWORD ${client.escapeLiteral(admin.password)}`,
                );
                await client.query(`CREATE DATABASE ${id(name)} OWNER ${id(spec.owner(admin.username))}`);
            });
        }

        async function dropCreatedDatabase(): Promise<void> {
            await server.asSuperuser("postgres", async (client) => {
                await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(parsed.database.name)} WITH (FORCE)`);
                for (const role of [...roles, admin.username, spec.adminGroup])
                    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
            });
        }

        /** Runs `sql` in the stack's database as the superuser: what is there, seen from outside the provider. */
        const inDatabase = (sql: string) => server.asSuperuser(parsed.database.name, async (client) => (await client.query(sql)).rows);

        /** Everything the provider could change: roles, memberships, privileges, the rows and the migrations record. */
        const catalog = () =>
            inDatabase(
                `select json_build_object(
                    'roles', (select json_agg(row(rolname, rolcanlogin, rolinherit, rolpassword) order by rolname) from pg_authid where rolname = any('{authenticator,web_anon}')),
                    'members', (select json_agg(row(m.roleid::regrole::text, m.member::regrole::text) order by m.roleid, m.member) from pg_auth_members m where m.member::regrole::text = any('{authenticator,web_anon}')),
                    'schemas', (select json_agg(row(nspname, nspowner::regrole::text, nspacl::text) order by nspname) from pg_namespace where nspname in ('api', 'postgrest_migrations')),
                    'tables', (select json_agg(row(oid::regclass::text, relacl::text) order by oid) from pg_class where relnamespace = 'api'::regnamespace),
                    'trees', (select json_agg(row(id, name, species) order by id) from api.trees),
                    'applied', (select json_agg(row(name, checksum, applied_at, applied_by) order by name) from postgrest_migrations.applied)
                ) as catalog`,
            );

        /**
         * An anonymous request as PostgREST makes it: libpq (Debian's psql, as in tests/database/libpq.test.ts) logs in
         * with PGRST_DB_URI as the program writes it, then runs `sql` in a transaction after SET LOCAL ROLE to the
         * anonymous role. Its lines: whether the session is encrypted, then `sql`'s rows; a failure rejects with psql's error.
         */
        function anonymousRequest(sql: string): string[] {
            const uris = registeredStrings(run, (text) => text.startsWith("postgresql://authenticator:"));
            assert.strictEqual(uris.length, 1, `one PGRST_DB_URI in the run, found ${uris.length}`);
            // The created database's address, as in the admin secret reference: the test server's.
            const uri = uris[0].replace(/@[^/]+\//, `@127.0.0.1:${server.port}/`);
            assert.match(uri, /\?sslmode=require$/);
            const commands = [
                "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
                "begin",
                `set local role ${parsed.api.anonRole}`,
                sql,
                "rollback",
            ];
            try {
                return execFileSync("psql", [uri, "-AtqX", "-v", "ON_ERROR_STOP=1", ...commands.flatMap((c) => ["-c", c])], {
                    encoding: "utf8",
                    env: { ...process.env, PGCONNECT_TIMEOUT: "10" },
                    stdio: ["ignore", "pipe", "pipe"],
                })
                    .split("\n")
                    .filter((line) => line !== "");
            } catch (error) {
                throw new Error(String((error as { stderr?: string }).stderr || error));
            }
        }

        it("reads the committed stack file with the real config: it creates its database, applies migrations/ and administers it in-network", () => {
            assert.strictEqual(parsed.cloud, cloud);
            assert.strictEqual(parsed.database.create?.engine, cloud === "aws" ? "rds" : "cloud-sql");
            assert.strictEqual(parsed.database.adminAccess, "in-network");
            assert.strictEqual(parsed.database.sslMode, "require");
            assert.strictEqual(parsed.database.name, "app");
            assert.deepStrictEqual(parsed.database.migrations?.files, [{ name: "001-trees.sql", sql: fs.readFileSync(MIGRATION, "utf8") }]);
            assert.strictEqual(parsed.databaseAdminUrl, undefined);
            // The program hands the provider the created database's secret, its database, the migrations and the api.
            assert.strictEqual(inputs.adminUrl, undefined);
            assert.strictEqual(inputs.adminSecret.database, parsed.database.name);
            assert.deepStrictEqual(inputs.migrations, { "001-trees.sql": migrationChecksum(fs.readFileSync(MIGRATION, "utf8")) });
            assert.strictEqual(inputs.authenticatorRole, parsed.api.authenticatorRole);
        });

        it("the first `pulumi up`: reads the admin secret, and the in-network function applies migrations/ then the roles and grants", async function () {
            this.timeout(60_000);
            created = await host.create(inputs);
            assert.deepStrictEqual(created.outs.createdRoles, roles);
            assert.deepStrictEqual(created.outs.migrations, inputs.migrations);
            assert.deepStrictEqual(created.outs.adminSecret, inputs.adminSecret);
            assert.deepStrictEqual(started.store.reads, [inputs.adminSecret.secret]);
            assert.deepStrictEqual(started.operations(), cloud === "aws" ? ["converge"] : [`${DEPLOYER} 200 converge`]);
            const applied = await inDatabase("select name, applied_by from postgrest_migrations.applied");
            assert.deepStrictEqual(applied, [{ name: "001-trees.sql", applied_by: admin.username }]);
        });

        it("what `curl /trees` sees: libpq logs in with PGRST_DB_URI over TLS and, as web_anon, reads seed 000's four trees and cannot write", () => {
            assert.ok(created, "the first up ran");
            assert.deepStrictEqual(anonymousRequest("select name from api.trees order by id"), ["t", ...TREES]);
            assert.throws(
                () => anonymousRequest("insert into api.trees (name, species) values ('Ginkgo', 'Ginkgo biloba')"),
                /permission denied for table trees/,
            );
            assert.throws(() => anonymousRequest("select * from postgrest_migrations.applied"), /permission denied for schema postgrest_migrations/);
        });

        it("a second `pulumi up` applies no migration again and changes nothing", async function () {
            this.timeout(60_000);
            assert.ok(created, "the first up ran");
            const before = await catalog();
            assert.deepStrictEqual([before[0].catalog.trees.length, before[0].catalog.applied.length], [TREES.length, 1]);
            // The engine's Check then Diff: the same program against the recorded state is no change, read without the secret.
            const checked = await host.check(created.outs, inputs);
            assert.strictEqual((await host.diff(created.id, created.outs, checked)).changes, "none");
            assert.strictEqual(started.store.reads.length, 1);
            // Even applied again (an update with the same inputs), nothing in the database moves: no migration runs twice.
            const updated = await host.update(created.id, created.outs, inputs);
            assert.deepStrictEqual(updated.migrations, created.outs.migrations);
            assert.deepStrictEqual(await catalog(), before);
            const read = await host.read(created.id, updated);
            assert.deepStrictEqual(read.props.state, created.outs.state);
            for (const state of [created.outs, updated, read.props, read.inputs]) {
                const text = JSON.stringify(state);
                assert.ok(!text.includes(admin.password), "no admin password in the provider's outputs or state");
                assert.ok(!text.includes(admin.text), "nor the secret's text");
            }
            assert.ok(!JSON.stringify(inputs).includes(admin.password), "nor in the inputs the program registered");
        });
    });
}
