/**
 * The created Cloud SQL database (components/gcp/database.ts) under mocks: a private IP through Private Service Access
 * on the network created beside it and no public IP, TLS required, backups, deletion protection from the argument, the
 * admin password only ever a secret, and the connection budget each tier implies.
 */
import * as assert from "assert";
import { CloudSqlDatabase, CloudSqlDatabaseArgs } from "../../components/gcp/database";
import { Network } from "../../components/gcp/network";
import { adminSecretProblem } from "../../components/config/admin-secret";
import { adminUrlFromSecret } from "../../components/model/admin-secret";
import { MOCK_PROJECT } from "../../testing/mocks/gcp";
import { ProgramRun, RegisteredResource, plainInputs, runUnderMocks, waitsFor } from "../../testing/harness";

const REGION = "europe-west1";

function build(args: Partial<CloudSqlDatabaseArgs> = {}): Promise<ProgramRun> {
    return runUnderMocks(() => {
        const network = new Network("postgrest", { network: { mode: "create", ipCidrRange: "10.20.0.0/26" }, region: REGION });
        const database = new CloudSqlDatabase("postgrest-db", {
            network: network.createdNetworkId!,
            region: REGION,
            databaseName: "startup",
            ...args,
        });
        return { connectionName: database.connectionName, privateIp: database.privateIp, adminSecretId: database.adminSecretId };
    });
}

const instanceOf = (run: ProgramRun): RegisteredResource => run.one("gcp:sql/databaseInstance:DatabaseInstance");
const NETWORK_SELF_LINK = `https://www.googleapis.com/compute/v1/projects/${MOCK_PROJECT}/global/networks/postgrest`;

describe("CloudSqlDatabase: a created PostgreSQL on GCP", () => {
    it("has a private IP through Private Service Access on the created network, and no public IP", async () => {
        const run = await build();
        const range = run.one("gcp:compute/globalAddress:GlobalAddress");
        assert.deepStrictEqual(
            [range.inputs.purpose, range.inputs.addressType, range.inputs.prefixLength, range.inputs.network],
            ["VPC_PEERING", "INTERNAL", 20, NETWORK_SELF_LINK],
        );
        const peering = run.one("gcp:servicenetworking/connection:Connection");
        assert.deepStrictEqual(
            [peering.inputs.network, peering.inputs.service, peering.inputs.reservedPeeringRanges],
            [NETWORK_SELF_LINK, "servicenetworking.googleapis.com", ["postgrest-db-private-range"]],
        );
        const ip = instanceOf(run).inputs.settings.ipConfiguration;
        assert.deepStrictEqual(
            [ip.ipv4Enabled, ip.privateNetwork, ip.allocatedIpRange, ip.authorizedNetworks],
            [false, NETWORK_SELF_LINK, "postgrest-db-private-range", undefined],
        );
        assert.ok(
            waitsFor(instanceOf(run), { type: peering.type, name: peering.name }),
            "the instance waits for the peering, or its private IP fails",
        );
        assert.deepStrictEqual(run.outputs, {
            connectionName: `${MOCK_PROJECT}:${REGION}:postgrest-db-instance`,
            privateIp: "10.88.0.3",
            adminSecretId: `projects/${MOCK_PROJECT}/secrets/postgrest-db-admin`,
        });
    });

    it("requires TLS, on the small default tier of the Enterprise edition, with backups and point-in-time recovery", async () => {
        const inputs = instanceOf(await build()).inputs;
        assert.strictEqual(inputs.settings.ipConfiguration.sslMode, "ENCRYPTED_ONLY");
        assert.deepStrictEqual([inputs.databaseVersion, inputs.settings.tier, inputs.settings.edition], ["POSTGRES_17", "db-g1-small", "ENTERPRISE"]);
        assert.deepStrictEqual(inputs.settings.backupConfiguration, {
            enabled: true,
            pointInTimeRecoveryEnabled: true,
            transactionLogRetentionDays: 7,
            backupRetentionSettings: { retainedBackups: 7, retentionUnit: "COUNT" },
        });
        assert.ok(inputs.settings.diskAutoresizeLimit > inputs.settings.diskSize);
    });

    it("suits dev by default (deletable, no final backup), and protects the instance in Pulumi and in Cloud SQL when asked", async () => {
        const dev = instanceOf(await build()).inputs;
        // The provider's own default is true: dev has to say false.
        assert.deepStrictEqual(
            [dev.deletionProtection, dev.settings.deletionProtectionEnabled, dev.settings.finalBackupConfig],
            [false, false, undefined],
        );
        const prod = instanceOf(await build({ deletionProtection: true, finalBackup: true })).inputs;
        assert.deepStrictEqual(
            [prod.deletionProtection, prod.settings.deletionProtectionEnabled, prod.settings.finalBackupConfig],
            [true, true, { enabled: true, retentionDays: 30 }],
        );
    });

    it("creates the database and the admin user, whose generated password is a secret wherever it goes", async () => {
        const run = await build({ adminUsername: "owner" });
        assert.strictEqual(run.one("gcp:sql/database:Database").inputs.name, "startup");
        const user = run.one("gcp:sql/user:User");
        assert.deepStrictEqual(JSON.parse(plainInputs(user)), { instance: "postgrest-db-instance", name: "owner", password: "[secret]" });
        const version = run.one("gcp:secretmanager/secretVersion:SecretVersion");
        assert.deepStrictEqual(JSON.parse(plainInputs(version)).secretData, "[secret]");
        assert.strictEqual(version.inputs.secret, `projects/${MOCK_PROJECT}/secrets/postgrest-db-admin`);
        const password = run.one("random:index/randomPassword:RandomPassword").inputs;
        assert.deepStrictEqual([password.length, password.special], [40, false]);
        for (const resource of run.resources)
            assert.ok(!/"(root)?password"\s*:\s*"(?!\[secret\])/i.test(plainInputs(resource)), `${resource.type} has a plain password`);
        assert.strictEqual(instanceOf(run).inputs.rootPassword, undefined);
    });

    it("keeps the admin credentials where database.adminSecret reads them: a secret id it accepts, JSON it turns into the admin URL", async () => {
        const run = await build({ adminUsername: "owner" });
        assert.strictEqual(adminSecretProblem(run.outputs.adminSecretId as string, "gcp"), undefined);
        // The mocks see a secret input as { [signature]: ..., value }: the text Secret Manager would hold.
        const text = run.one("gcp:secretmanager/secretVersion:SecretVersion").inputs.secretData.value as string;
        const url = new URL(
            adminUrlFromSecret(text, { secret: run.outputs.adminSecretId as string, host: "10.88.0.3", port: 5432, database: "startup" }),
        );
        assert.deepStrictEqual([url.username, url.password.length, url.host, url.pathname], ["owner", 40, "10.88.0.3:5432", "/startup"]);
    });

    it("refuses a tier Cloud SQL for PostgreSQL refuses, before registering any child", async () => {
        await assert.rejects(build({ tier: "db-n1-standard-1" }), /tier "db-n1-standard-1" is not a PostgreSQL tier/);
    });
});
