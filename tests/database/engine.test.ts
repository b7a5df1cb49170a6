/**
 * What `pulumi up` shows: the provider serialized and run by @pulumi/pulumi's
 * dynamic-provider host, called over gRPC, on PostgreSQL 15 and 18. Each
 * planner error must reach the user word for word.
 */
import * as assert from "assert";
import { ApiConfig } from "../../components/model/api";
import { declaredItems } from "../../components/database/declarations";
import { reviewerDiff } from "../../testing/preview";
import { apiInputs } from "../../components/database/properties";
import { anotherDatabase, apiConfig, freshDatabase, TREES_SCHEMA, withClient } from "../../testing/databases";
import { MAJORS, TestServer } from "../../testing/servers";
import { EngineHost, withServerAndEngineHost } from "../../testing/engine-host";

const PASSWORD = "EngineHostPassword0123456789";
const NOTHING_CHANGED = "cannot apply the api config to the database; nothing was changed:";

function inputs(server: TestServer, database: string, api: ApiConfig) {
    return {
        adminUrl: server.url(database),
        authenticatorPassword: PASSWORD,
        ...apiInputs(api),
    };
}

for (const major of MAJORS) {
    describe(`the provider under @pulumi/pulumi's dynamic-provider host, over gRPC (PostgreSQL ${major})`, function () {
        let server: TestServer;
        let host: EngineHost;
        withServerAndEngineHost(major, (s, h) => ([server, host] = [s, h]));

        it("creates, reads and deletes", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            const created = await host.create(inputs(server, db, api));
            assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
            const read = await host.read(created.id, created.outs);
            assert.deepStrictEqual(read.props.state, declaredItems(api));
            await host.delete(created.id, created.outs);
        });

        it("shows the user which tables, columns and functions are missing", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({
                roles: { web_anon: { tables: { "api.shrubs": ["select"] }, columns: { "api.trees": { select: ["height"] } } } },
            });
            await assert.rejects(host.create(inputs(server, db, api)), {
                message: `${NOTHING_CHANGED}\n  - table or view api.shrubs does not exist\n  - column "height" does not exist in table api.trees`,
            });
        });

        it("shows the user an ambiguous overload and how to write it", async () => {
            const db = await freshDatabase(
                server,
                `${TREES_SCHEMA} create function api.plant(text) returns int language sql as 'select 1'; create function api.plant(int) returns int language sql as 'select 2';`,
            );
            const api = apiConfig({ roles: { web_anon: { functions: { "api.plant": ["execute"] } } } });
            await assert.rejects(host.create(inputs(server, db, api)), {
                message: `${NOTHING_CHANGED}\n  - function api.plant is overloaded ((text), (integer)): write its argument types, as api.plant(text)`,
            });
        });

        it("shows the user that a superuser cannot be the authenticator", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) => client.query("CREATE ROLE authenticator SUPERUSER LOGIN"));
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            await assert.rejects(host.create(inputs(server, db, api)), {
                message: `${NOTHING_CHANGED}\n  - role "authenticator" is a superuser; PostgREST must not log in as or switch to a superuser`,
            });
        });

        it("refuses to take over a role another stack created on another database, and leaves that stack's login working", async () => {
            const first = await freshDatabase(server);
            const second = await anotherDatabase(server);
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            await host.create(inputs(server, first, api));
            await assert.rejects(host.create({ ...inputs(server, second, api), authenticatorPassword: "SecondStackPassword0123456789" }), {
                message:
                    `${NOTHING_CHANGED}\n` +
                    '  - role "authenticator" already exists and this stack did not create it; taking it over would reset its password (whoever logs in with the current one would be locked out) ' +
                    "and make it login noinherit nosuperuser nocreatedb nocreaterole: add it to postgrest:api.adoptRoles to take it over, or choose another name with postgrest:api.authenticatorRole\n" +
                    '  - role "web_anon" already exists and this stack did not create it; taking it over would make it nologin and revoke its undeclared privileges in the schemas it uses: ' +
                    "add it to postgrest:api.adoptRoles to take it over, or choose another name with the role's name in postgrest:api.roles",
            });
            const loggedIn = await withClient(
                server.url(first, "authenticator", PASSWORD),
                async (client) => (await client.query("select current_user")).rows,
            );
            assert.deepStrictEqual(loggedIn, [{ current_user: "authenticator" }]);
        });

        it("on Supabase, whose platform owns a role named authenticator, works under another authenticatorRole", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) => client.query("CREATE ROLE authenticator LOGIN NOINHERIT PASSWORD 'the-platform-s-own'"));
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            await assert.rejects(
                host.create(inputs(server, db, api)),
                /role "authenticator" already exists and this stack did not create it; taking it over would reset its password/,
            );
            const renamed = apiConfig({ authenticatorRole: "postgrest_authenticator", roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            const created = await host.create(inputs(server, db, renamed));
            assert.deepStrictEqual(created.outs.createdRoles, ["postgrest_authenticator", "web_anon"]);
            const platformLogin = await withClient(
                server.url(db, "authenticator", "the-platform-s-own"),
                async (client) => (await client.query("select 1 as ok")).rows,
            );
            assert.deepStrictEqual(platformLogin, [{ ok: 1 }]);
        });

        it("shows the user a server WARNING as the failure it is", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) =>
                client.query(
                    "CREATE ROLE payroll NOLOGIN; CREATE TABLE api.salaries (amount int); ALTER TABLE api.salaries OWNER TO payroll; GRANT SELECT ON api.salaries TO admin",
                ),
            );
            const api = apiConfig({ roles: { web_anon: { tables: { "api.salaries": ["select"] } } } });
            await assert.rejects(host.create(inputs(server, db, api)), {
                message:
                    `applying roles and grants failed, nothing was changed (127.0.0.1:${server.port}/${db}): the server did less than planned: no privileges were granted for "salaries": ` +
                    "the admin user lacks GRANT OPTION on that object: make the admin a member of its owner (GRANT <owner> TO <admin>), or have the owner grant it",
            });
        });

        it("a grants change: the engine's diff says update, the reviewer reads each item that comes and goes, and up applies them", async () => {
            const db = await freshDatabase(server);
            const before = apiConfig({
                roles: {
                    web_anon: { tables: { "api.trees": ["select"] } },
                    web_user: { memberOf: ["web_anon"], tables: { "api.trees": ["select"] } },
                },
            });
            const after = apiConfig({
                roles: { web_anon: { tables: { "api.trees": ["select", "insert"] } }, web_user: { tables: { "api.trees": ["select"] } } },
            });
            const [olds, news] = [inputs(server, db, before), inputs(server, db, after)];
            const created = await host.create(olds);
            assert.deepStrictEqual(await host.diff(created.id, created.outs, news), { changes: "some", replaces: [], detailedDiff: false });
            assert.deepStrictEqual(
                reviewerDiff(olds, news).filter((line) => /^ *[-+~] /.test(line)),
                [
                    "      ~ state                : {",
                    '          + web_anon: insert on table api.trees                                    : "declared"',
                    '          - web_user member of web_anon                                            : "declared"',
                ],
            );
            const updated = await host.update(created.id, created.outs, news);
            assert.deepStrictEqual(updated.state, declaredItems(after));
            const held = await server.asSuperuser(db, (client) =>
                client.query(
                    "SELECT has_table_privilege('web_anon', 'api.trees', 'INSERT') AS insert, pg_has_role('web_user', 'web_anon', 'MEMBER') AS member",
                ),
            );
            assert.deepStrictEqual(held.rows[0], { insert: true, member: false });
            await host.delete(created.id, updated);
        });

        it("state recorded with the api block as `api` (before `__api`): no change, then updates, reads and deletes", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            const created = await host.create(inputs(server, db, api));
            const { __api: _api, adoptRoles: _adopt, ...rest } = created.outs;
            const recorded = { ...rest, api };
            assert.strictEqual((await host.diff(created.id, recorded, inputs(server, db, api))).changes, "none");
            const more = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select", "insert"] } } } });
            const updated = await host.update(created.id, recorded, inputs(server, db, more));
            // As the engine holds it: no undefined values.
            const held = (config: ApiConfig) => JSON.parse(JSON.stringify(config));
            assert.deepStrictEqual([updated.state, updated.__api, updated.api], [declaredItems(more), held(more), undefined]);
            const read = await host.read(created.id, { ...recorded, state: declaredItems(more) });
            assert.deepStrictEqual([read.props.__api, read.inputs.__api, read.inputs.api], [held(api), held(api), undefined]);
            await host.delete(created.id, recorded);
            const left = await server.asSuperuser(db, (client) =>
                client.query("SELECT rolname FROM pg_roles WHERE rolname IN ('authenticator', 'web_anon')"),
            );
            assert.deepStrictEqual(left.rows, [], "delete drops the roles it created");
        });

        it("shows the user on delete that a role owns objects, and how to free it", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            const created = await host.create(inputs(server, db, api));
            await server.asSuperuser(db, (client) => client.query("CREATE TABLE api.notes (body text); ALTER TABLE api.notes OWNER TO web_anon"));
            await assert.rejects(host.delete(created.id, created.outs), {
                message: `${NOTHING_CHANGED}\n  - cannot drop role "web_anon": it owns objects; run REASSIGN OWNED BY "web_anon" TO <role> in each database first`,
            });
        });
    });
}
