/**
 * database.migrations: the pure rules (what is pending, what is refused) and the preview a reviewer reads, then the
 * provider the engine loads (its `__provider` text under @pulumi/pulumi's dynamic-provider host, over gRPC) on real
 * PostgreSQL: an empty database, a new file only, an edited file refused, and a failing file that rolls back the
 * grants and the files before it.
 */
import * as assert from "assert";
import { ApiConfig } from "../../components/model/api";
import { Migration, migrationChecksum } from "../../components/config/migrations";
import { diffAccess } from "../../components/database/diff";
import { migrationProblems, pendingMigrations } from "../../components/database/migrations";
import { reviewerDiff } from "../../testing/preview";
import { AccessInputs, AccessOutputs, apiInputs, migrationInputs } from "../../components/database/properties";
import { apiConfig, freshDatabase, TREES_SCHEMA, withClient } from "../../testing/databases";
import { MAJORS, TestServer } from "../../testing/servers";
import { EngineHost, withServerAndEngineHost } from "../../testing/engine-host";

const PASSWORD = "MigrationsAuthenticator0Password1";
const TREES: Migration = { name: "001-trees.sql", sql: TREES_SCHEMA };
const SHRUBS: Migration = {
    name: "002-shrubs.sql",
    sql: "create table api.shrubs (id serial primary key, name text not null);\ninsert into api.shrubs (name) values ('Boxwood');\n",
};
const TREES_API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const SHRUBS_API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"], "api.shrubs": ["select"] } } } });

const sum = (m: Migration) => migrationChecksum(m.sql);

describe("database.migrations: what is pending and what is refused", () => {
    it("a new file is pending; applied ones are not", () => {
        assert.deepStrictEqual(pendingMigrations({ [TREES.name]: sum(TREES) }, { [TREES.name]: sum(TREES), [SHRUBS.name]: sum(SHRUBS) }), [
            SHRUBS.name,
        ]);
        assert.deepStrictEqual(migrationProblems({ [TREES.name]: sum(TREES) }, { [TREES.name]: sum(TREES), [SHRUBS.name]: sum(SHRUBS) }), []);
    });

    it("an applied file edited since is refused, by name", () => {
        const problems = migrationProblems({ [TREES.name]: sum(TREES) }, { [TREES.name]: migrationChecksum(`${TREES.sql}-- edited\n`) });
        assert.strictEqual(problems.length, 1);
        assert.match(problems[0], /^migration 001-trees\.sql was applied \(sha256:[0-9a-f]{64}\) and has been edited since/);
    });

    it("a new file that sorts before an applied one is refused, naming both", () => {
        assert.deepStrictEqual(migrationProblems({ [SHRUBS.name]: sum(SHRUBS) }, { [TREES.name]: sum(TREES), [SHRUBS.name]: sum(SHRUBS) }), [
            "migration 001-trees.sql is new but sorts before 002-shrubs.sql, which is applied: rename it to sort after 002-shrubs.sql",
        ]);
    });

    it("CRLF line endings are the same migration (a Windows checkout)", () => {
        assert.strictEqual(migrationChecksum("select 1;\r\nselect 2;\r\n"), migrationChecksum("select 1;\nselect 2;\n"));
    });
});

describe("database.migrations: the preview", () => {
    const CONNECTION = {
        adminUrl: "postgresql://admin:pw@db.example.com:5432/startup",
        adminTls: { sslMode: "require" as const },
        authenticatorPassword: "p1",
    };
    const inputs = (files: Migration[]): AccessInputs => ({ ...CONNECTION, ...apiInputs(TREES_API), ...migrationInputs(files) });
    const outputs = (files: Migration[]): AccessOutputs => ({ ...inputs(files), createdRoles: [], createdSchemas: [] });

    it("lists the pending file by name under migrations, and never prints the SQL", () => {
        const lines = reviewerDiff(outputs([TREES]), inputs([TREES, SHRUBS]));
        const at = lines.findIndex((line) => line.includes("migrations"));
        assert.deepStrictEqual(lines.slice(at, at + 4), [
            "      ~ migrations           : {",
            `            001-trees.sql : "${sum(TREES)}"`,
            `          + 002-shrubs.sql: "${sum(SHRUBS)}"`,
            "        }",
        ]);
        assert.ok(!lines.join("\n").includes("create table"), lines.join("\n"));
        assert.strictEqual(diffAccess(outputs([TREES]), inputs([TREES, SHRUBS])).changes, true);
    });

    it("the same files are no change; a stack without migrations shows no migrations property", () => {
        assert.strictEqual(diffAccess(outputs([TREES]), inputs([TREES])).changes, false);
        assert.deepStrictEqual(migrationInputs([]), {});
        assert.ok(!reviewerDiff(outputs([]), inputs([])).join("\n").includes("migrations"));
    });

    it("fails the preview on an edited file, naming it", () => {
        const edited = { ...TREES, sql: `${TREES.sql}\n-- edited` };
        assert.throws(
            () => diffAccess(outputs([TREES]), inputs([edited])),
            /^Error: database\.migrations cannot be applied; nothing was changed: migration 001-trees\.sql was applied/,
        );
    });
});

for (const major of MAJORS) {
    describe(`database.migrations through the provider the engine loads, over gRPC (PostgreSQL ${major})`, function () {
        let server: TestServer;
        let host: EngineHost;
        withServerAndEngineHost(major, (s, h) => ([server, host] = [s, h]));

        const inputs = (db: string, api: ApiConfig, files: Migration[]) => ({
            adminUrl: server.url(db),
            authenticatorPassword: PASSWORD,
            ...apiInputs(api),
            ...migrationInputs(files),
        });
        const asAdmin = (db: string, sql: string) => withClient(server.url(db), async (client) => (await client.query(sql)).rows, server.ssl);
        const recorded = (db: string) => asAdmin(db, "select name, checksum, applied_by from postgrest_migrations.applied order by name");
        /** What the authenticator reads as web_anon, as PostgREST would for an anonymous request. */
        const anonymous = (db: string, sql: string) =>
            withClient(
                server.url(db, "authenticator", PASSWORD),
                async (client) => {
                    await client.query("set role web_anon");
                    return (await client.query(sql)).rows;
                },
                server.ssl,
            );

        it("on an empty database: creates the schema and rows, then the roles and grants on them, and records the file", async () => {
            const db = await freshDatabase(server, "");
            const created = await host.create(inputs(db, TREES_API, [TREES]));
            assert.deepStrictEqual(created.outs.migrations, { [TREES.name]: sum(TREES) });
            assert.deepStrictEqual(await anonymous(db, "select count(*)::int as trees from api.trees"), [{ trees: 4 }]);
            assert.deepStrictEqual(await recorded(db), [{ name: TREES.name, checksum: sum(TREES), applied_by: "admin" }]);
            // The record is out of the API's reach: web_anon has no usage on its schema.
            await assert.rejects(anonymous(db, "select * from postgrest_migrations.applied"), /permission denied for schema postgrest_migrations/);
            const read = await host.read(created.id, created.outs);
            assert.deepStrictEqual(read.props.migrations, { [TREES.name]: sum(TREES) });
        });

        it("a new file only: the applied one does not run again, the new one runs before the grants it needs", async () => {
            const db = await freshDatabase(server, "");
            const created = await host.create(inputs(db, TREES_API, [TREES]));
            const news = inputs(db, SHRUBS_API, [TREES, SHRUBS]);
            const diff = await host.diff(created.id, created.outs, news);
            assert.strictEqual(diff.changes, "some");
            // 001 creates schema api without IF NOT EXISTS: running it again would fail.
            const updated = await host.update(created.id, created.outs, news);
            assert.deepStrictEqual(Object.keys(updated.migrations), [TREES.name, SHRUBS.name]);
            assert.deepStrictEqual(await anonymous(db, "select name from api.shrubs"), [{ name: "Boxwood" }]);
            assert.deepStrictEqual(
                (await recorded(db)).map((row) => row.name),
                [TREES.name, SHRUBS.name],
            );
            assert.strictEqual((await host.diff(created.id, updated, news)).changes, "none");
        });

        it("an edited file is refused before any change, naming it: at preview (diff) and at up (the database's record)", async () => {
            const db = await freshDatabase(server, "");
            const created = await host.create(inputs(db, TREES_API, [TREES]));
            const edited = { ...TREES, sql: TREES.sql.replace("'Red Maple'", "'Sugar Maple'") };
            const news = inputs(db, SHRUBS_API, [edited, SHRUBS]);
            await assert.rejects(
                host.diff(created.id, created.outs, news),
                /migration 001-trees\.sql was applied \(sha256:[0-9a-f]+\) and has been edited since/,
            );
            // State that lost the record (an import, a hand edit) still cannot slip it through: the database's record decides.
            const { migrations: _forgotten, ...withoutRecord } = created.outs;
            await assert.rejects(host.update(created.id, withoutRecord, news), (error: Error) => {
                assert.match(error.message, /applying roles and grants failed, nothing was changed .*migration 001-trees\.sql was applied/);
                return true;
            });
            assert.deepStrictEqual(await asAdmin(db, "select to_regclass('api.shrubs') as shrubs"), [{ shrubs: null }]);
            assert.deepStrictEqual(await recorded(db), [{ name: TREES.name, checksum: sum(TREES), applied_by: "admin" }]);
        });

        it("a failing file rolls back the files before it and the grants, and its error names the file and the line", async () => {
            const db = await freshDatabase(server, "");
            const broken: Migration = { name: "002-broken.sql", sql: "create table api.shrubs (id int);\ninsert into api.bushes values (1);\n" };
            await assert.rejects(host.create(inputs(db, TREES_API, [TREES, broken])), (error: Error) => {
                assert.match(
                    error.message,
                    /nothing was changed .*migration 002-broken\.sql failed at line 2: relation "api\.bushes" does not exist/,
                );
                return true;
            });
            const left = await asAdmin(
                db,
                "select to_regnamespace('api') as api, to_regnamespace('postgrest_migrations') as record, " +
                    "(select count(*)::int from pg_roles where rolname in ('authenticator', 'web_anon')) as roles",
            );
            assert.deepStrictEqual(left, [{ api: null, record: null, roles: 0 }]);
        });

        it("a file that commits on its own is refused: it would break the one transaction", async () => {
            const db = await freshDatabase(server, "");
            const committing: Migration = { name: "001-trees.sql", sql: `${TREES_SCHEMA}\nCOMMIT;\n` };
            await assert.rejects(host.create(inputs(db, TREES_API, [committing])), /migration 001-trees\.sql ends the transaction/);
        });
    });
}
