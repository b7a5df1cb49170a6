/**
 * A login the platform makes (a Cloud SQL IAM user, gcp.cloudSqlIamAuthentication), made a member of a passwordless
 * authenticator by the provider under @pulumi/pulumi's dynamic-provider host, on a real PostgreSQL: the TLS-only server
 * (18) and a plain 15, before PostgreSQL 16's membership options. The test creates the login role as Cloud SQL would
 * (LOGIN; here with a password, standing for the IAM token the Auth Proxy sends) and logs in as it as PostgREST would.
 */
import * as assert from "assert";
import { Client } from "pg";
import { ApiConfig } from "../../components/model/api";
import { declaredItems } from "../../components/database/declarations";
import { apiInputs } from "../../components/database/properties";
import { anotherDatabase, apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { TestServer, testServer, tlsTestServer } from "../../testing/servers";
import { EngineHost, startEngineHost } from "../../testing/engine-host";
import { reviewerDiff } from "../../testing/preview";

const IAM_PASSWORD = "StandsForTheIamToken0123";
const SEED = `
create schema api;
create table api.trees (id int primary key, name text not null);
insert into api.trees values (1, 'Banyan');
create table api.ledger (id int primary key, amount int not null);
insert into api.ledger values (1, 100);
`;

/** The items of `state` a preview marks added or removed, as `+ item` / `- item` (testing/preview.ts renders it as the CLI does). */
function changedItems(olds: object, news: object): string[] {
    return reviewerDiff(olds, news)
        .map((line) => /^ {10}([-+]) (.*?) +: "declared"$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map(([, sign, item]) => `${sign} ${item}`);
}

const SERVERS: [string, () => Promise<TestServer>][] = [
    ["TLS-only PostgreSQL 18", () => tlsTestServer("tls-only")],
    ["PostgreSQL 15", () => testServer(15)],
];

for (const [label, startServer] of SERVERS) {
    describe(`login members: a Cloud SQL IAM user logs in for a passwordless authenticator (${label})`, function () {
        this.timeout(120_000);
        let server: TestServer;
        let host: EngineHost;
        let database: string;
        // Roles are cluster-wide: names of this suite's own, so other suites' roles on the same server do not meet them.
        const suffix = label.startsWith("TLS") ? "tls" : "pg15";
        const iamUser = `postgrest-run-${suffix}@my-project.iam`;
        const otherIamUser = `postgrest-run-${suffix}-2@my-project.iam`;
        const authenticator = `iam_authenticator_${suffix}`;
        const anon = `iam_anon_${suffix}`;
        const accountant = `iam_accountant_${suffix}`;
        const api = (loginMembers: string[]): ApiConfig => ({
            ...apiConfig({
                authenticatorRole: authenticator,
                anonRole: anon,
                roles: { [anon]: { tables: { "api.trees": ["select"] } }, [accountant]: { tables: { "api.ledger": ["select"] } } },
            }),
            loginMembers,
        });
        const inputs = (loginMembers: string[]) => ({
            adminUrl: server.url(database),
            adminTls: { sslMode: "require" },
            ...apiInputs(api(loginMembers)),
        });
        /** Runs `fn` logged in as `user`, as PostgREST logs in through the proxy. */
        const asLogin = <T>(user: string, fn: (client: Client) => Promise<T>) => withClient(server.url(database, user, IAM_PASSWORD), fn, server.ssl);
        const canRead = (client: Client, table: string) =>
            client.query(`select count(*) from ${table}`).then(
                () => true,
                (error: Error) => (/permission denied/.test(error.message) ? false : Promise.reject(error)),
            );
        const switchAndRead = (user: string, role: string, table: string) =>
            asLogin(user, async (client) => {
                await client.query(`SET ROLE ${client.escapeIdentifier(role)}`);
                return canRead(client, table);
            });
        const roleRow = (name: string) =>
            server.asSuperuser(
                database,
                async (client) => (await client.query("select rolcanlogin, rolpassword from pg_authid where rolname = $1", [name])).rows[0],
            );

        before(async () => {
            server = await startServer();
            host = await startEngineHost();
            database = await freshDatabase(server, SEED);
            // As Cloud SQL creates an IAM database user: a LOGIN role with no privileges, not the provider's to create or drop.
            await server.asSuperuser(database, async (client) => {
                for (const user of [iamUser, otherIamUser])
                    await client.query(`CREATE ROLE ${client.escapeIdentifier(user)} LOGIN PASSWORD '${IAM_PASSWORD}'`);
            });
        });
        after(async () => {
            host?.stop();
            await server?.asSuperuser("postgres", async (client) => {
                for (const user of [iamUser, otherIamUser]) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(user)}`);
            });
        });

        let created: { id: string; outs: any };

        it("applies with no password anywhere: the authenticator has none and no LOGIN, and the IAM user is its member", async () => {
            created = await host.create(inputs([iamUser]));
            assert.deepStrictEqual(created.outs.createdRoles.sort(), [accountant, anon, authenticator].sort());
            assert.ok(!("authenticatorPassword" in created.outs), "an authenticator password in the outputs");
            assert.deepStrictEqual(await roleRow(authenticator), { rolcanlogin: false, rolpassword: null });
            assert.strictEqual(created.outs.state[`${iamUser} member of ${authenticator}`], "declared");
            assert.strictEqual(created.outs.state[`role ${authenticator}: nologin noinherit nosuperuser nocreatedb nocreaterole`], "declared");
            await assert.rejects(
                withClient(server.url(database, authenticator, "anything"), async () => undefined, server.ssl),
                /authentication failed|not permitted to log in/,
            );
        });

        it("lets the IAM user SET ROLE to the anonymous role and read what it is granted, and nothing only another role is", async () => {
            assert.strictEqual(await switchAndRead(iamUser, anon, "api.trees"), true);
            assert.strictEqual(await switchAndRead(iamUser, anon, "api.ledger"), false);
            assert.strictEqual(await switchAndRead(iamUser, accountant, "api.ledger"), true);
        });

        it("gives the IAM user itself no privilege of the API roles: the authenticator inherits none", async () => {
            assert.strictEqual(await asLogin(iamUser, (client) => canRead(client, "api.trees")), false);
            assert.strictEqual(await asLogin(iamUser, (client) => canRead(client, "api.ledger")), false);
            // A login that is not a member switches to nothing.
            await assert.rejects(switchAndRead(otherIamUser, anon, "api.trees"), /permission denied to set role/);
        });

        it("reads the membership back, and a refresh shows it gone when it was revoked by hand; the next update restores it", async () => {
            const read = await host.read(created.id, created.outs);
            assert.deepStrictEqual(read.props.state, declaredItems(api([iamUser])));
            // As the admin, who granted it: from PostgreSQL 16 on a REVOKE removes only the grants of the role it acts as.
            await withClient(
                server.url(database),
                (client) => client.query(`REVOKE ${client.escapeIdentifier(authenticator)} FROM ${client.escapeIdentifier(iamUser)}`),
                server.ssl,
            );
            const drifted = await host.read(created.id, created.outs);
            assert.strictEqual(drifted.props.state[`${iamUser} member of ${authenticator}`], undefined);
            assert.strictEqual((await host.diff(created.id, drifted.props, inputs([iamUser]))).changes, "some");
            assert.deepStrictEqual(changedItems(drifted.inputs, inputs([iamUser])), [`+ ${iamUser} member of ${authenticator}`]);
            created = { id: created.id, outs: await host.update(created.id, drifted.props, inputs([iamUser])) };
            assert.strictEqual(await switchAndRead(iamUser, anon, "api.trees"), true);
        });

        it("shows and applies a change of login member: the one taken out is revoked, the new one may switch", async () => {
            assert.deepStrictEqual(changedItems(inputs([iamUser]), inputs([otherIamUser])), [
                `+ ${otherIamUser} member of ${authenticator}`,
                `- ${iamUser} member of ${authenticator}`,
            ]);
            created = { id: created.id, outs: await host.update(created.id, created.outs, inputs([otherIamUser])) };
            await assert.rejects(switchAndRead(iamUser, anon, "api.trees"), /permission denied to set role/);
            assert.strictEqual(await switchAndRead(otherIamUser, anon, "api.trees"), true);
        });

        it("refuses a login member that does not exist, naming who creates it", async () => {
            await assert.rejects(
                host.update(created.id, created.outs, inputs(["nobody@my-project.iam"])),
                /login member "nobody@my-project.iam" does not exist: the platform creates it \(a Cloud SQL IAM user/,
            );
        });

        it("turns a password authenticator of an applied stack into a passwordless one when login members come", async () => {
            const switching = await anotherDatabase(server, SEED);
            const switched = `iam_switched_${suffix}`;
            const passwordApi = apiConfig({
                authenticatorRole: switched,
                anonRole: `${switched}_anon`,
                roles: { [`${switched}_anon`]: { tables: { "api.trees": ["select"] } } },
            });
            const before = {
                adminUrl: server.url(switching),
                adminTls: { sslMode: "require" },
                authenticatorPassword: "PasswordPathPassword0123456789",
                ...apiInputs(passwordApi),
            };
            const applied = await host.create(before);
            assert.strictEqual((await roleRow(switched)).rolcanlogin, true);
            const after = {
                adminUrl: server.url(switching),
                adminTls: { sslMode: "require" },
                ...apiInputs({ ...passwordApi, loginMembers: [iamUser] }),
            };
            assert.strictEqual((await host.diff(applied.id, applied.outs, after)).changes, "some");
            const updated = await host.update(applied.id, applied.outs, after);
            assert.deepStrictEqual(await roleRow(switched), { rolcanlogin: false, rolpassword: null });
            assert.ok(!("authenticatorPassword" in updated), "the old password stayed in the outputs");
            await host.delete(applied.id, updated);
        });

        it("on delete drops the roles it created and leaves the IAM users, which Cloud SQL owns", async () => {
            await host.delete(created.id, created.outs);
            const roles = await server.asSuperuser(database, async (client) =>
                (
                    await client.query("select rolname from pg_roles where rolname = any($1) order by 1", [
                        [iamUser, otherIamUser, authenticator, anon],
                    ])
                ).rows.map((r) => r.rolname),
            );
            assert.deepStrictEqual(roles, [iamUser, otherIamUser].sort());
        });
    });
}
