/**
 * The database's CA, client certificate and key on Cloud Run: three Secret
 * Manager secrets mounted root-owned 0400 into a sidecar that runs the copy
 * script tests/postgrest/tls-files.test.ts proves with libpq into an in-memory
 * volume, and PostgREST waits for the sidecar's startup probe. The whole
 * program, under mocks.
 */
import * as assert from "assert";
import {
    TLS_SECRET_FILE_MODE,
    TLS_SIDECAR_NAME,
    TLS_SIDECAR_READY_PORT,
    TLS_SIDECAR_SCRIPT,
    TLS_VOLUME_NAME,
    cpuLimit,
    secretWiring,
} from "../../components/gcp/service";
import { TLS_DIRECTORY, TLS_FILES_FROM_VOLUMES_SCRIPT, TLS_FILES_IMAGE, TLS_SECRET_VOLUMES_DIRECTORY } from "../../components/postgrest/tls-files";
import { issue, makeCa } from "../../testing/certificates";
import { ProgramRun, runProgram } from "../../testing/harness";
import { gcpStack } from "../../testing/stack-configs";
import { TYPES } from "../../testing/gcp-fixtures";

const ca = makeCa("GCP test CA", 30);
const client = issue(ca, "authenticator", { days: 30 });
const database = { host: "10.1.2.3", name: "startup", sslMode: "verify-ca", sslRootCert: ca.cert, sslCert: client.cert };
const SECRET_KEYS = ["databaseAdminUrl", "jwtSecret", "databaseClientKey"];

describe("gcp: database TLS files", function () {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram({ config: gcpStack({}, { database, databaseClientKey: client.key }), secretKeys: SECRET_KEYS });
    });

    const template = () => run.one(TYPES.service).inputs.template;

    it("stores the three files as secrets the service account alone may read", () => {
        // Under mocks a secret input arrives wrapped, its value in `value`.
        const values = run.byType(TYPES.secretVersion).map((v) => v.inputs.secretData.value as string);
        for (const pem of [ca.cert, client.cert, client.key]) assert.ok(values.includes(pem));
        const params = new URL(values.find((v) => v.startsWith("postgresql://"))!).searchParams;
        assert.deepStrictEqual(
            [params.get("sslmode"), params.get("sslrootcert"), params.get("sslcert"), params.get("sslkey")],
            ["verify-ca", `${TLS_DIRECTORY}/root.crt`, `${TLS_DIRECTORY}/client.crt`, `${TLS_DIRECTORY}/client.key`],
        );
        assert.strictEqual(run.byType(TYPES.secret).length, 5);
        assert.strictEqual(run.byType(TYPES.secretIam).length, 5);
        assert.strictEqual((run.outputs.secretIds as string[]).length, 5);
    });

    it("mounts each file's secret root-owned 0400 into the sidecar only, which runs the proven script and then listens for its probe", () => {
        const [postgrest, sidecar] = template().containers;
        assert.strictEqual(TLS_SIDECAR_SCRIPT.startsWith(TLS_FILES_FROM_VOLUMES_SCRIPT), true);
        assert.deepStrictEqual(
            {
                name: sidecar.name,
                image: sidecar.image,
                commands: sidecar.commands,
                args: sidecar.args,
                probe: sidecar.startupProbe.tcpSocket.port,
                ports: sidecar.ports,
            },
            {
                name: TLS_SIDECAR_NAME,
                image: TLS_FILES_IMAGE,
                commands: ["sh", "-c"],
                args: [TLS_SIDECAR_SCRIPT],
                probe: TLS_SIDECAR_READY_PORT,
                ports: undefined,
            },
        );
        assert.deepStrictEqual(
            sidecar.volumeMounts.map((m: { mountPath: string }) => m.mountPath),
            [
                `${TLS_SECRET_VOLUMES_DIRECTORY}/root.crt`,
                `${TLS_SECRET_VOLUMES_DIRECTORY}/client.crt`,
                `${TLS_SECRET_VOLUMES_DIRECTORY}/client.key`,
                TLS_DIRECTORY,
            ],
        );
        const secretVolumes = template().volumes.filter((v: { name: string }) => v.name.startsWith("tls-"));
        assert.strictEqual(secretVolumes.length, 3);
        for (const volume of secretVolumes) {
            assert.strictEqual(volume.secret.defaultMode, TLS_SECRET_FILE_MODE);
            assert.deepStrictEqual(
                volume.secret.items.map((i: { mode: number }) => i.mode),
                [256],
            );
        }
        assert.deepStrictEqual(template().volumes.find((v: { name: string }) => v.name === TLS_VOLUME_NAME).emptyDir.medium, "MEMORY");

        assert.deepStrictEqual(postgrest.dependsOns, [TLS_SIDECAR_NAME]);
        const postgrestMounts = postgrest.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]);
        assert.ok(postgrestMounts.some(([name, mountPath]: string[]) => name === TLS_VOLUME_NAME && mountPath === TLS_DIRECTORY));
        assert.ok(!postgrestMounts.some(([name]: string[]) => name.startsWith("tls-")), "PostgREST mounts a secret file volume itself");
    });

    it("keeps the key out of every input but its secret version", () => {
        const keyBody = client.key.split("\n")[1];
        for (const resource of run.resources) {
            if (resource.type === TYPES.secretVersion) continue;
            assert.ok(!JSON.stringify(resource.inputs).includes(keyBody), `${resource.type} ${resource.name} holds the key`);
        }
    });

    it("has no sidecar through the Cloud SQL socket, where PGRST_DB_URI says sslmode=disable", async () => {
        const socket = await runProgram({
            config: gcpStack({ cloudSqlInstance: "proj-1:us-central1:db" }, { database: { ...database, sslCert: undefined } }),
            secretKeys: SECRET_KEYS,
        });
        assert.strictEqual(socket.one(TYPES.service).inputs.template.containers.length, 1);
        assert.strictEqual(socket.byType(TYPES.secret).length, 2);
    });
});

describe("gcp: the Cloud Run service's pure parts", () => {
    it("wires secrets as @/path files or as secretKeyRefs, never as values", () => {
        const refs = { PGRST_DB_URI: { secret: "db-uri", version: "3" }, PGRST_JWT_SECRET: { secret: "jwt", version: "7" } };
        const files = secretWiring("files", refs);
        assert.deepStrictEqual(files.envs, [
            { name: "PGRST_DB_URI", value: "@/etc/postgrest/db-uri/value" },
            { name: "PGRST_JWT_SECRET", value: "@/etc/postgrest/jwt-secret/value" },
        ]);
        assert.deepStrictEqual(
            files.volumes.map((v) => v.secret),
            [
                { secret: "db-uri", defaultMode: 0o444, items: [{ path: "value", version: "3" }] },
                { secret: "jwt", defaultMode: 0o444, items: [{ path: "value", version: "7" }] },
            ],
        );
        // Every @/path names the file its volume exposes.
        for (const env of files.envs) {
            const mount = files.volumeMounts.find((m) => String(env.value).startsWith(`@${m.mountPath}/`))!;
            const volume = files.volumes.find((v) => v.name === mount.name)!;
            assert.strictEqual(env.value, `@${mount.mountPath}/${(volume.secret as any).items[0].path}`);
        }
        const env = secretWiring("env", refs);
        assert.deepStrictEqual(env.envs, [
            { name: "PGRST_DB_URI", valueSource: { secretKeyRef: { secret: "db-uri", version: "3" } } },
            { name: "PGRST_JWT_SECRET", valueSource: { secretKeyRef: { secret: "jwt", version: "7" } } },
        ]);
        assert.deepStrictEqual([env.volumes, env.volumeMounts], [[], []]);
    });

    it("gives Cloud Run cpu in millicores", () => {
        assert.deepStrictEqual([0.08, 0.5, 1, 2, 8].map(cpuLimit), ["80m", "500m", "1000m", "2000m", "8000m"]);
    });
});
