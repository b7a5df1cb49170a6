/**
 * The in-network transport, end to end on a TLS-only PostgreSQL: the
 * provider invokes the function through the AWS SDK v3 against a local
 * endpoint that speaks Lambda's Invoke API, and that endpoint runs the
 * function's code as the program deploys it (the esbuild bundle), loaded
 * with Node's own modules only, as in the Lambda runtime. Each case runs on both transports (direct and
 * in-network) and must give the same result and the same text to the user.
 */
import * as assert from "assert";
import { ApiConfig } from "../../components/config/api";
import { builtinModules } from "module";
import { bundleFunctionSource } from "../../components/database/bundle";
import { AccessInputs, AccessOutputs, apiInputs } from "../../components/database/properties";
import { diffAccess } from "../../components/database/diff";
import { accessProvider } from "../../components/database/provider";
import { DECLARED, UNDECLARED, declaredItems } from "../../components/database/resolve";
import { lambdaApplier } from "../../components/database/invoke";
import { localApplier } from "../../components/database/applier";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { FakeLambda, startFakeLambda } from "../../testing/lambda";
import { ADMIN_PASSWORD, TestServer, tlsTestServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "./engine-host";

const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:postgrest-admin";
const PASSWORD = "InNetworkAuthenticator0Password1";
const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const TRANSPORTS = ["direct", "in-network"] as const;

describe("in-network admin access: the diff", () => {
    const url = "postgresql://admin:pw@db.internal:5432/startup";
    const base = {
        adminUrl: url,
        adminTls: { sslMode: "require" as const },
        authenticatorPassword: "pw",
        ...apiInputs(API),
        createdRoles: [],
        createdSchemas: [],
    };
    for (const [name, before, after] of [
        ["switching from direct to in-network", undefined, FUNCTION_ARN],
        ["switching back to direct", FUNCTION_ARN, undefined],
        ["another function", FUNCTION_ARN, FUNCTION_ARN.replace("postgrest-admin", "postgrest-admin-2")],
    ] as const) {
        it(`${name} is an update that drops nothing, not a replacement`, () => {
            const diff = diffAccess({ ...base, adminFunction: before }, { ...base, adminFunction: after });
            assert.deepStrictEqual([diff.changes, diff.replaces], [true, []]);
        });
    }
    it("the same function and config is no change", () => {
        assert.strictEqual(diffAccess({ ...base, adminFunction: FUNCTION_ARN }, { ...base, adminFunction: FUNCTION_ARN }).changes, false);
    });
});

describe("in-network admin access: the provider invokes the function, which runs the same applier (TLS-only PostgreSQL)", function () {
    let server: TestServer;
    let lambda: FakeLambda;
    const saved = { ...process.env };
    before(async function () {
        this.timeout(120_000);
        server = await tlsTestServer("tls-only");
        lambda = await startFakeLambda({ [FUNCTION_ARN]: await loadFunction(await bundleFunctionSource()) });
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_LAMBDA: lambda.url,
            AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
            AWS_SECRET_ACCESS_KEY: "test-secret-key",
            AWS_SESSION_TOKEN: "",
        });
        delete process.env.AWS_PROFILE;
    });
    after(async () => {
        process.env = saved;
        await lambda?.close();
    });

    function inputs(transport: (typeof TRANSPORTS)[number], database: string, api: ApiConfig = API): AccessInputs {
        return {
            adminUrl: server.url(database),
            adminTls: { sslMode: "require" },
            ...(transport === "in-network" && { adminFunction: FUNCTION_ARN }),
            authenticatorPassword: PASSWORD,
            ...apiInputs(api),
        };
    }

    const asAdmin = (database: string, sql: string) => withClient(server.url(database), async (client) => (await client.query(sql)).rows, server.ssl);

    it("sends each request to the function, signed, with the admin URL in the payload only", async () => {
        const db = await freshDatabase(server);
        const before = lambda.invocations.length;
        await accessProvider.create(inputs("in-network", db));
        const sent = lambda.invocations.slice(before);
        assert.deepStrictEqual(
            sent.map((i) => [i.functionName, i.signed, (i.payload as { operation: string }).operation]),
            [[FUNCTION_ARN, true, "converge"]],
        );
    });

    it("the provider as the engine receives it (the bundle, in a plain node process) creates, reads and deletes through the function", async () => {
        const db = await freshDatabase(server);
        const before = lambda.invocations.length;
        const { created, read } = await runInEngineLikeHost({ provider: await serializedProvider(), inputs: inputs("in-network", db) });
        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.deepStrictEqual(read.props.state, declaredItems(API));
        assert.deepStrictEqual(
            lambda.invocations.slice(before).map((i) => (i.payload as { operation: string }).operation),
            ["converge", "observe", "converge"],
        );
    });

    for (const transport of TRANSPORTS) {
        describe(transport, () => {
            it("creates the roles, and the authenticator logs in over TLS with its password", async () => {
                const db = await freshDatabase(server);
                const created = await accessProvider.create(inputs(transport, db));
                assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
                const rows = await withClient(
                    server.url(db, "authenticator", PASSWORD),
                    async (client) => (await client.query("select current_user, ssl from pg_stat_ssl where pid = pg_backend_pid()")).rows,
                    server.ssl,
                );
                assert.deepStrictEqual(rows, [{ current_user: "authenticator", ssl: true }]);
            });

            it("executes zero statements when nothing changed", async () => {
                const db = await freshDatabase(server);
                const created = (await accessProvider.create(inputs(transport, db))).outs as AccessOutputs;
                const applier = transport === "direct" ? localApplier : lambdaApplier(FUNCTION_ARN);
                const again = await applier.converge({
                    adminUrl: server.url(db),
                    desired: API,
                    previous: API,
                    createdRoles: created.createdRoles,
                    createdSchemas: [],
                });
                assert.strictEqual(again.statementsExecuted, 0);
            });

            it("shows a grant revoked by hand as drift on refresh, and the next update restores it", async () => {
                const db = await freshDatabase(server);
                const outs = (await accessProvider.create(inputs(transport, db))).outs as AccessOutputs;
                await asAdmin(db, "REVOKE SELECT ON api.trees FROM web_anon; GRANT DELETE ON api.trees TO web_anon");
                const refreshed = (await accessProvider.read!("id", outs)).props as AccessOutputs;
                assert.strictEqual(refreshed.state["web_anon: select on table api.trees"], undefined);
                assert.strictEqual(refreshed.state["web_anon: delete on table api.trees"], UNDECLARED);
                assert.strictEqual(refreshed.state["web_anon: usage on schema api"], DECLARED);
                await accessProvider.update!("id", refreshed, inputs(transport, db));
                const repaired = (await accessProvider.read!("id", outs)).props as AccessOutputs;
                assert.deepStrictEqual(repaired.state, declaredItems(API));
            });

            it("delete drops only the roles it created", async () => {
                const db = await freshDatabase(server);
                await asAdmin(db, "CREATE ROLE reporting NOLOGIN");
                const outs = (await accessProvider.create(inputs(transport, db))).outs as AccessOutputs;
                await accessProvider.delete!("id", outs);
                const roles = await asAdmin(
                    db,
                    "select rolname from pg_roles where rolname in ('authenticator', 'web_anon', 'reporting') order by 1",
                );
                assert.deepStrictEqual(roles, [{ rolname: "reporting" }]);
            });

            it("names a missing table in the error the user reads, and changes nothing", async () => {
                const db = await freshDatabase(server);
                const api = apiConfig({ roles: { web_anon: { tables: { "api.shrubs": ["select"] } } } });
                await assert.rejects(accessProvider.create(inputs(transport, db, api)), (error: Error) => {
                    assert.match(
                        error.message,
                        /^cannot apply the api config to the database; nothing was changed:\n {2}- .*table or view api\.shrubs does not exist/,
                    );
                    return true;
                });
                assert.deepStrictEqual(await asAdmin(db, "select rolname from pg_roles where rolname in ('authenticator', 'web_anon')"), []);
            });

            it("explains a refused login, naming the host and never the password", async () => {
                const db = await freshDatabase(server);
                const wrong = { ...inputs(transport, db), adminUrl: server.url(db).replace(encodeURIComponent(ADMIN_PASSWORD), "wrong-password-7") };
                await assert.rejects(accessProvider.create(wrong), (error: Error) => {
                    assert.match(error.message, /^cannot connect to 127\.0\.0\.1:\d+\/seed_\d+ as the admin user: the admin password was rejected/);
                    for (const secret of ["wrong-password-7", PASSWORD, wrong.adminUrl])
                        assert.ok(!error.message.includes(secret), `message holds ${secret}`);
                    return true;
                });
            });
        });
    }

    it("reports a function the deployer cannot find, naming it", async () => {
        const db = await freshDatabase(server);
        const missing = FUNCTION_ARN.replace("postgrest-admin", "deleted-function");
        await assert.rejects(accessProvider.create({ ...inputs("in-network", db), adminFunction: missing }), (error: Error) => {
            assert.match(error.message, new RegExp(`^cannot invoke the in-network function ${missing}: Function not found`));
            assert.ok(!error.message.includes(ADMIN_PASSWORD));
            return true;
        });
    });
});

/** The bundle's `handler`, loaded as the runtime would, where no node_modules exist: only Node's own modules resolve. */
async function loadFunction(source: string): Promise<(event: unknown) => Promise<unknown>> {
    const module = { exports: {} as { handler?: (event: unknown) => Promise<unknown> } };
    const requireBuiltin = (name: string) => {
        if (!builtinModules.includes(name.replace(/^node:/, "")))
            throw new Error(`the function's bundle requires ${name}, which the Lambda runtime does not have`);
        return require(name);
    };
    new Function("module", "exports", "require", source)(module, module.exports, requireBuiltin);
    return module.exports.handler!;
}
