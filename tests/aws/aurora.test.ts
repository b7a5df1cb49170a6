/**
 * The created Aurora Serverless v2 cluster (components/aws/aurora.ts) under mocks: 0 ACUs so it pauses, private,
 * encrypted, TLS enforced in the cluster parameter group, the managed master password in no input, the security group
 * chain with the in-network function, and a version that cannot pause refused. The pure rules: tests/aws/config/aurora.test.ts.
 */
import * as assert from "assert";
import { AuroraDatabase, AuroraDatabaseArgs } from "../../components/aws/aurora";
import { adminSecretProblem } from "../../components/config/admin-secret";
import { ProgramRun, RegisteredResource, plainInputs } from "../../testing/harness";
import { CREATED_NETWORK, runCreatedDatabase } from "../../testing/created-database";

function build(args: Partial<AuroraDatabaseArgs> = {}, withFunction = false): Promise<ProgramRun> {
    return runCreatedDatabase(
        (network) => new AuroraDatabase("postgrest-db", { ...network, databaseName: "startup", ...args }),
        (database) => ({ endpoint: database.endpoint, secretArn: database.masterUserSecretArn }),
        withFunction,
    );
}

const clusterOf = (run: ProgramRun): RegisteredResource => run.one("aws:rds/cluster:Cluster");

describe("AuroraDatabase: Aurora Serverless v2 PostgreSQL that pauses", () => {
    it("scales to 0 ACUs and pauses after 300 s idle, on a version that supports it, with one serverless writer", async () => {
        const run = await build();
        const inputs = clusterOf(run).inputs;
        assert.deepStrictEqual(
            [inputs.engine, inputs.engineMode, inputs.engineVersion, inputs.serverlessv2ScalingConfiguration],
            ["aurora-postgresql", "provisioned", "16.6", { minCapacity: 0, maxCapacity: 2, secondsUntilAutoPause: 300 }],
        );
        const writer = run.one("aws:rds/clusterInstance:ClusterInstance").inputs;
        assert.deepStrictEqual(
            [writer.clusterIdentifier, writer.instanceClass, writer.engine, writer.engineVersion],
            ["postgrest-db-cluster-id", "db.serverless", "aurora-postgresql", "16.6"],
        );
    });

    it("without auto-pause, sends no pause delay", async () => {
        const inputs = clusterOf(await build({ minCapacity: 0.5 })).inputs;
        assert.deepStrictEqual(inputs.serverlessv2ScalingConfiguration, { minCapacity: 0.5, maxCapacity: 2 });
    });

    it("is private and encrypted, with backups, in the given subnets", async () => {
        const run = await build();
        const inputs = clusterOf(run).inputs;
        assert.deepStrictEqual([inputs.storageEncrypted, inputs.backupRetentionPeriod, inputs.dbSubnetGroupName], [true, 7, "postgrest-db-subnets"]);
        assert.strictEqual(run.one("aws:rds/clusterInstance:ClusterInstance").inputs.publiclyAccessible, false);
        assert.deepStrictEqual(run.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, CREATED_NETWORK.subnetIds);
    });

    it("enforces TLS: rds.force_ssl = 1 in a cluster parameter group of the version's family", async () => {
        const run = await build({ engineVersion: "15.7" });
        const group = run.one("aws:rds/clusterParameterGroup:ClusterParameterGroup").inputs;
        assert.deepStrictEqual([group.family, group.parameters], ["aurora-postgresql15", [{ name: "rds.force_ssl", value: "1" }]]);
        assert.strictEqual(clusterOf(run).inputs.dbClusterParameterGroupName, "postgrest-db-parameters");
    });

    it("lets Aurora manage the master password in Secrets Manager: no password input anywhere, the secret's ARN as output", async () => {
        const run = await build();
        const inputs = clusterOf(run).inputs;
        assert.deepStrictEqual([inputs.manageMasterUserPassword, inputs.masterPassword, inputs.masterPasswordWo], [true, undefined, undefined]);
        for (const resource of run.resources) assert.ok(!/password"\s*:\s*"/i.test(plainInputs(resource)), `${resource.type} has a password input`);
        assert.match(run.outputs.secretArn as string, /^arn:aws:secretsmanager:.*:secret:rds!cluster-/);
        assert.strictEqual(adminSecretProblem(run.outputs.secretArn as string, "aws"), undefined, "database.adminSecret accepts it");
    });

    it("suits dev by default (no deletion protection, no final snapshot) and production when asked", async () => {
        const dev = clusterOf(await build()).inputs;
        assert.deepStrictEqual([dev.deletionProtection, dev.skipFinalSnapshot, dev.finalSnapshotIdentifier], [false, true, undefined]);
        const prodResource = clusterOf(await build({ deletionProtection: true, finalSnapshot: true }));
        const prod = prodResource.inputs;
        assert.deepStrictEqual([prod.deletionProtection, prod.skipFinalSnapshot], [true, false]);
        // Unique to this database, so a second stack's destroy does not collide with the snapshot the first one left.
        assert.match(prod.finalSnapshotIdentifier as string, /^postgrest-db-final-[0-9a-f]{8}$/);
        // Pulumi's protect mirrors it: `pulumi destroy` refuses at its preview instead of failing half-way.
        assert.deepStrictEqual([clusterOf(await build()).options?.protect, prodResource.options?.protect], [false, true]);
    });

    it("the security group chain: the cluster admits the in-network function's group, and nothing else", async () => {
        const run = await build({}, true);
        const group = run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "postgrest-db-sg")!;
        assert.deepStrictEqual([group.inputs.vpcId, group.inputs.ingress], [CREATED_NETWORK.vpcId, undefined]);
        assert.deepStrictEqual(clusterOf(run).inputs.vpcSecurityGroupIds, ["sg-postgrest-db-sg"]);
        const ingress = run.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
        assert.deepStrictEqual(
            ingress.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.cidrIpv4]),
            [["sg-postgrest-db-sg", "sg-postgrest-admin-sg", 5432, undefined]],
        );
    });

    it("refuses 0 ACUs on a version that cannot pause, before registering any child", async () => {
        await assert.rejects(
            build({ engineVersion: "16.2" }),
            /engineVersion 16\.2 cannot scale to 0 ACUs: use 13\.15, 14\.12, 15\.7, 16\.3, 17\.0 or later/,
        );
    });
});
