/**
 * database.create on AWS, the whole program (index.ts) under mocks: RDS and Aurora Serverless v2 made private,
 * encrypted and TLS-only in the stack's network, their master password managed by AWS and in no input, a security-group
 * chain that admits only the tasks and the in-network function, the roles and grants read from the created secret after
 * the database answers, and PostgREST pointed at the created host once they are applied.
 */
import * as assert from "assert";
import { ProgramRun, ROLES_AND_GRANTS, RegisteredResource, plainInputs, runProgram, waitsFor, waitsForTransitively } from "../../testing/harness";
import { mockPassword } from "../../testing/mocks/random";
import { AWS_EXISTING_NETWORK, awsCreatedDatabaseConfig } from "../../testing/stack-configs";

const TYPES = {
    instance: "aws:rds/instance:Instance",
    cluster: "aws:rds/cluster:Cluster",
    writer: "aws:rds/clusterInstance:ClusterInstance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    group: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    vpc: "awsx:ec2:Vpc",
    lambda: "aws:lambda/function:Function",
    ecsService: "aws:ecs/service:Service",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

/** The generated authenticator password (testing/mocks/random.ts): secret, so in no plain input. */
const AUTHENTICATOR_PASSWORD = mockPassword("postgrest-authenticator-password", 32);

function named(run: ProgramRun, type: string, name: string): RegisteredResource {
    const found = run.byType(type).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}: ${run.byType(type).map((r) => r.name)}`);
    return found;
}

/** What each created engine registers: the resource that must answer before roles and grants, and where its settings live. */
interface Engine {
    /** The instance the program connects to: the RDS instance, or Aurora's writer. */
    answering: RegisteredResource;
    /** The resource holding storage, password and parameter group: the RDS instance, or the Aurora cluster. */
    server: RegisteredResource;
    parameterGroup: RegisteredResource;
    parameterGroupName: string;
    host: string;
    secretArn: string;
}

function rdsEngine(run: ProgramRun): Engine {
    const instance = run.one(TYPES.instance);
    return {
        answering: instance,
        server: instance,
        parameterGroup: run.one(TYPES.parameterGroup),
        parameterGroupName: instance.inputs.parameterGroupName,
        host: "postgrest-database-instance.abc123xyz.us-east-1.rds.amazonaws.com",
        secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-postgrest-database-instance-AbCdEf",
    };
}

function auroraEngine(run: ProgramRun): Engine {
    const cluster = run.one(TYPES.cluster);
    return {
        answering: run.one(TYPES.writer),
        server: cluster,
        parameterGroup: run.one(TYPES.clusterParameterGroup),
        parameterGroupName: cluster.inputs.dbClusterParameterGroupName,
        host: "postgrest-database-cluster.cluster-abc123xyz.us-east-1.rds.amazonaws.com",
        secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-postgrest-database-cluster-AbCdEf",
    };
}

const variants: {
    name: string;
    config: Record<string, unknown>;
    engine: (run: ProgramRun) => Engine;
    databaseSubnets: string[];
    /** The VPC of the user's network; undefined: the VPC the stack creates. */
    vpcId?: string;
}[] = [
    {
        name: "RDS in a created VPC without NAT: isolated database subnets",
        config: awsCreatedDatabaseConfig(),
        engine: rdsEngine,
        databaseSubnets: ["subnet-isolated1", "subnet-isolated2"],
    },
    {
        name: "Aurora Serverless v2 in a created VPC without NAT: isolated database subnets",
        config: awsCreatedDatabaseConfig({ engine: "aurora-serverless" }),
        engine: auroraEngine,
        databaseSubnets: ["subnet-isolated1", "subnet-isolated2"],
    },
    {
        name: "RDS in a created VPC behind a NAT gateway: the private task subnets",
        config: awsCreatedDatabaseConfig({}, { network: { nat: "gateway" } }),
        engine: rdsEngine,
        databaseSubnets: ["subnet-private1", "subnet-private2"],
    },
    {
        name: "RDS in the user's VPC (network mode existing): the task subnets",
        config: awsCreatedDatabaseConfig({}, { network: AWS_EXISTING_NETWORK }),
        engine: rdsEngine,
        databaseSubnets: AWS_EXISTING_NETWORK.taskSubnetIds,
        vpcId: AWS_EXISTING_NETWORK.vpcId,
    },
];

describe("aws: database.create, the whole program", function () {
    this.timeout(120_000);

    for (const variant of variants)
        describe(variant.name, () => {
            let run: ProgramRun;
            let engine: Engine;
            let databaseGroup: RegisteredResource;
            let taskGroup: RegisteredResource;
            let functionGroup: RegisteredResource;
            before(async () => {
                run = await runProgram({ config: variant.config, secretKeys: ["jwtSecret"] });
                engine = variant.engine(run);
                databaseGroup = named(run, TYPES.group, "postgrest-database-sg");
                taskGroup = named(run, TYPES.group, "postgrest-sg-tasks");
                functionGroup = named(run, TYPES.group, "postgrest-admin-sg");
            });

            it("is private, encrypted at rest, and refuses connections without TLS (rds.force_ssl = 1)", () => {
                assert.strictEqual(engine.answering.inputs.publiclyAccessible, false);
                assert.strictEqual(engine.server.inputs.storageEncrypted, true);
                assert.deepStrictEqual(engine.parameterGroup.inputs.parameters, [{ name: "rds.force_ssl", value: "1" }]);
                assert.strictEqual(engine.parameterGroupName, engine.parameterGroup.name);
                assert.deepStrictEqual(engine.server.inputs.vpcSecurityGroupIds, [databaseGroup.id]);
            });

            it("has its master password generated and kept by AWS in Secrets Manager: no password input, no admin URL", () => {
                assert.strictEqual(engine.server.inputs.manageMasterUserPassword, true);
                for (const resource of run.resources) {
                    for (const field of ["password", "masterPassword", "masterUserPassword"])
                        assert.strictEqual(resource.inputs[field], undefined, `${resource.type} ${resource.name} has a ${field}`);
                    assert.ok(
                        !plainInputs(resource).includes(AUTHENTICATOR_PASSWORD),
                        `${resource.type} ${resource.name} holds the authenticator password`,
                    );
                    // The provider's code (__provider) holds example URLs; the inputs beside it hold none.
                    const { __provider: _code, ...inputs } = resource.inputs;
                    assert.ok(
                        !/postgres(ql)?:\/\/[^"]*:[^"@]*@/.test(plainInputs({ ...resource, inputs })),
                        `${resource.type} ${resource.name} holds a connection URL with a password`,
                    );
                }
            });

            it("lives in the database subnets of the stack's VPC", () => {
                const vpcId = variant.vpcId ?? "vpc-postgrest-network-vpc";
                assert.deepStrictEqual(run.one(TYPES.subnetGroup).inputs.subnetIds, variant.databaseSubnets);
                assert.strictEqual(databaseGroup.inputs.vpcId, vpcId);
                assert.strictEqual(taskGroup.inputs.vpcId, vpcId);
            });

            it("admits exactly the tasks and the in-network function, on the database port", () => {
                const admitted = run.byType(TYPES.ingress).filter((rule) => rule.inputs.securityGroupId === databaseGroup.id);
                assert.deepStrictEqual(
                    admitted
                        .map((rule) => [
                            rule.inputs.referencedSecurityGroupId,
                            rule.inputs.cidrIpv4,
                            rule.inputs.ipProtocol,
                            rule.inputs.fromPort,
                            rule.inputs.toPort,
                        ])
                        .sort(),
                    [
                        [functionGroup.id, undefined, "tcp", 5432, 5432],
                        [taskGroup.id, undefined, "tcp", 5432, 5432],
                    ].sort(),
                );
                assert.deepStrictEqual(
                    run.byType(TYPES.egress).filter((rule) => rule.inputs.securityGroupId === databaseGroup.id),
                    [],
                    "the database opens no connection",
                );
                assert.deepStrictEqual(
                    run.byType(TYPES.ingress).filter((rule) => rule.inputs.referencedSecurityGroupId === databaseGroup.id),
                    [],
                    "nothing admits the database",
                );
            });

            it("the tasks and the function reach the database's group only, on its port; the tasks also HTTPS out", () => {
                const egressOf = (group: RegisteredResource) =>
                    run
                        .byType(TYPES.egress)
                        .filter((rule) => rule.inputs.securityGroupId === group.id)
                        .map((rule) => [rule.inputs.referencedSecurityGroupId ?? rule.inputs.cidrIpv4, rule.inputs.fromPort, rule.inputs.toPort])
                        .sort();
                assert.deepStrictEqual(
                    egressOf(taskGroup),
                    [
                        ["0.0.0.0/0", 443, 443],
                        [databaseGroup.id, 5432, 5432],
                    ].sort(),
                );
                assert.deepStrictEqual(egressOf(functionGroup), [[databaseGroup.id, 5432, 5432]]);
            });

            it("runs the in-network function in the database's subnets and VPC, in its own group", () => {
                const fn = run.one(TYPES.lambda);
                assert.deepStrictEqual(fn.inputs.vpcConfig, { subnetIds: variant.databaseSubnets, securityGroupIds: [functionGroup.id] });
                assert.strictEqual(functionGroup.inputs.vpcId, databaseGroup.inputs.vpcId);
            });

            it("applies roles and grants through the function, with the created secret and host, and no admin URL", () => {
                const access = run.one(ROLES_AND_GRANTS.type);
                assert.deepStrictEqual(access.inputs.adminSecret, { secret: engine.secretArn, host: engine.host, port: 5432, database: "startup" });
                assert.ok(!("adminUrl" in access.inputs), `adminUrl: ${JSON.stringify(access.inputs.adminUrl)}`);
                assert.deepStrictEqual(access.inputs.adminTransport, {
                    kind: "lambda",
                    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:postgrest-admin-function",
                });
            });

            it("applies roles and grants once the database answers, and starts PostgREST once they are applied", () => {
                const access = run.one(ROLES_AND_GRANTS.type);
                assert.ok(waitsForTransitively(run, access, engine.answering), `roles and grants wait only for ${access.dependencies?.join(", ")}`);
                for (const rule of ["postgrest-admin-database-from-function", "postgrest-admin-to-database"])
                    assert.ok(waitsForTransitively(run, access, { type: rule.includes("from") ? TYPES.ingress : TYPES.egress, name: rule }), rule);
                const service = run.one(TYPES.ecsService);
                assert.ok(waitsFor(service, ROLES_AND_GRANTS), `the service waits only for ${service.dependencies?.join(", ")}`);
            });

            it("points PGRST_DB_URI, a secret, at the created host with TLS", () => {
                const uri = run.byType(TYPES.secretVersion).find((version) => version.name === "postgrest-secrets-db-uri")!;
                const value: string = uri.inputs.secretString.value;
                assert.ok(value, "PGRST_DB_URI is stored as a secret");
                const url = new URL(value);
                assert.deepStrictEqual(
                    [url.username, decodeURIComponent(url.password), url.hostname, url.port, url.pathname, url.searchParams.get("sslmode")],
                    ["authenticator", AUTHENTICATOR_PASSWORD, engine.host, "5432", "/startup", "require"],
                );
            });
        });

    it("tells PostgREST to let an Aurora at 0 ACUs pause: no LISTEN, idle pool connections closed, a wait long enough to resume", async () => {
        const environmentOf = async (create: Record<string, unknown>) => {
            const run = await runProgram({ config: awsCreatedDatabaseConfig(create), secretKeys: ["jwtSecret"] });
            const [container] = JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
            const environment = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
            return ["PGRST_DB_CHANNEL_ENABLED", "PGRST_DB_POOL_MAX_IDLETIME", "PGRST_DB_POOL_ACQUISITION_TIMEOUT"].map((name) => environment[name]);
        };
        assert.deepStrictEqual(await environmentOf({ engine: "aurora-serverless" }), ["false", "30", "40"]);
        assert.deepStrictEqual(await environmentOf({ engine: "aurora-serverless", minCapacity: 0.5 }), ["true", undefined, undefined]);
    });

    it("without NAT, the created VPC gets isolated database subnets beside the public ones; behind a NAT gateway, none", async () => {
        const specs = async (config: Record<string, unknown>) =>
            (await runProgram({ config, secretKeys: ["jwtSecret"] })).one(TYPES.vpc).inputs.subnetSpecs.map((spec: { type: string }) => spec.type);
        assert.deepStrictEqual(await specs(awsCreatedDatabaseConfig()), ["Public", "Isolated"]);
        assert.deepStrictEqual(await specs(awsCreatedDatabaseConfig({}, { network: { nat: "gateway" } })), ["Public", "Private"]);
    });

    it("fails at preview, naming aws.network.taskSubnetIds, when the user's task subnets are all in one zone: a DB subnet group needs two", async () => {
        // subnet-0aaa1111 and subnet-0ccc3333 are both in the region's zone a (testing/mocks/aws.ts): two ids pass the config, EC2's answer does not.
        const network = {
            ...AWS_EXISTING_NETWORK,
            publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
            taskSubnetIds: ["subnet-0aaa1111", "subnet-0ccc3333"],
        };
        await assert.rejects(
            runProgram({ config: awsCreatedDatabaseConfig({}, { network }), secretKeys: ["jwtSecret"], preview: true }),
            /network\.taskSubnetIds.*are all in \S+a, and database\.create puts the database in them/s,
        );
    });
});
