/**
 * The created RDS database (components/aws/database.ts) under mocks: private, encrypted, TLS enforced, the managed
 * master password in no input, backups, dev defaults for deletion, and the security group chain with the in-network
 * function in a created network: the database's group admits the function's group, and nothing else.
 */
import * as assert from "assert";
import { RdsDatabase, RdsDatabaseArgs } from "../../components/aws/database";
import { rdsMaxConnections } from "../../components/aws/config/database";
import { ProgramRun, RegisteredResource, plainInputs } from "../../testing/harness";
import { CREATED_NETWORK, runCreatedDatabase } from "../../testing/created-database";

function build(args: Partial<RdsDatabaseArgs> = {}, withFunction = false): Promise<ProgramRun> {
    return runCreatedDatabase(
        (network) => new RdsDatabase("postgrest-db", { ...network, databaseName: "startup", ...args }),
        (database) => ({ address: database.address, secretArn: database.masterUserSecretArn }),
        withFunction,
    );
}

const instanceOf = (run: ProgramRun): RegisteredResource => run.one("aws:rds/instance:Instance");

describe("RdsDatabase: a created PostgreSQL on AWS", () => {
    it("is private, encrypted, on gp3 with storage autoscaling, with backups", async () => {
        const run = await build();
        const inputs = instanceOf(run).inputs;
        assert.deepStrictEqual(
            [inputs.engine, inputs.instanceClass, inputs.publiclyAccessible, inputs.storageEncrypted, inputs.storageType],
            ["postgres", "db.t4g.micro", false, true, "gp3"],
        );
        assert.ok(inputs.maxAllocatedStorage > inputs.allocatedStorage, "storage autoscaling needs a ceiling above the allocation");
        assert.strictEqual(inputs.backupRetentionPeriod, 7);
        assert.deepStrictEqual(run.one("aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, CREATED_NETWORK.subnetIds);
        assert.strictEqual(inputs.dbSubnetGroupName, "postgrest-db-subnets");
    });

    it("enforces TLS: rds.force_ssl = 1 in its own parameter group of the engine's family", async () => {
        const run = await build({ postgresMajor: 16 });
        const group = run.one("aws:rds/parameterGroup:ParameterGroup").inputs;
        assert.strictEqual(group.family, "postgres16");
        assert.deepStrictEqual(group.parameters, [{ name: "rds.force_ssl", value: "1" }]);
        assert.strictEqual(instanceOf(run).inputs.parameterGroupName, "postgrest-db-parameters");
        assert.strictEqual(instanceOf(run).inputs.engineVersion, "16");
    });

    it("lets RDS manage the master password in Secrets Manager: no password input anywhere, the secret's ARN as output", async () => {
        const run = await build();
        const inputs = instanceOf(run).inputs;
        assert.strictEqual(inputs.manageMasterUserPassword, true);
        assert.strictEqual(inputs.password, undefined);
        for (const resource of run.resources) assert.ok(!/"password"/i.test(plainInputs(resource)), `${resource.type} has a password input`);
        assert.match(run.outputs.secretArn as string, /^arn:aws:secretsmanager:.*:secret:rds!db-/);
    });

    it("suits dev by default (no deletion protection, no final snapshot) and production when asked", async () => {
        const dev = instanceOf(await build()).inputs;
        assert.deepStrictEqual([dev.deletionProtection, dev.skipFinalSnapshot, dev.finalSnapshotIdentifier], [false, true, undefined]);
        const prodResource = instanceOf(await build({ deletionProtection: true, finalSnapshot: true }));
        const prod = prodResource.inputs;
        assert.deepStrictEqual([prod.deletionProtection, prod.skipFinalSnapshot], [true, false]);
        // Unique to this database, so a second stack's destroy does not collide with the snapshot the first one left.
        assert.match(prod.finalSnapshotIdentifier as string, /^postgrest-db-final-[0-9a-f]{8}$/);
        // Pulumi's protect mirrors it: `pulumi destroy` refuses at its preview instead of failing half-way.
        assert.deepStrictEqual([instanceOf(await build()).options?.protect, prodResource.options?.protect], [false, true]);
    });

    it("the security group chain in a created network: the database admits the in-network function's group, and nothing else", async () => {
        const run = await build({}, true);
        const databaseGroup = run.byType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "postgrest-db-sg")!;
        assert.deepStrictEqual([databaseGroup.inputs.vpcId, databaseGroup.inputs.ingress], [CREATED_NETWORK.vpcId, undefined]);
        assert.deepStrictEqual(instanceOf(run).inputs.vpcSecurityGroupIds, ["sg-postgrest-db-sg"]);
        const ingress = run.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
        assert.deepStrictEqual(
            ingress.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.cidrIpv4]),
            [["sg-postgrest-db-sg", "sg-postgrest-admin-sg", 5432, undefined]],
        );
    });

    it("derives the connection budget from the instance class (RDS's LEAST(memory/9531392, 5000), under the real memory)", () => {
        assert.deepStrictEqual(["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.r7g.large"].map(rdsMaxConnections), [92, 188, 380, 1529]);
        assert.throws(() => rdsMaxConnections("db.x2g.16xlarge"), /no memory known for db\.x2g\.16xlarge: use one of db\.t4g\.micro/);
        // Reported defaults of same-memory classes stay above the budget: db.t2.small (2 GiB) shows 198, db.t2.medium (4 GiB) 413.
        assert.ok(rdsMaxConnections("db.t4g.small") < 198 && rdsMaxConnections("db.t4g.medium") < 413);
    });
});
