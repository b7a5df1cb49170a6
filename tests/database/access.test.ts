/**
 * The database access provider against real PostgreSQL servers (15 and 18),
 * connected as a CREATEROLE admin that is not a superuser, as on RDS or Cloud
 * SQL. Effects are checked the way PostgREST uses them: log in as the
 * authenticator, switch role, query.
 */
import { DIRECT } from "../../components/model/admin-transport";
import * as assert from "assert";
import { Client } from "pg";
import { ApiConfig } from "../../components/model/api";
import { converge } from "../../components/database/apply";
import { AUTHENTICATOR_ATTRIBUTES, declaredItems, declaredRoles, item, DECLARED, UNDECLARED } from "../../components/database/declarations";
import { AccessInputs, AccessOutputs, apiInputs } from "../../components/database/properties";
import { accessProvider } from "../../components/database/provider";
import { TREES_SCHEMA, anotherDatabase, apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { ADMIN_PASSWORD, MAJORS, TestServer, testServer } from "../../testing/servers";

const PASSWORD = "Authenticator0Password1For2Tests";

// The trees schema plus a table of to-dos, each row visible only to the user named in the JWT's `sub` claim.
const TREES_AND_TODOS = `${TREES_SCHEMA}
create table api.todos (id serial primary key, owner text not null, task text not null);
insert into api.todos (owner, task) values ('alice', 'water the banyan'), ('bob', 'rake aspen leaves'), ('alice', 'prune the maple');
alter table api.todos enable row level security;
create policy own_todos on api.todos
  using (owner = current_setting('request.jwt.claims', true)::json->>'sub')
  with check (owner = current_setting('request.jwt.claims', true)::json->>'sub');
`;

const SEED_API = apiConfig({
    roles: {
        web_anon: { tables: { "api.trees": ["select"] } },
        todo_user: {
            memberOf: ["web_anon"],
            tables: { "api.trees": ["select", "insert"], "api.todos": ["select", "insert"] },
            sequences: { "api.trees_id_seq": ["usage"], "api.todos_id_seq": ["usage"] },
        },
    },
});

/** A fresh database with the tables SEED_API names. */
function seededDatabase(server: TestServer): Promise<string> {
    return freshDatabase(server, TREES_AND_TODOS);
}

function inputs(server: TestServer, database: string, api: ApiConfig): AccessInputs {
    return {
        adminUrl: server.url(database),
        adminTls: { sslMode: "require" },
        adminTransport: DIRECT,
        authenticatorPassword: PASSWORD,
        ...apiInputs(api),
    };
}

async function create(server: TestServer, database: string, api: ApiConfig): Promise<AccessOutputs> {
    const result = await accessProvider.create(inputs(server, database, api));
    return result.outs as AccessOutputs;
}

/** Runs `sql` as PostgREST does: logged in as the authenticator, in a transaction switched to `role`. */
async function asApiRole<T = any>(server: TestServer, database: string, role: string, sql: string, claims?: object): Promise<T[]> {
    return withClient(server.url(database, "authenticator", PASSWORD), async (client) => {
        await client.query("BEGIN");
        try {
            await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(role)}`);
            if (claims) await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
            return (await client.query(sql)).rows;
        } finally {
            await client.query("ROLLBACK");
        }
    });
}

async function asAdmin<T = any>(server: TestServer, database: string, sql: string, values?: unknown[]): Promise<T[]> {
    return withClient(server.url(database), async (client: Client) => (await client.query(sql, values)).rows);
}

async function roleNames(server: TestServer, database: string): Promise<string[]> {
    const rows = await asAdmin<{ rolname: string }>(
        server,
        database,
        "select rolname from pg_roles where rolname not like 'pg\\_%' order by rolname",
    );
    return rows.map((r) => r.rolname);
}

/** Privileges on every table of the api schema and every role, as one comparable string. */
async function aclsOfApiSchema(server: TestServer, database: string): Promise<string[]> {
    const rows = await asAdmin<{ acl: string }>(
        server,
        database,
        "select c.relname || ' ' || coalesce(c.relacl::text, 'default') as acl from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'api' order by 1",
    );
    return rows.map((r) => r.acl);
}

for (const major of MAJORS) {
    describe(`database access provider on PostgreSQL ${major} (admin with CREATEROLE, not superuser)`, function () {
        let server: TestServer;
        before(async function () {
            this.timeout(60_000);
            server = await testServer(major);
        });

        it("lets PostgREST read the trees as web_anon, write as a JWT role, and filters rows by the JWT claims", async () => {
            const db = await seededDatabase(server);
            const outs = await create(server, db, SEED_API);

            const trees = await asApiRole(server, db, "web_anon", "select name from api.trees order by id");
            assert.deepStrictEqual(
                trees.map((t) => t.name),
                ["Banyan", "Quaking Aspen", "American Elm", "Red Maple"],
            );
            await assert.rejects(
                asApiRole(server, db, "web_anon", "insert into api.trees (name, species) values ('Oak', 'Quercus')"),
                /permission denied for table trees/,
            );
            await assert.rejects(asApiRole(server, db, "admin", "select 1"), /permission denied to set role "admin"/);

            const inserted = await asApiRole(
                server,
                db,
                "todo_user",
                "insert into api.trees (name, species) values ('Oak', 'Quercus robur') returning id",
            );
            assert.strictEqual(inserted.length, 1);
            const alices = await asApiRole(server, db, "todo_user", "select task from api.todos order by id", { sub: "alice", role: "todo_user" });
            assert.deepStrictEqual(
                alices.map((t) => t.task),
                ["water the banyan", "prune the maple"],
            );

            assert.deepStrictEqual(outs.createdRoles.sort(), ["authenticator", "todo_user", "web_anon"]);
            assert.deepStrictEqual(outs.state, declaredItems(SEED_API));
            assert.ok(!JSON.stringify(outs.state).includes(PASSWORD), "state must not hold the password");
        });

        it("creates the authenticator LOGIN NOINHERIT without superuser, createdb or createrole, and API roles NOLOGIN", async () => {
            const db = await seededDatabase(server);
            await create(server, db, SEED_API);
            const rows = await asAdmin(
                server,
                db,
                "select rolname, rolcanlogin, rolinherit, rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = any($1) order by rolname",
                [["authenticator", "todo_user", "web_anon"]],
            );
            assert.deepStrictEqual(rows, [
                { rolname: "authenticator", rolcanlogin: true, rolinherit: false, rolsuper: false, rolcreatedb: false, rolcreaterole: false },
                { rolname: "todo_user", rolcanlogin: false, rolinherit: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false },
                { rolname: "web_anon", rolcanlogin: false, rolinherit: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false },
            ]);
        });

        it("executes zero statements when nothing changed, and only the difference when something did", async () => {
            const db = await seededDatabase(server);
            const outs = await create(server, db, SEED_API);
            const again = await converge({
                adminUrl: server.url(db),
                desired: SEED_API,
                previous: SEED_API,
                createdRoles: outs.createdRoles,
                createdSchemas: [],
            });
            assert.strictEqual(again.statementsExecuted, 0);

            const withDelete = apiConfig({
                roles: { web_anon: { tables: { "api.trees": ["select"] } }, todo_user: { tables: { "api.trees": ["select", "delete"] } } },
            });
            const changed = await converge({
                adminUrl: server.url(db),
                desired: withDelete,
                previous: SEED_API,
                createdRoles: outs.createdRoles,
                createdSchemas: [],
            });
            assert.deepStrictEqual(changed.statements, [
                'REVOKE "web_anon" FROM "todo_user"',
                'REVOKE USAGE ON SEQUENCE "api"."todos_id_seq", "api"."trees_id_seq" FROM "todo_user"',
                'REVOKE INSERT, SELECT ON TABLE "api"."todos" FROM "todo_user"',
                'REVOKE INSERT ON TABLE "api"."trees" FROM "todo_user"',
                'GRANT DELETE ON TABLE "api"."trees" TO "todo_user"',
            ]);
            assert.strictEqual((await asApiRole(server, db, "todo_user", "delete from api.trees returning id")).length, 4);
        });

        it("shows a grant revoked by hand as drift on refresh, and the next update restores it", async () => {
            const db = await seededDatabase(server);
            const outs = await create(server, db, SEED_API);
            await asAdmin(server, db, "REVOKE SELECT ON api.trees FROM web_anon; GRANT DELETE ON api.trees TO web_anon");

            const read = await accessProvider.read!("id", outs);
            const refreshed = read.props as AccessOutputs;
            assert.strictEqual(refreshed.state["web_anon: select on table api.trees"], undefined);
            assert.strictEqual(refreshed.state["web_anon: delete on table api.trees"], UNDECLARED);
            assert.strictEqual(refreshed.state["web_anon: usage on schema api"], DECLARED);
            assert.deepStrictEqual(read.inputs.state, refreshed.state, "refreshed inputs carry the drift, so the preview shows it");
            const diff = await accessProvider.diff!("id", refreshed, inputs(server, db, SEED_API));
            assert.strictEqual(diff.changes, true);

            await accessProvider.update!("id", refreshed, inputs(server, db, SEED_API));
            await assert.rejects(asApiRole(server, db, "web_anon", "delete from api.trees"), /permission denied/);
            assert.strictEqual((await asApiRole(server, db, "web_anon", "select * from api.trees")).length, 4);
            const repaired = (await accessProvider.read!("id", outs)).props as AccessOutputs;
            assert.deepStrictEqual(repaired.state, declaredItems(SEED_API));
        });

        it("delete revokes its grants and drops only the roles it created, leaving other roles and grants alone", async () => {
            const db = await freshDatabase(server);
            await asAdmin(
                server,
                db,
                "CREATE ROLE reporting NOLOGIN; GRANT SELECT ON api.trees TO reporting; CREATE ROLE web_anon NOLOGIN; GRANT SELECT ON api.trees TO web_anon",
            );
            const api = apiConfig({ adoptRoles: ["web_anon"], roles: { web_anon: { tables: { "api.trees": ["select", "update"] } } } });
            const outs = await create(server, db, api);
            assert.deepStrictEqual(outs.createdRoles, ["authenticator"]);

            await accessProvider.delete!("id", outs);
            assert.deepStrictEqual(await roleNames(server, db), ["admin", "postgres", "reporting", "web_anon"]);
            const acl = await asAdmin(
                server,
                db,
                "select has_table_privilege('reporting', 'api.trees', 'SELECT') as reporting, has_table_privilege('web_anon', 'api.trees', 'SELECT') as anon",
            );
            assert.deepStrictEqual(acl, [{ reporting: true, anon: false }]);
            assert.strictEqual((await asAdmin(server, db, "select count(*)::int as n from api.trees"))[0].n, 4);
        });

        it("refuses to drop a role that owns objects, with a clear error, and changes nothing", async () => {
            const db = await seededDatabase(server);
            const outs = await create(server, db, SEED_API);
            await server.asSuperuser(db, (client) => client.query("CREATE TABLE api.notes (body text); ALTER TABLE api.notes OWNER TO todo_user"));
            const before = await aclsOfApiSchema(server, db);

            await assert.rejects(accessProvider.delete!("id", outs), /cannot drop role "todo_user": it owns objects/);
            assert.deepStrictEqual(await aclsOfApiSchema(server, db), before);
            assert.deepStrictEqual(await roleNames(server, db), ["admin", "authenticator", "postgres", "todo_user", "web_anon"]);
        });

        it("names a missing table, column or function instead of failing with a raw database error", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({
                roles: {
                    web_anon: {
                        tables: { "api.shrubs": ["select"] },
                        columns: { "api.trees": { select: ["height"] } },
                        functions: { "api.plant(text)": ["execute"] },
                    },
                },
            });
            await assert.rejects(create(server, db, api), (error: Error) => {
                assert.match(error.message, /table or view api\.shrubs does not exist/);
                assert.match(error.message, /column "height" does not exist in table api\.trees/);
                assert.match(error.message, /function api\.plant\(text\) does not exist/);
                return true;
            });
            assert.deepStrictEqual(await roleNames(server, db), ["admin", "postgres"]);
        });

        it("quotes injection-shaped role names: nothing is dropped, the role exists under its exact name", async () => {
            const db = await freshDatabase(server);
            const evil = 'x"; DROP TABLE api.trees; --';
            const api = apiConfig({ anonRole: evil, roles: { [evil]: { tables: { "api.trees": ["select"] } } } });
            const outs = await create(server, db, api);
            assert.strictEqual((await asAdmin(server, db, "select count(*)::int as n from api.trees"))[0].n, 4);
            assert.ok((await roleNames(server, db)).includes(evil));
            assert.strictEqual((await asApiRole(server, db, evil, "select * from api.trees")).length, 4);
            await accessProvider.delete!("id", outs);
            assert.strictEqual((await asAdmin(server, db, "select count(*)::int as n from api.trees"))[0].n, 4);
            assert.ok(!(await roleNames(server, db)).includes(evil));
        });

        it("applies columns, functions, schema-wide grants and default privileges, and revokes EXECUTE from PUBLIC", async () => {
            const db = await freshDatabase(
                server,
                `${TREES_SCHEMA}
                create table api.users (id int primary key, name text, password_hash text);
                insert into api.users values (1, 'ada', 'x');
                create function api.tree_count() returns bigint language sql as 'select count(*) from api.trees';
                create function api.secret() returns text language sql as 'select ''hidden''';`,
            );
            const api = apiConfig({
                revokePublicExecute: true,
                roles: {
                    web_anon: {
                        columns: { "api.users": { select: ["id", "name"] } },
                        functions: { "api.tree_count": ["execute"] },
                        allTables: { api: ["select"] },
                        defaultPrivileges: { tables: { api: ["select"] } },
                    },
                },
            });
            const outs = await create(server, db, api);
            assert.deepStrictEqual(await asApiRole(server, db, "web_anon", "select api.tree_count()::int as n"), [{ n: 4 }]);
            await assert.rejects(asApiRole(server, db, "web_anon", "select api.secret()"), /permission denied for function secret/);
            // allTables already covers api.users; the column grants are what is left when allTables goes.
            assert.deepStrictEqual(await asApiRole(server, db, "web_anon", "select name from api.users"), [{ name: "ada" }]);
            await asAdmin(server, db, "create table api.shrubs (name text); insert into api.shrubs values ('box')");
            assert.deepStrictEqual(
                await asApiRole(server, db, "web_anon", "select name from api.shrubs"),
                [{ name: "box" }],
                "default privileges cover tables created later",
            );

            const read = (await accessProvider.read!("id", outs)).props as AccessOutputs;
            assert.deepStrictEqual(read.state, declaredItems(api));

            const columnsOnly = apiConfig({ roles: { web_anon: { columns: { "api.users": { select: ["id", "name"] } } } } });
            await accessProvider.update!("id", outs, inputs(server, db, columnsOnly));
            assert.deepStrictEqual(await asApiRole(server, db, "web_anon", "select id, name from api.users"), [{ id: 1, name: "ada" }]);
            await assert.rejects(asApiRole(server, db, "web_anon", "select password_hash from api.users"), /permission denied/);
            await assert.rejects(asApiRole(server, db, "web_anon", "select * from api.trees"), /permission denied/);
        });

        it("creates a missing exposed schema and drops it on delete only while it is empty", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({ schemas: ["api", "v2"], roles: { web_anon: { allTables: { v2: ["select"] } } } });
            const outs = await create(server, db, api);
            assert.deepStrictEqual(outs.createdSchemas, ["v2"]);
            await accessProvider.delete!("id", outs);
            assert.deepStrictEqual(await asAdmin(server, db, "select nspname from pg_namespace where nspname in ('api', 'v2')"), [
                { nspname: "api" },
            ]);

            const kept = await create(server, db, api);
            await asAdmin(server, db, "create table v2.items (id int)");
            await accessProvider.delete!("id", kept);
            assert.deepStrictEqual(await asAdmin(server, db, "select nspname from pg_namespace where nspname = 'v2'"), [{ nspname: "v2" }]);
        });

        it("lets two applies run at once: both succeed, one after the other", async () => {
            const db = await seededDatabase(server);
            const adopting = { ...SEED_API, adoptRoles: declaredRoles(SEED_API) };
            const apply = () =>
                converge({
                    adminUrl: server.url(db),
                    desired: adopting,
                    createdRoles: [],
                    createdSchemas: [],
                    passwords: { authenticator: PASSWORD },
                });
            const [first, second] = await Promise.all([apply(), apply()]);
            // The one that waited for the lock found the roles in place and only set the password again.
            const counts = [first.statementsExecuted, second.statementsExecuted].sort((a, b) => a - b);
            assert.strictEqual(counts[0], 1);
            assert.ok(counts[1] > 5);
            assert.strictEqual((await asApiRole(server, db, "web_anon", "select * from api.trees")).length, 4);
        });

        it("applies two stacks on two databases of one server at once, sharing role names: roles are cluster-wide", async () => {
            const adopting = { ...SEED_API, adoptRoles: declaredRoles(SEED_API) };
            for (let round = 0; round < 3; round++) {
                const databases = [await seededDatabase(server), await anotherDatabase(server, TREES_AND_TODOS)];
                const results = await Promise.allSettled(
                    databases.map((db) =>
                        converge({
                            adminUrl: server.url(db),
                            desired: adopting,
                            createdRoles: [],
                            createdSchemas: [],
                            passwords: { authenticator: PASSWORD },
                        }),
                    ),
                );
                assert.deepStrictEqual(
                    results.map((r) => (r.status === "fulfilled" ? "ok" : String(r.reason.message))),
                    ["ok", "ok"],
                );
                for (const db of databases) assert.strictEqual((await asApiRole(server, db, "web_anon", "select * from api.trees")).length, 4);
            }
        });

        it("keeps what a declared default privilege gave to tables and functions created later: refresh finds no drift, the next up revokes nothing", async () => {
            const db = await freshDatabase(server);
            const api = apiConfig({
                roles: {
                    web_anon: {
                        tables: { "api.trees": ["select"] },
                        defaultPrivileges: { tables: { api: ["select"] }, functions: { api: ["execute"] } },
                    },
                },
            });
            const outs = await create(server, db, api);
            await asAdmin(
                server,
                db,
                "create table api.shrubs (name text); insert into api.shrubs values ('box'); create function api.shrub_count() returns bigint language sql as 'select count(*) from api.shrubs'",
            );

            const read = (await accessProvider.read!("id", outs)).props as AccessOutputs;
            assert.deepStrictEqual(read.state, declaredItems(api));
            const again = await converge({
                adminUrl: server.url(db),
                desired: api,
                previous: api,
                createdRoles: outs.createdRoles,
                createdSchemas: [],
            });
            assert.deepStrictEqual(again.statements, []);
            assert.deepStrictEqual(await asApiRole(server, db, "web_anon", "select name, api.shrub_count()::int as n from api.shrubs"), [
                { name: "box", n: 1 },
            ]);
        });

        it("repairs an authenticator whose VALID UNTIL has passed: refresh shows the drift, the update lets PostgREST log in again", async () => {
            const db = await seededDatabase(server);
            const outs = await create(server, db, SEED_API);
            await asAdmin(server, db, "ALTER ROLE authenticator VALID UNTIL '2001-01-01'");
            await assert.rejects(asApiRole(server, db, "web_anon", "select 1"), /password authentication failed/);

            const read = (await accessProvider.read!("id", outs)).props as AccessOutputs;
            const authenticatorItem = item.role("authenticator", AUTHENTICATOR_ATTRIBUTES);
            assert.strictEqual(read.state[authenticatorItem], undefined);
            await accessProvider.update!("id", read, inputs(server, db, SEED_API));
            assert.strictEqual((await asApiRole(server, db, "web_anon", "select * from api.trees")).length, 4);
            assert.strictEqual(((await accessProvider.read!("id", outs)).props as AccessOutputs).state[authenticatorItem], DECLARED);
        });

        (major >= 16 ? it : it.skip)(
            "repairs membership options revoked by hand (PostgreSQL 16+: SET for the authenticator, INHERIT for memberOf)",
            async () => {
                const db = await seededDatabase(server);
                const outs = await create(server, db, SEED_API);
                await asAdmin(server, db, "GRANT todo_user TO authenticator WITH SET FALSE; GRANT web_anon TO todo_user WITH INHERIT FALSE");
                await assert.rejects(asApiRole(server, db, "todo_user", "select 1"), /permission denied to set role "todo_user"/);
                const inherits = async () =>
                    (await asAdmin(server, db, "select pg_has_role('todo_user', 'web_anon', 'USAGE') as inherits"))[0].inherits;
                assert.strictEqual(await inherits(), false);

                const read = (await accessProvider.read!("id", outs)).props as AccessOutputs;
                assert.strictEqual(read.state["authenticator member of todo_user"], undefined);
                assert.strictEqual(read.state["todo_user member of web_anon"], undefined);
                await accessProvider.update!("id", read, inputs(server, db, SEED_API));
                assert.strictEqual((await asApiRole(server, db, "todo_user", "select * from api.trees")).length, 4);
                assert.strictEqual(await inherits(), true);
                assert.deepStrictEqual(((await accessProvider.read!("id", outs)).props as AccessOutputs).state, declaredItems(SEED_API));
            },
        );

        it("fails, changing nothing, when the server only warns that the admin (who may read the table) lacks GRANT OPTION", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) =>
                client.query(
                    "CREATE ROLE payroll NOLOGIN; CREATE TABLE api.salaries (amount int); ALTER TABLE api.salaries OWNER TO payroll; GRANT SELECT ON api.salaries TO admin",
                ),
            );
            const rolesBefore = await roleNames(server, db);
            const api = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"], "api.salaries": ["select"] } } } });
            await assert.rejects(
                create(server, db, api),
                /applying roles and grants failed, nothing was changed .*: the server did less than planned: no privileges were granted for "salaries": the admin user lacks GRANT OPTION on that object/,
            );
            assert.deepStrictEqual(await roleNames(server, db), rolesBefore);
        });

        it("fails, changing nothing, when revokePublicExecute meets a function the admin cannot revoke from", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) =>
                client.query(
                    "CREATE ROLE payroll NOLOGIN; CREATE FUNCTION api.payday() RETURNS int LANGUAGE sql AS 'select 25'; ALTER FUNCTION api.payday() OWNER TO payroll",
                ),
            );
            const rolesBefore = await roleNames(server, db);
            const api = apiConfig({ revokePublicExecute: true, roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            await assert.rejects(
                create(server, db, api),
                /the server did less than planned: no privileges could be revoked for "payday": the admin user may revoke only what it granted/,
            );
            assert.deepStrictEqual(await roleNames(server, db), rolesBefore);
        });

        it("revokes an undeclared membership another role granted on PostgreSQL 15, and on 16+ fails naming who must revoke it", async () => {
            const db = await seededDatabase(server);
            const api = apiConfig({
                roles: { web_anon: { tables: { "api.trees": ["select"] } }, todo_user: { tables: { "api.todos": ["select"] } } },
            });
            const outs = await create(server, db, api);
            await server.asSuperuser(db, (client) => client.query("GRANT web_anon TO todo_user"));
            const update = accessProvider.update!("id", outs, inputs(server, db, api));
            const isMember = async () => (await asAdmin(server, db, "select pg_has_role('todo_user', 'web_anon', 'MEMBER') as m"))[0].m;
            if (major >= 16) {
                await assert.rejects(
                    update,
                    /has not been granted membership in role "web_anon" by role "admin": PostgreSQL 16\+ records who granted a membership/,
                );
                assert.strictEqual(await isMember(), true);
            } else {
                await update;
                assert.strictEqual(await isMember(), false);
            }
        });

        it("leaves the database unchanged when a statement fails mid-way", async () => {
            const db = await freshDatabase(server);
            await server.asSuperuser(db, (client) => client.query("CREATE ROLE superpowers SUPERUSER NOLOGIN"));
            const rolesBefore = await roleNames(server, db);
            const aclsBefore = await aclsOfApiSchema(server, db);
            // Granting membership in a superuser role needs a superuser: the membership GRANT, planned last, fails.
            const api = apiConfig({ roles: { web_anon: { memberOf: ["superpowers"], tables: { "api.trees": ["select"] } } } });
            await assert.rejects(create(server, db, api), /applying roles and grants failed, nothing was changed .*(superpowers|superusers)/s);
            assert.deepStrictEqual(await roleNames(server, db), rolesBefore);
            assert.deepStrictEqual(await aclsOfApiSchema(server, db), aclsBefore);
        });

        it("keeps the admin URL and passwords out of errors: a failed login names the host, not the secret", async () => {
            const db = await seededDatabase(server);
            const wrong = "Wrong-Admin-Password-31337";
            const url = server.url(db, "admin", wrong);
            await assert.rejects(accessProvider.create({ ...inputs(server, db, SEED_API), adminUrl: url }), (error: Error) => {
                assert.match(error.message, /cannot connect to 127\.0\.0\.1:\d+\/seed_\d+ as the admin user/);
                assert.match(error.message, /password authentication failed/);
                for (const secret of [wrong, url, PASSWORD, ADMIN_PASSWORD]) assert.ok(!error.message.includes(secret), `message holds ${secret}`);
                return true;
            });
            const unreachable = `postgresql://admin:${wrong}@127.0.0.1:1/${db}`;
            await assert.rejects(accessProvider.create({ ...inputs(server, db, SEED_API), adminUrl: unreachable }), (error: Error) => {
                assert.match(error.message, /cannot connect to 127\.0\.0\.1:1\//);
                assert.ok(!error.message.includes(wrong) && !error.message.includes(unreachable));
                return true;
            });
        });
    });
}
