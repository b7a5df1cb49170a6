/**
 * The database's CA, client certificate and key on ECS: three Secrets Manager
 * secrets, written into a shared task volume by a non-essential container
 * that runs the script tests/postgrest/tls-files.test.ts proves with libpq,
 * before PostgREST (dependsOn SUCCESS). The key is never in a plain input.
 */
import * as assert from "assert";
import { TLS_FILES_CONTAINER_NAME, TLS_VOLUME_NAME } from "../../components/aws/service";
import { TLS_DIRECTORY, TLS_FILES_FROM_ENVIRONMENT_SCRIPT, TLS_FILES_IMAGE } from "../../components/postgrest/tls-files";
import { issue, makeCa } from "../../testing/certificates";
import { baseConfig } from "../../testing/harness";
import { AwsRun, runAws } from "../../testing/run-component";

const { specialSigKey: SECRET_SIGNATURE_KEY } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string };

const ca = makeCa("AWS test CA", 30);
const client = issue(ca, "authenticator", { days: 30 });
const database = { host: "db.example.com", name: "startup", sslMode: "verify-full", sslRootCert: ca.cert, sslCert: client.cert };

function containers(run: AwsRun): Record<string, any>[] {
    return JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
}

describe("aws: database TLS files", function () {
    let run: AwsRun;
    before(async () => {
        run = await runAws({ ...baseConfig("aws"), database, databaseClientKey: client.key });
    });

    it("stores the CA, the certificate and the key as three more secrets, as secret inputs", () => {
        const stored = run.byType("aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.inputs.secretString);
        for (const value of stored) assert.ok(value[SECRET_SIGNATURE_KEY], "a secret version's value is not a secret input");
        const values = stored.map((v) => v.value);
        for (const pem of [ca.cert, client.cert, client.key]) assert.ok(values.includes(pem));
        assert.strictEqual(run.outputs.secretIds.length, 5);
    });

    it("runs the proven script in a pinned shell image, as root, before PostgREST, and only reads the files' secrets", () => {
        const [init, postgrest] = containers(run);
        assert.deepStrictEqual(
            { name: init.name, image: init.image, essential: init.essential, user: init.user, entryPoint: init.entryPoint, command: init.command },
            {
                name: TLS_FILES_CONTAINER_NAME,
                image: TLS_FILES_IMAGE,
                essential: false,
                user: "0",
                entryPoint: ["sh", "-c"],
                command: [TLS_FILES_FROM_ENVIRONMENT_SCRIPT],
            },
        );
        assert.match(TLS_FILES_IMAGE, /:\d+\.\d+\.\d+$/);
        const tlsArns = run.outputs.secretIds.slice(2);
        assert.deepStrictEqual(
            init.secrets.map((s: { name: string; valueFrom: string }) => [s.name, s.valueFrom]),
            [
                ["PGRST_TLS_ROOT_CERT", tlsArns[0]],
                ["PGRST_TLS_CLIENT_CERT", tlsArns[1]],
                ["PGRST_TLS_CLIENT_KEY", tlsArns[2]],
            ],
        );
        assert.deepStrictEqual(init.environment, [{ name: "PGRST_TLS_DIRECTORY", value: TLS_DIRECTORY }]);
        assert.deepStrictEqual(init.mountPoints, [{ sourceVolume: TLS_VOLUME_NAME, containerPath: TLS_DIRECTORY, readOnly: false }]);

        assert.deepStrictEqual(postgrest.dependsOn, [{ containerName: TLS_FILES_CONTAINER_NAME, condition: "SUCCESS" }]);
        assert.deepStrictEqual(postgrest.mountPoints, [{ sourceVolume: TLS_VOLUME_NAME, containerPath: TLS_DIRECTORY, readOnly: true }]);
        assert.deepStrictEqual(
            postgrest.secrets.map((s: { name: string }) => s.name),
            ["PGRST_DB_URI", "PGRST_JWT_SECRET"],
        );
        assert.deepStrictEqual(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.volumes, [{ name: TLS_VOLUME_NAME }]);
    });

    it("lets the execution role read the files' secrets too, and nothing else", () => {
        const [statement] = JSON.parse(run.one("aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
        assert.deepStrictEqual([...statement.Resource].sort(), [...run.outputs.secretIds].sort());
    });

    it("names the files in PGRST_DB_URI", () => {
        const uri = run
            .byType("aws:secretsmanager/secretVersion:SecretVersion")
            .map((v) => v.inputs.secretString.value)
            .find((v: string) => v.startsWith("postgresql://"));
        const params = new URL(uri).searchParams;
        assert.deepStrictEqual(
            [params.get("sslmode"), params.get("sslrootcert"), params.get("sslcert"), params.get("sslkey")],
            ["verify-full", `${TLS_DIRECTORY}/root.crt`, `${TLS_DIRECTORY}/client.crt`, `${TLS_DIRECTORY}/client.key`],
        );
    });

    it("keeps the key out of every input but its secret version", () => {
        const keyBody = client.key.split("\n")[1];
        for (const resource of run.resources) {
            if (resource.type === "aws:secretsmanager/secretVersion:SecretVersion") continue;
            assert.ok(!JSON.stringify(resource.inputs).includes(keyBody), `${resource.type} ${resource.name} holds the key`);
        }
    });

    it("writes only the CA when there is no client certificate", async () => {
        const caOnly = await runAws({ ...baseConfig("aws"), database: { ...database, sslCert: undefined } });
        const [init] = containers(caOnly);
        assert.deepStrictEqual(
            init.secrets.map((s: { name: string }) => s.name),
            ["PGRST_TLS_ROOT_CERT"],
        );
    });
});
