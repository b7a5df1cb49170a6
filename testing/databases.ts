/**
 * A fresh database per test (and per benchmark run), holding the trees schema:
 * `api.trees` with four rows, owned by the non-superuser admin. Roles are
 * cluster-wide, so the roles and databases of earlier tests are dropped first.
 */
import { Client } from "pg";
import { ApiConfig } from "../components/model/api";
import { parseApi } from "../components/config/api";
import { Problems } from "../components/config/problems";
import { ADMIN_USER, TestServer } from "./servers";

// PostgREST's first tutorial (https://postgrest.org/en/stable/tutorials/tut0.html), with a table of trees for its to-dos.
export const TREES_SCHEMA = `
create schema api;
create table api.trees (id serial primary key, name text not null, species text not null);
insert into api.trees (name, species) values ('Banyan', 'Ficus benghalensis'), ('Quaking Aspen', 'Populus tremula'),
  ('American Elm', 'Ulmus americana'), ('Red Maple', 'Acer rubrum');
`;

const TEST_DATABASE_PREFIX = "seed_";
let databaseCount = 0;

/** Drops the databases and roles earlier tests made, then creates a seeded database and returns its name. */
export async function freshDatabase(server: TestServer, seed = TREES_SCHEMA): Promise<string> {
    const name = `${TEST_DATABASE_PREFIX}${++databaseCount}`;
    await server.asSuperuser("postgres", async (client) => {
        const databases = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [
            `${TEST_DATABASE_PREFIX}%`,
        ]);
        for (const { datname } of databases.rows) await client.query(`DROP DATABASE ${client.escapeIdentifier(datname)} WITH (FORCE)`);
        const roles = await client.query<{ rolname: string }>(
            "select rolname from pg_roles where rolname not like 'pg\\_%' and rolname <> all($1) order by oid desc",
            [["postgres", ADMIN_USER]],
        );
        for (const { rolname } of roles.rows) await client.query(`DROP ROLE ${client.escapeIdentifier(rolname)}`);
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${ADMIN_USER}`);
    });
    await withClient(server.url(name), (client) => client.query(seed), server.ssl);
    return name;
}

/** Another seeded database next to the fresh one, on the same server: roles are shared, privileges are not. */
export async function anotherDatabase(server: TestServer, seed = TREES_SCHEMA): Promise<string> {
    const name = `${TEST_DATABASE_PREFIX}${++databaseCount}`;
    await server.asSuperuser("postgres", (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${ADMIN_USER}`));
    await withClient(server.url(name), (client) => client.query(seed), server.ssl);
    return name;
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>, ssl: TestServer["ssl"] = false): Promise<T> {
    const client = new Client({ connectionString: url, ssl });
    await client.connect();
    try {
        return await fn(client);
    } finally {
        await client.end();
    }
}

/** Parses an `api` block the way the stack config does; throws on a problem so a test cannot pass with a bad fixture. */
export function apiConfig(block: unknown): ApiConfig {
    const problems = new Problems();
    const api = parseApi(block, "postgrest:api", problems);
    problems.throwIfAny();
    return { ...api!, jwtRoleClaimKey: api!.jwtRoleClaimKey ?? "$.role" };
}
