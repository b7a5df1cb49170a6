/**
 * PostgREST connects with libpq, not with node's pg: the PGRST_DB_URI this
 * product builds must be one that real libpq (Debian's psql) parses and logs
 * in with, even when the role name needs percent-encoding, and the login must
 * then switch roles the way PostgREST does.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import { converge } from "../../components/database/apply";
import { databaseUri } from "../../components/postgrest/settings";
import { apiConfig, freshDatabase } from "../../testing/databases";
import { MAJORS, testServer } from "../../testing/servers";

/** Runs each command in its own -c, as psql prints every result; fails on the first error. */
function psql(uri: string, ...commands: string[]): string[] {
    const args = [uri, "-AtqX", "-v", "ON_ERROR_STOP=1", ...commands.flatMap((c) => ["-c", c])];
    return execFileSync("psql", args, { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "10" }, stdio: ["ignore", "pipe", "pipe"] })
        .split("\n")
        .filter((line) => line !== "");
}

describe("PGRST_DB_URI through real libpq", () => {
    for (const major of MAJORS) {
        it(`logs in as the authenticator and reads the trees as web_anon (PostgreSQL ${major})`, async () => {
            const server = await testServer(major);
            const database = await freshDatabase(server);
            // '@', ':' and '/' would break a URI written by hand; the password is what @pulumi/random makes.
            const authenticatorRole = "auth@en:ti/cator";
            const password = "R4nd0mLettersAndDigits0123456789";
            const api = apiConfig({ authenticatorRole, roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
            await converge({
                adminUrl: server.url(database),
                desired: api,
                createdRoles: [],
                createdSchemas: [],
                passwords: { [authenticatorRole]: password },
            });

            const uri = databaseUri({ host: "127.0.0.1", port: server.port, name: database, sslMode: "disable" }, authenticatorRole, password);
            const lines = psql(uri, "select current_user", "begin", "set local role web_anon", "select count(*) from api.trees", "rollback");
            assert.deepStrictEqual(lines, [authenticatorRole, "4"]);
        });
    }

    it("is refused by libpq with a wrong password, so the check above can fail", async () => {
        const server = await testServer(18);
        const uri = databaseUri({ host: "127.0.0.1", port: server.port, name: "postgres", sslMode: "disable" }, "admin", "not-the-password");
        assert.throws(() => psql(uri, "select 1"), /password authentication failed/);
    });
});
