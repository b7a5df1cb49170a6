/**
 * PostgREST's connection with a client certificate, through real libpq
 * (Debian's psql) as PostgREST's user (uid 1000), against a PostgreSQL that
 * asks for certificates (pg_hba `hostssl ... cert`, and `scram-sha-256
 * clientcert=verify-full` for certificate and password). The files start the
 * way each cloud delivers them and go through the very script its
 * file-writing container runs; without that script the same login fails.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DatabaseConfig } from "../../components/config/database";
import { converge } from "../../components/database/apply";
import { databaseUri } from "../../components/postgrest/settings";
import {
    POSTGREST_UID,
    TLS_FILES_FROM_ENVIRONMENT_SCRIPT,
    TLS_FILES_FROM_VOLUMES_SCRIPT,
    TLS_FILE_VARIABLES,
    TLS_SECRET_FILE_NAME,
    TlsFile,
} from "../../components/postgrest/tls-files";
import { KeyPair, issue } from "../../testing/certificates";
import { apiConfig, freshDatabase } from "../../testing/databases";
import { CERT_AND_PASSWORD_ROLE, TestServer, sharedTmpDir, tlsTestServer } from "../../testing/servers";

const PASSWORD = "CertAuthPassword0123456789abcdef";

/** psql as PostgREST's user, with a home of its own: libpq's key check compares the file's owner with the current user. */
function psqlAsPostgrest(uri: string, home: string): string {
    return execFileSync("psql", [uri, "-AtqX", "-v", "ON_ERROR_STOP=1", "-c", "select current_user"], {
        encoding: "utf8",
        uid: POSTGREST_UID,
        gid: POSTGREST_UID,
        env: { PATH: process.env.PATH, HOME: home, PGCONNECT_TIMEOUT: "10" },
        stdio: ["ignore", "pipe", "pipe"],
    }).trim();
}

function runScript(script: string, env: Record<string, string>): void {
    execFileSync("sh", ["-c", script], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** A scratch directory PostgREST's user can traverse, like a container's root. */
function scratch(): string {
    const dir = fs.mkdtempSync(path.join(sharedTmpDir(), "postgrest-tls-files-"));
    fs.chmodSync(dir, 0o755);
    return dir;
}

/** Each file as Cloud Run's secret volume gives it: <mount>/value, owned by root, with its item's mode. */
function placeAsCloudRunDoes(directory: string, contents: Record<TlsFile, string>, modes: { certificates: number; key: number }): void {
    for (const [name, content] of Object.entries(contents)) {
        const mode = name === "client.key" ? modes.key : modes.certificates;
        fs.mkdirSync(path.join(directory, name), { mode: 0o755 });
        const file = path.join(directory, name, TLS_SECRET_FILE_NAME);
        fs.writeFileSync(file, content);
        fs.chownSync(file, 0, 0);
        fs.chmodSync(file, mode);
    }
}

describe("PGRST_DB_URI with a client certificate, through real libpq as uid 1000", function () {
    let server: TestServer;
    let work: string;
    before(async function () {
        // Root-owned files and a login as another user need root, as in the containers.
        if (process.getuid?.() !== 0) this.skip();
        this.timeout(120_000);
        server = await tlsTestServer("cert-auth");
    });
    beforeEach(() => {
        work = scratch();
    });
    afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

    /** Creates `role` with PostgREST's password, and the files' contents for a certificate naming it. */
    async function setUp(role: string): Promise<{ database: DatabaseConfig; contents: Record<TlsFile, string> }> {
        const db = await freshDatabase(server);
        const api = apiConfig({ authenticatorRole: role, roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
        const adminUrl = `${server.url(db)}?sslmode=verify-ca`;
        await converge({
            adminUrl,
            adminTls: { sslMode: "verify-ca", sslRootCert: server.tls!.ca.cert },
            desired: api,
            createdRoles: [],
            createdSchemas: [],
            passwords: { [role]: PASSWORD },
        });
        const client: KeyPair = issue(server.tls!.ca, role);
        const database: DatabaseConfig = {
            host: "localhost",
            port: server.port,
            name: db,
            sslMode: "verify-full",
            sslRootCert: server.tls!.ca.cert,
            sslCert: client.cert,
        };
        return { database, contents: { "root.crt": server.tls!.ca.cert, "client.crt": client.cert, "client.key": client.key } };
    }

    for (const role of ["authenticator", CERT_AND_PASSWORD_ROLE]) {
        it(`ECS: the init container's script writes the files from its secret env vars, and libpq logs in as ${role}`, async () => {
            const { database, contents } = await setUp(role);
            const tlsDirectory = path.join(work, "tls");
            fs.mkdirSync(tlsDirectory, { mode: 0o755 });
            const secretEnv = Object.fromEntries(Object.entries(contents).map(([file, content]) => [TLS_FILE_VARIABLES[file as TlsFile], content]));
            runScript(TLS_FILES_FROM_ENVIRONMENT_SCRIPT, { ...secretEnv, PGRST_TLS_DIRECTORY: tlsDirectory });

            const key = fs.statSync(path.join(tlsDirectory, "client.key"));
            assert.deepStrictEqual([key.uid, key.mode & 0o777], [POSTGREST_UID, 0o600]);
            assert.strictEqual(psqlAsPostgrest(databaseUri(database, role, PASSWORD, { tlsDirectory }), work), role);
        });
    }

    it("Cloud Run: the sidecar's script copies the root-owned 0400 secret files, and libpq logs in", async () => {
        const { database, contents } = await setUp("authenticator");
        const secrets = path.join(work, "secrets");
        const tlsDirectory = path.join(work, "tls");
        fs.mkdirSync(secrets, { mode: 0o755 });
        fs.mkdirSync(tlsDirectory, { mode: 0o777 });
        // The modes the service gives these volumes (gcp/service.ts): readable by the sidecar's root only.
        placeAsCloudRunDoes(secrets, contents, { certificates: 0o400, key: 0o400 });
        runScript(TLS_FILES_FROM_VOLUMES_SCRIPT, { PGRST_TLS_SECRETS: secrets, PGRST_TLS_DIRECTORY: tlsDirectory });
        assert.strictEqual(psqlAsPostgrest(databaseUri(database, "authenticator", PASSWORD, { tlsDirectory }), work), "authenticator");
    });

    // The same login with the files used where the cloud puts them: the script above is what makes it work.
    const without: { mode: number; says: RegExp }[] = [
        // Cloud Run's default mode, 0444: readable, but libpq refuses a key others can read.
        { mode: 0o444, says: /private key file .* has group or world access/ },
        // 0400: libpq would accept a root-owned key, but uid 1000 cannot read it.
        { mode: 0o400, says: /could not (open|load) private key file|Permission denied/ },
    ];
    for (const { mode, says } of without) {
        it(`fails without the script: the key as Cloud Run mounts it, root-owned ${mode.toString(8).padStart(4, "0")}`, async () => {
            const { database, contents } = await setUp("authenticator");
            // Certificates world-readable (Cloud Run's default 0444), so that only the key can be the problem.
            placeAsCloudRunDoes(work, contents, { certificates: 0o444, key: mode });
            // A directory per file, as Cloud Run mounts one volume per secret; the URI names the files in place.
            const uri = databaseUri(database, "authenticator", PASSWORD, { tlsDirectory: work }).replace(
                /(root\.crt|client\.crt|client\.key)/g,
                `$1%2F${TLS_SECRET_FILE_NAME}`,
            );
            assert.ok(uri.includes(`client.key%2F${TLS_SECRET_FILE_NAME}`));
            assert.throws(
                () => psqlAsPostgrest(uri, work),
                (error: { stderr?: string }) => says.test(String(error.stderr)),
            );
        });
    }
});
