/**
 * The cases every transport of the provider must pass alike (direct, Lambda, Cloud Run), on a TLS-only PostgreSQL:
 * the same result and the same text to the user whichever way the applier is reached. Each transport's test file
 * calls describeTransportParity inside its own `describe`, after its `before` has started the server and the function.
 */
import * as assert from "assert";
import { ApiConfig } from "../components/model/api";
import { Applier } from "../components/database/request";
import { Migration } from "../components/model/migrations";
import { AccessInputs, AccessOutputs, migrationInputs } from "../components/database/properties";
import { accessProvider } from "../components/database/provider";
import { DECLARED, UNDECLARED, declaredItems } from "../components/database/declarations";
import { TREES_SCHEMA, apiConfig, freshDatabase, withClient } from "./databases";
import { ADMIN_PASSWORD, TestServer } from "./servers";

export interface TransportParity<Transport extends string> {
    transports: readonly Transport[];
    /** The server the file's `before` started; a getter, since the cases are registered before it runs. */
    server: () => TestServer;
    /** The provider's inputs for a fresh database, sent over the transport. */
    inputs: (transport: Transport, database: string, api?: ApiConfig) => AccessInputs;
    /** The applier the provider uses on that transport, called directly. */
    applier: (transport: Transport) => Applier;
    /** The API config `inputs` declares by default. */
    api: ApiConfig;
    authenticatorPassword: string;
}

export function describeTransportParity<Transport extends string>(parity: TransportParity<Transport>): void {
    const { inputs, api: API, authenticatorPassword: PASSWORD } = parity;
    const asAdmin = (database: string, sql: string) => {
        const server = parity.server();
        return withClient(server.url(database), async (client) => (await client.query(sql)).rows, server.ssl);
    };

    for (const transport of parity.transports) {
        describe(transport, () => {
            it("creates the roles, and the authenticator logs in over TLS with its password", async () => {
                const server = parity.server();
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
                const server = parity.server();
                const db = await freshDatabase(server);
                const created = (await accessProvider.create(inputs(transport, db))).outs as AccessOutputs;
                const again = await parity.applier(transport).converge({
                    adminUrl: server.url(db),
                    desired: API,
                    previous: API,
                    createdRoles: created.createdRoles,
                    createdSchemas: [],
                });
                assert.strictEqual(again.statementsExecuted, 0);
            });

            it("shows a grant revoked by hand as drift on refresh, and the next update restores it", async () => {
                const db = await freshDatabase(parity.server());
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
                const db = await freshDatabase(parity.server());
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
                const db = await freshDatabase(parity.server());
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

            it("applies database.migrations, carried in the request, before the grants they need, and refuses an edited one", async () => {
                const db = await freshDatabase(parity.server(), "");
                const trees: Migration = { name: "001-trees.sql", sql: TREES_SCHEMA };
                const outs = (await accessProvider.create({ ...inputs(transport, db), ...migrationInputs([trees]) })).outs as AccessOutputs;
                assert.deepStrictEqual(Object.keys(outs.migrations ?? {}), ["001-trees.sql"]);
                assert.deepStrictEqual(await asAdmin(db, "select name from postgrest_migrations.applied"), [{ name: "001-trees.sql" }]);
                const refreshed = (await accessProvider.read!("id", outs)).props as AccessOutputs;
                assert.deepStrictEqual(refreshed.migrations, outs.migrations);
                const edited = { ...trees, sql: `${TREES_SCHEMA}-- edited\n` };
                const { migrations: _lost, ...withoutRecord } = outs;
                await assert.rejects(
                    accessProvider.update!("id", withoutRecord, { ...inputs(transport, db), ...migrationInputs([edited]) }),
                    /nothing was changed .*migration 001-trees\.sql was applied \(sha256:[0-9a-f]{64}\) and has been edited since/,
                );
            });

            it("explains a refused login, naming the host and never the password", async () => {
                const server = parity.server();
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
}
