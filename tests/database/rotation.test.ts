/**
 * Rotation without an outage (docs/rotation.md): the schedule's count as the engine's Check computes it, and the
 * authenticator pair applied by the provider the engine loads, on real PostgreSQL (plain 15 and 18, TLS-only 18).
 */
import * as assert from "assert";
import { Client } from "pg";
import { ApiConfig } from "../../components/model/api";
import { reviewerDiff } from "../../testing/preview";
import { AccessInputs, apiInputs } from "../../components/database/properties";
import { declaredItems } from "../../components/database/declarations";
import { nextSchedule } from "../../components/database/rotation";
import { activeIndex, secretGeneration as passwordGeneration } from "../../components/model/rotation";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { MAJORS, TestServer, testServer, tlsTestServer } from "../../testing/servers";
import { mockPassword } from "../../testing/mocks/random";
import { ProgramRun, ROLES_AND_GRANTS, baseConfig, plainInputs, runProgram } from "../../testing/harness";
import { EngineHost, startEngineHost } from "../../testing/engine-host";

const DAY_MS = 86_400_000;
const T0 = new Date("2026-01-01T00:00:00.000Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

describe("rotation schedule: the count Check gives (pure)", () => {
    const first = nextSchedule(undefined, { generation: 0, everyDays: 30 }, T0);
    const cases: { name: string; recorded: ReturnType<typeof nextSchedule> | undefined; wanted: object; now: Date; rotations: number }[] = [
        { name: "turning rotation on is no rotation", recorded: undefined, wanted: { generation: 5 }, now: T0, rotations: 0 },
        { name: "a day before due: as recorded", recorded: first, wanted: { generation: 0, everyDays: 30 }, now: at(29), rotations: 0 },
        { name: "due after everyDays", recorded: first, wanted: { generation: 0, everyDays: 30 }, now: at(30), rotations: 1 },
        { name: "a changed generation, not yet due", recorded: first, wanted: { generation: 1, everyDays: 30 }, now: at(1), rotations: 1 },
        { name: "without everyDays, time alone never rotates", recorded: first, wanted: { generation: 0 }, now: at(400), rotations: 0 },
        { name: "a shorter everyDays makes it due now", recorded: first, wanted: { generation: 0, everyDays: 7 }, now: at(8), rotations: 1 },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const next = nextSchedule(c.recorded, c.wanted as { generation: number }, c.now);
            assert.strictEqual(next.rotations, c.rotations);
            const rotated = c.recorded !== undefined && c.rotations !== c.recorded.rotations;
            assert.strictEqual(next.rotatedAt, c.recorded && !rotated ? c.recorded.rotatedAt : c.now.toISOString());
        });
    }

    it("is the same at every preview until due, whatever the clock says", () => {
        const previews = [1, 2, 15, 29.9].map((day) => nextSchedule(first, { generation: 0, everyDays: 30 }, at(day)));
        for (const preview of previews) assert.deepStrictEqual(preview, first);
        assert.strictEqual(first.dueAt, at(30).toISOString());
    });

    it("each role's password changes only when it becomes active, and the configured authenticator is active first", () => {
        const story = [0, 1, 2, 3, 4].map((rotations) => [
            activeIndex(rotations),
            passwordGeneration(0, rotations),
            passwordGeneration(1, rotations),
        ]);
        assert.deepStrictEqual(story, [
            [0, 0, 0],
            [1, 0, 1],
            [0, 1, 1],
            [1, 1, 2],
            [0, 2, 2],
        ]);
    });
});

describe("rotation schedule under @pulumi/pulumi's dynamic-provider host, over gRPC", function () {
    let host: EngineHost;
    before(async () => {
        host = await startEngineHost("schedule");
    });
    after(() => host?.stop());

    it("Check counts from the recorded inputs; Diff replaces the schedule when the count moves, and nothing else", async () => {
        const created = await host.check({}, { generation: 0, everyDays: 30 });
        assert.strictEqual(created.rotations, 0);
        const again = await host.check(created, { generation: 0, everyDays: 30 });
        assert.deepStrictEqual(again, created);
        assert.strictEqual((await host.diff("rotation-0", created, again)).changes, "none");

        const bumped = await host.check(created, { generation: 1, everyDays: 30 });
        assert.strictEqual(bumped.rotations, 1);
        assert.deepStrictEqual(await host.diff("rotation-0", created, bumped), { changes: "some", replaces: ["rotations"], detailedDiff: false });

        const longAgo = { ...created, rotatedAt: new Date(Date.now() - 31 * DAY_MS).toISOString() };
        assert.strictEqual((await host.check(longAgo, { generation: 0, everyDays: 30 })).rotations, 1);
        const outs = (await host.create(bumped)).outs;
        assert.strictEqual(outs.rotations, 1);
    });
});

const API = apiConfig({ rotation: { generation: 0 }, roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const SINGLE = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });

/** The provider's inputs as PostgrestAccess makes them after `rotations` rotations, with each role's password of that generation. */
function rotatedInputs(adminUrl: string, rotations: number, password: (role: string, generation: number) => string): AccessInputs {
    const pair = ["authenticator", "authenticator_b"];
    const [active, standby] = [pair[activeIndex(rotations)], pair[1 - activeIndex(rotations)]];
    const generationOf = (role: string) => passwordGeneration(pair.indexOf(role) as 0 | 1, rotations);
    return {
        adminUrl,
        adminTls: { sslMode: "require" },
        ...apiInputs(API),
        authenticatorRole: active,
        authenticatorPassword: password(active, generationOf(active)),
        standbyRole: standby,
        standbyPassword: password(standby, generationOf(standby)),
    };
}

const passwordOf = (role: string, generation: number) => `${role.replace("_", "")}Generation${generation}Password0123`;

function describeRotation(name: string, server: () => Promise<TestServer>) {
    describe(`authenticator pair through the provider the engine loads (${name})`, function () {
        let db: TestServer;
        let host: EngineHost;
        before(async function () {
            this.timeout(120_000);
            db = await server();
            host = await startEngineHost();
        });
        after(() => host?.stop());

        const logsIn = async (database: string, role: string, password: string) => {
            try {
                return await withClient(
                    db.url(database, role, password),
                    async (c) => (await c.query("select current_user")).rows[0].current_user,
                    db.ssl,
                );
            } catch (error) {
                return (error as Error).message;
            }
        };

        it("turning rotation on keeps the deployed URI; rotations keep the previous login; refresh then preview shows nothing", async () => {
            const database = await freshDatabase(db);
            const single = {
                adminUrl: db.url(database),
                adminTls: { sslMode: "require" as const },
                ...apiInputs(SINGLE),
                authenticatorPassword: passwordOf("authenticator", 0),
            };
            const created = await host.create(single);
            // PostgREST's pool: a connection opened before anything rotates.
            const pooled = new Client({ connectionString: db.url(database, "authenticator", passwordOf("authenticator", 0)), ssl: db.ssl });
            await pooled.connect();
            try {
                // Rotation turned on: the running authenticator stays active with its password; the pair's second role appears.
                const on = rotatedInputs(db.url(database), 0, passwordOf);
                assert.strictEqual((await host.diff(created.id, created.outs, on)).changes, "some");
                assert.deepStrictEqual(
                    reviewerDiff(single, on).filter((line) => /^ *[-+~] /.test(line)),
                    [
                        "      + standbyPassword      : [secret]",
                        '      + standbyRole          : "authenticator_b"',
                        "      ~ state                : {",
                        '          + authenticator_b member of web_anon                                       : "declared"',
                        '          + role authenticator_b: login noinherit nosuperuser nocreatedb nocreaterole: "declared"',
                    ],
                );
                let outs = await host.update(created.id, created.outs, on);
                assert.deepStrictEqual(outs.createdRoles, ["authenticator", "web_anon", "authenticator_b"]);
                assert.strictEqual(await logsIn(database, "authenticator", passwordOf("authenticator", 0)), "authenticator");

                // Both roles have the same attributes and memberships.
                const roles = await db.asSuperuser(database, (c) =>
                    c.query(
                        `select r.rolname, r.rolcanlogin, r.rolinherit, r.rolsuper, r.rolcreatedb, r.rolcreaterole,
                                array(select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid where m.member = r.oid order by 1)::text[] as member_of
                           from pg_roles r where r.rolname in ('authenticator', 'authenticator_b') order by 1`,
                    ),
                );
                const { rolname: _a, ...first } = roles.rows[0];
                const { rolname: _b, ...second } = roles.rows[1];
                assert.deepStrictEqual(first, second);
                assert.deepStrictEqual(first.member_of, ["web_anon"]);

                // First rotation: the preview names the role that becomes active; the old URI and the new one both log in.
                const one = rotatedInputs(db.url(database), 1, passwordOf);
                assert.ok(reviewerDiff(on, one).includes('      ~ authenticatorRole    : "authenticator" => "authenticator_b"'));
                outs = await host.update(created.id, outs, one);
                assert.strictEqual(await logsIn(database, "authenticator", passwordOf("authenticator", 0)), "authenticator");
                assert.strictEqual(await logsIn(database, "authenticator_b", passwordOf("authenticator_b", 1)), "authenticator_b");
                assert.deepStrictEqual((await pooled.query("select current_user")).rows, [{ current_user: "authenticator" }]);

                // Refresh, then preview: nothing.
                const read = await host.read(created.id, outs);
                assert.deepStrictEqual(read.props.state, declaredItems(API));
                assert.strictEqual((await host.diff(created.id, read.props, one)).changes, "none");
                assert.deepStrictEqual(reviewerDiff(read.inputs, one), []);

                // Second rotation: the first password is gone, the other two log in.
                const two = rotatedInputs(db.url(database), 2, passwordOf);
                outs = await host.update(created.id, read.props, two);
                assert.match(await logsIn(database, "authenticator", passwordOf("authenticator", 0)), /password authentication failed/);
                assert.strictEqual(await logsIn(database, "authenticator", passwordOf("authenticator", 1)), "authenticator");
                assert.strictEqual(await logsIn(database, "authenticator_b", passwordOf("authenticator_b", 1)), "authenticator_b");

                // A connection opened before the rotations still works: PostgreSQL checks a password at login only.
                assert.deepStrictEqual((await pooled.query("select current_user")).rows, [{ current_user: "authenticator" }]);

                await host.delete(created.id, outs);
                const left = await db.asSuperuser(database, (c) => c.query("select rolname from pg_roles where rolname like 'authenticator%'"));
                assert.deepStrictEqual(left.rows, []);
            } finally {
                await pooled.end().catch(() => undefined);
            }
        });

        it("a standby role another stack made is refused unless adopted, and named in the error", async () => {
            const database = await freshDatabase(db);
            // Made by the admin, as another stack would: on PostgreSQL 16+ only a role's creator (ADMIN OPTION) may alter it.
            await withClient(db.url(database), (c) => c.query("CREATE ROLE authenticator_b LOGIN PASSWORD 'someone-elses'"), db.ssl);
            await assert.rejects(
                host.create(rotatedInputs(db.url(database), 0, passwordOf)),
                /role "authenticator_b" already exists and this stack did not create it; taking it over would reset its password/,
            );
            const adopting: ApiConfig = { ...API, adoptRoles: ["authenticator_b"] };
            const created = await host.create({
                ...rotatedInputs(db.url(database), 0, passwordOf),
                ...apiInputs(adopting),
                authenticatorRole: "authenticator",
            });
            assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
            assert.strictEqual(await logsIn(database, "authenticator_b", passwordOf("authenticator_b", 0)), "authenticator_b");
            await host.delete(created.id, created.outs);
            assert.strictEqual(
                await logsIn(database, "authenticator_b", passwordOf("authenticator_b", 0)),
                "authenticator_b",
                "an adopted role is not dropped",
            );
        });
    });
}

for (const major of MAJORS) describeRotation(`PostgreSQL ${major}`, () => testServer(major));
describeRotation("PostgreSQL 18, TLS only", () => tlsTestServer("tls-only"));

describe("rotation in the whole program, under mocks (a generation's rotations, see testing/mocks/rotation.ts)", function () {
    const PASSWORD = "postgrest-authenticator-password";
    const STANDBY_PASSWORD = "postgrest-standby-authenticator-password";
    const api = (rotation?: object) => ({ ...(rotation && { rotation }), roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
    const run = (rotation?: object) => runProgram({ config: { ...baseConfig("aws"), api: api(rotation) } });
    const passwordResource = (program: ProgramRun, name: string) =>
        program.byType("random:index/randomPassword:RandomPassword").find((r) => r.name === name);
    const rolesAndGrants = (program: ProgramRun) =>
        program.resources.find((r) => r.type === ROLES_AND_GRANTS.type && r.name === ROLES_AND_GRANTS.name)!;
    const databaseUri = (program: ProgramRun) =>
        program
            .byType("aws:secretsmanager/secretVersion:SecretVersion")
            .map((v) => v.inputs.secretString.value as string)
            .find((value) => value.startsWith("postgresql://"))!;
    const secretVersions = (program: ProgramRun) => {
        const containers = JSON.parse(program.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
        return containers.flatMap((c: any) => c.environment ?? []).find((e: any) => e.name === "POSTGREST_SECRET_VERSIONS").value;
    };
    let off: ProgramRun;
    let on: ProgramRun;
    let rotated: ProgramRun;
    before(async function () {
        this.timeout(180_000);
        off = await run();
        on = await run({ generation: 0, everyDays: 30 });
        rotated = await run({ generation: 1, everyDays: 30 });
    });

    it("without rotation: one password, no keepers, no schedule, no second role", () => {
        assert.deepStrictEqual(
            off
                .byType("random:index/randomPassword:RandomPassword")
                .map((r) => [r.name, r.inputs.keepers])
                .sort(),
            [
                [PASSWORD, undefined],
                ["postgrest-jwt-secret", undefined],
            ],
        );
        assert.strictEqual(rolesAndGrants(off).inputs.standbyRole, undefined);
        assert.ok(!off.resources.some((r) => r.name === "postgrest-rotation"));
    });

    it("turning rotation on keeps the running authenticator, its password resource and its URI; the second role waits as standby", () => {
        assert.deepStrictEqual(passwordResource(on, PASSWORD)!.inputs, passwordResource(off, PASSWORD)!.inputs);
        assert.deepStrictEqual(passwordResource(on, STANDBY_PASSWORD)!.inputs.keepers, undefined);
        const inputs = rolesAndGrants(on).inputs;
        assert.deepStrictEqual([inputs.authenticatorRole, inputs.standbyRole], ["authenticator", "authenticator_b"]);
        assert.strictEqual(databaseUri(on), databaseUri(off));
        // The URI's secret keeps its version; the JWT secret becomes a JWK Set holding the same key (tests/postgrest/jwt-keys.test.ts).
        const [uriOn, jwtOn] = secretVersions(on).split(",");
        const [uriOff, jwtOff] = secretVersions(off).split(",");
        assert.strictEqual(uriOn, uriOff);
        assert.notStrictEqual(jwtOn, jwtOff);
        const schedule = on.resources.find((r) => r.name === "postgrest-rotation")!;
        assert.deepStrictEqual([schedule.type, schedule.inputs.generation, schedule.inputs.everyDays], [ROLES_AND_GRANTS.type, 0, 30]);
    });

    it("a rotation makes the standby active with a new password, keeps the other's, and rolls the ECS service onto the new URI", () => {
        assert.deepStrictEqual(passwordResource(rotated, STANDBY_PASSWORD)!.inputs.keepers, { generation: "1" });
        assert.deepStrictEqual(passwordResource(rotated, PASSWORD)!.inputs, passwordResource(on, PASSWORD)!.inputs);
        const inputs = rolesAndGrants(rotated).inputs;
        assert.deepStrictEqual([inputs.authenticatorRole, inputs.standbyRole], ["authenticator_b", "authenticator"]);
        assert.match(databaseUri(rotated), /^postgresql:\/\/authenticator_b:/);
        assert.notStrictEqual(secretVersions(rotated), secretVersions(on));
    });

    it("no password reaches a plain input of any resource", () => {
        for (const program of [on, rotated]) {
            for (const resource of program.resources) {
                const plain = plainInputs(resource);
                for (const name of [PASSWORD, STANDBY_PASSWORD]) {
                    const value = mockPassword(name, 32);
                    assert.ok(!plain.includes(value), `${resource.type} ${resource.name} holds ${name} in plain text`);
                }
            }
        }
    });
});
