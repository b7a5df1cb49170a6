/**
 * Role identity on PostgreSQL 15 and 18, through the provider the engine loads (@pulumi/pulumi's dynamic-provider
 * host over gRPC): the marker each created role carries, a create that finds its own roles after a lost response,
 * the stack named when another one made a role, and the one-time marking of roles created before markers existed.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Client } from "pg";
import { ApiConfig } from "../../components/model/api";
import { converge } from "../../components/database/apply";
import { declaredItems, declaredRoles } from "../../components/database/declarations";
import { PostgrestAccess } from "../../components/database";
import { AccessInputs, apiInputs } from "../../components/database/properties";
import { accessProvider } from "../../components/database/provider";
import { RoleMarker, roleMarkerText } from "../../components/database/role-marker";
import { reviewerDiff } from "../../testing/preview";
import { anotherDatabase, apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { MAJORS, TestServer, testServer } from "../../testing/servers";
import { EngineHost, withServerAndEngineHost } from "../../testing/engine-host";

const PASSWORD = "RoleIdentityPassword0123456789";
const NOTHING_CHANGED = "cannot apply the api config to the database; nothing was changed:";
const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const THIS_STACK: RoleMarker = { project: "postgrest", stack: "dev", resource: "postgrest-roles-and-grants" };

function inputs(server: TestServer, database: string, api: ApiConfig, roleMarker: RoleMarker | null = THIS_STACK) {
    return { adminUrl: server.url(database), authenticatorPassword: PASSWORD, ...(roleMarker ? { roleMarker } : {}), ...apiInputs(api) };
}

async function comments(server: TestServer, database: string): Promise<Record<string, string | null>> {
    const rows = await server.asSuperuser(database, (client) =>
        client.query<{ rolname: string; comment: string | null }>(
            "select rolname, shobj_description(oid, 'pg_authid') as comment from pg_roles where rolname in ('authenticator', 'web_anon') order by rolname",
        ),
    );
    return Object.fromEntries(rows.rows.map((r) => [r.rolname, r.comment]));
}

/** The roles' attributes and password verifiers, memberships and privileges on api: what marking must leave alone. */
async function everythingButComments(server: TestServer, database: string): Promise<unknown[]> {
    const result = await server.asSuperuser(database, (client) =>
        client.query(`
            select json_build_object(
              'roles', (select json_agg(a order by a.rolname) from pg_authid a where a.rolname in ('authenticator', 'web_anon')),
              'memberships', (select json_agg(json_build_array(roleid::regrole, member::regrole) order by 1) from pg_auth_members
                              where member::regrole::text in ('authenticator', 'web_anon')),
              'acls', (select json_agg(json_build_array(c.relname, c.relacl) order by c.relname) from pg_class c
                       where c.relnamespace = 'api'::regnamespace),
              'schema', (select nspacl from pg_namespace where nspname = 'api')) as everything`),
    );
    return result.rows;
}

async function logsIn(server: TestServer, database: string, password = PASSWORD): Promise<unknown> {
    return withClient(server.url(database, "authenticator", password), async (client) => {
        await client.query("SET ROLE web_anon");
        return (await client.query("select count(*)::int as trees from api.trees")).rows[0];
    });
}

describe("role identity: the marker on the roles a stack creates", function () {
    it("is an input of the dynamic resource naming the program's project and stack and the resource, under mocks", async () => {
        const registered: { type: string; name: string; inputs: any }[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    return { id: `${args.name}-id`, state: args.inputs };
                },
                call: (args) => args.inputs,
            },
            "shop",
            "prod",
            false,
        );
        const access = new PostgrestAccess("db", { adminUrl: pulumi.secret("postgresql://admin:pw@db.example.com/startup"), api: API });
        await new Promise((resolve) => access.rolesAndGrants.urn.apply(resolve));
        const dynamic = registered.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
        assert.strictEqual(dynamic.name, "db-roles-and-grants");
        assert.deepStrictEqual(dynamic.inputs.roleMarker, { project: "shop", stack: "prod", resource: "db-roles-and-grants" });
    });
});

for (const major of MAJORS) {
    describe(`role identity under the engine's dynamic-provider host (PostgreSQL ${major})`, function () {
        let server: TestServer;
        let host: EngineHost;
        withServerAndEngineHost(major, (s, h) => ([server, host] = [s, h]));

        it("marks each role it creates with its project, stack and resource", async () => {
            const db = await freshDatabase(server);
            await host.create(inputs(server, db, API));
            const marker = roleMarkerText(THIS_STACK);
            assert.deepStrictEqual(await comments(server, db), { authenticator: marker, web_anon: marker });
            assert.strictEqual(
                marker,
                '{"createdBy":"postgrest-access","project":"postgrest","stack":"dev","resource":"postgrest-roles-and-grants"}',
            );
        });

        it("a create that finds the roles it made itself (response lost after the commit, or --clear-pending-creates) continues without adoptRoles, and delete drops them", async () => {
            const db = await freshDatabase(server);
            await host.create(inputs(server, db, API));
            // The engine recorded nothing: it creates again, with a new password.
            const again = await host.create({ ...inputs(server, db, API), authenticatorPassword: "NewPasswordAfterLostResponse0123" });
            assert.deepStrictEqual(again.outs.createdRoles, ["authenticator", "web_anon"]);
            assert.deepStrictEqual(again.outs.state, declaredItems(API));
            assert.deepStrictEqual(await logsIn(server, db, "NewPasswordAfterLostResponse0123"), { trees: 4 });
            await host.delete(again.id, again.outs);
            const left = await server.asSuperuser(db, (client) =>
                client.query("select rolname from pg_roles where rolname in ('authenticator', 'web_anon')"),
            );
            assert.deepStrictEqual(left.rows, []);
        });

        it("names the stack that created a role it finds, and leaves that stack's roles and login as they were", async () => {
            const first = await freshDatabase(server);
            const second = await anotherDatabase(server);
            await host.create(inputs(server, first, API));
            const other: RoleMarker = { project: "postgrest", stack: "staging", resource: "postgrest-roles-and-grants" };
            await assert.rejects(host.create({ ...inputs(server, second, API, other), authenticatorPassword: "OtherStackPassword0123456789" }), {
                message:
                    `${NOTHING_CHANGED}\n` +
                    '  - role "authenticator" already exists and was created by resource "postgrest-roles-and-grants" of Pulumi stack "postgrest/dev", which drops it when destroyed; ' +
                    "taking it over would reset its password (whoever logs in with the current one would be locked out) and make it login noinherit nosuperuser nocreatedb nocreaterole: " +
                    "add it to postgrest:api.adoptRoles to take it over, or choose another name with postgrest:api.authenticatorRole\n" +
                    '  - role "web_anon" already exists and was created by resource "postgrest-roles-and-grants" of Pulumi stack "postgrest/dev", which drops it when destroyed; ' +
                    "taking it over would make it nologin and revoke its undeclared privileges in the schemas it uses: " +
                    "add it to postgrest:api.adoptRoles to take it over, or choose another name with the role's name in postgrest:api.roles",
            });
            assert.deepStrictEqual(await logsIn(server, first), { trees: 4 });
            // Adopting it does not claim it: the marker still names its creator, the only stack that drops it.
            const adopting = { ...API, adoptRoles: declaredRoles(API) };
            const adopted = await host.create({ ...inputs(server, second, adopting, other), authenticatorPassword: PASSWORD });
            assert.deepStrictEqual(adopted.outs.createdRoles, []);
            const marker = roleMarkerText(THIS_STACK);
            assert.deepStrictEqual(await comments(server, first), { authenticator: marker, web_anon: marker });
        });

        it("a stack whose roles carry no marker yet: the preview shows the marker added, the update writes it and nothing else", async () => {
            const db = await freshDatabase(server);
            const legacy = inputs(server, db, API, null);
            const created = await host.create(legacy);
            assert.deepStrictEqual(await comments(server, db), { authenticator: null, web_anon: null });
            const news = inputs(server, db, API);
            assert.deepStrictEqual(await host.diff(created.id, created.outs, news), { changes: "some", replaces: [], detailedDiff: false });
            assert.deepStrictEqual(
                reviewerDiff(legacy, news).filter((line) => /^ *[-+~] /.test(line)),
                [
                    "      + roleMarker           : {",
                    '          + project : "postgrest"',
                    '          + resource: "postgrest-roles-and-grants"',
                    '          + stack   : "dev"',
                ],
            );
            const before = await everythingButComments(server, db);
            const updated = await host.update(created.id, created.outs, news);
            assert.deepStrictEqual(await comments(server, db), { authenticator: roleMarkerText(THIS_STACK), web_anon: roleMarkerText(THIS_STACK) });
            assert.deepStrictEqual(await everythingButComments(server, db), before);
            assert.deepStrictEqual(await logsIn(server, db), { trees: 4 });
            assert.strictEqual((await host.diff(created.id, updated, news)).changes, "none");
        });
    });
}

for (const major of MAJORS) {
    describe(`two stacks changing the same adopted role at once (PostgreSQL ${major})`, function () {
        let server: TestServer;
        before(async function () {
            server = await testServer(major);
        });

        const adopting = { ...API, adoptRoles: declaredRoles(API) };
        const apply = (db: string, password: string, roleMarker: RoleMarker) =>
            converge({
                adminUrl: server.url(db),
                desired: adopting,
                createdRoles: [],
                createdSchemas: [],
                passwords: { [API.authenticatorRole]: password },
                roleMarker,
            });

        it("plans again when the other stack's change to the role commits while this apply waits for it ('tuple concurrently updated')", async () => {
            const first = await freshDatabase(server);
            const second = await anotherDatabase(server);
            await apply(first, PASSWORD, THIS_STACK);
            // The other stack's transaction: it has altered the role and not committed yet.
            const other = new Client({ connectionString: server.url(first), ssl: server.ssl });
            await other.connect();
            try {
                await other.query("BEGIN; ALTER ROLE authenticator PASSWORD 'the-other-stack-s-password'");
                const applying = apply(second, "ThisStackPassword0123456789", { ...THIS_STACK, stack: "staging" });
                await waitUntil(async () => {
                    const waiting = await server.asSuperuser("postgres", (client) =>
                        client.query("select 1 from pg_stat_activity where application_name = 'postgrest-access' and wait_event_type = 'Lock'"),
                    );
                    return waiting.rows.length > 0;
                });
                await other.query("COMMIT");
                const result = await applying;
                assert.ok(result.statements.some((statement) => statement.startsWith('ALTER ROLE "authenticator"')));
            } finally {
                await other.end();
            }
            assert.deepStrictEqual(await logsIn(server, second, "ThisStackPassword0123456789"), { trees: 4 });
        });

        it("lets two applies on two databases alter the same adopted roles at the same instant: both succeed, each round", async () => {
            for (let round = 0; round < 5; round++) {
                const databases = [await freshDatabase(server), await anotherDatabase(server)];
                await apply(databases[0], PASSWORD, THIS_STACK);
                const results = await Promise.allSettled(
                    databases.map((db, i) => apply(db, `Round${round}Stack${i}Password0123456789`, { ...THIS_STACK, stack: `stack${i}` })),
                );
                assert.deepStrictEqual(
                    results.map((r) => (r.status === "fulfilled" ? "ok" : String(r.reason.message))),
                    ["ok", "ok"],
                );
            }
        });
    });
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
        if (Date.now() > deadline) throw new Error("timed out waiting");
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

for (const major of MAJORS) {
    describe(`a grant this stack cannot revoke names its grantor (PostgreSQL ${major})`, function () {
        let server: TestServer;
        before(async function () {
            server = await testServer(major);
        });
        const roles = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } }, todo_user: { tables: { "api.trees": ["select"] } } } });

        it(
            major >= 16
                ? "an undeclared membership a superuser granted: fails naming the grantor and the statements that revoke it, changing nothing"
                : "an undeclared membership a superuser granted: PostgreSQL 15 lets the admin revoke it",
            async () => {
                const db = await freshDatabase(server);
                const outs = (await accessProvider.create(accessInputs(server, db, roles))).outs;
                await server.asSuperuser(db, (client) => client.query("GRANT web_anon TO todo_user"));
                const update = accessProvider.update!("id", outs, accessInputs(server, db, roles));
                const isMember = async () =>
                    (await server.asSuperuser(db, (client) => client.query("select pg_has_role('todo_user', 'web_anon', 'MEMBER') as m"))).rows[0].m;
                if (major < 16) {
                    await update;
                    assert.strictEqual(await isMember(), false);
                    return;
                }
                await assert.rejects(update, (error: Error) => {
                    assert.ok(
                        error.message.endsWith(
                            'todo_user member of web_anon is still granted by "postgres": have "postgres" run REVOKE "web_anon" FROM "todo_user", ' +
                                'or a superuser run REVOKE "web_anon" FROM "todo_user" GRANTED BY "postgres"',
                        ),
                        error.message,
                    );
                    return true;
                });
                assert.strictEqual(await isMember(), true);
            },
        );

        it("an undeclared privilege another grantor gave: the owner's REVOKE leaves it without a warning; fails naming the grantor, changing nothing", async () => {
            const db = await freshDatabase(server);
            const outs = (await accessProvider.create(accessInputs(server, db, roles))).outs;
            // The admin owns api.trees; auditor may pass DELETE on, and does.
            await server.asSuperuser(db, (client) =>
                client.query(
                    "CREATE ROLE auditor NOLOGIN; SET ROLE admin; GRANT USAGE ON SCHEMA api TO auditor; GRANT DELETE ON api.trees TO auditor WITH GRANT OPTION; SET ROLE auditor; GRANT DELETE ON api.trees TO web_anon",
                ),
            );
            await assert.rejects(accessProvider.update!("id", outs, accessInputs(server, db, roles)), (error: Error) => {
                assert.ok(
                    error.message.endsWith(
                        'the server did less than planned: web_anon: delete on table api.trees is still granted by "auditor": have "auditor" run REVOKE DELETE ON TABLE "api"."trees" FROM "web_anon"',
                    ),
                    error.message,
                );
                return true;
            });
            const held = await server.asSuperuser(db, (client) => client.query("select has_table_privilege('web_anon', 'api.trees', 'DELETE') as d"));
            assert.strictEqual(held.rows[0].d, true);
        });
    });
}

function accessInputs(server: TestServer, database: string, api: ApiConfig): AccessInputs {
    return {
        adminUrl: server.url(database),
        adminTls: { sslMode: "require" },
        authenticatorPassword: PASSWORD,
        roleMarker: THIS_STACK,
        ...apiInputs(api),
    };
}
