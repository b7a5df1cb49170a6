import * as assert from "assert";
import { baseConfig, expectConfigError } from "../../../testing/harness";
import { withCreatedDatabase } from "../../../testing/stack-configs";
import { fargateMemoryChoices, fargateSizeProblem, vpcCidrProblem } from "../../../components/aws/config/rules";

type Config = Record<string, unknown>;
const aws = baseConfig("aws");
const withAws = (block: Config): Config => ({ ...aws, aws: block });
const withNetwork = (network: Config): Config => withAws({ network });
const withService = (service: Config): Config => ({ ...aws, service: { maxInstances: 2, ...service } });
const existing = (network: Config): Config =>
    withNetwork({ mode: "existing", vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"], ...network });

/** Each bad config, the one key its problem names and what the message says. */
const cases: { name: string; config: Config; key: string; says: RegExp }[] = [
    {
        name: "cpu that is no Fargate size",
        config: withService({ cpu: 0.3 }),
        key: "service.cpu",
        says: /0\.3 vCPU is not a Fargate task size; Fargate takes 0\.25, 0\.5, 1, 2, 4, 8, 16 vCPU/,
    },
    {
        name: "memory too large for 0.25 vCPU",
        config: withService({ cpu: 0.25, memory: 4096 }),
        key: "service.memory",
        says: /4096 MiB does not fit 0\.25 vCPU on Fargate, which takes 512, 1024, 2048 MiB/,
    },
    {
        name: "memory too small for 1 vCPU",
        config: withService({ cpu: 1, memory: 1024 }),
        key: "service.memory",
        says: /takes 2048 to 8192 in steps of 1024 MiB with 1 vCPU/,
    },
    {
        name: "memory off the 8 vCPU steps",
        config: withService({ cpu: 8, memory: 18432 }),
        key: "service.memory",
        says: /takes 16384 to 61440 in steps of 4096 MiB/,
    },
    { name: "no task running", config: withService({ minInstances: 0 }), key: "service.minInstances", says: /must be at least 1 on AWS/ },
    { name: "unknown network mode", config: withNetwork({ mode: "new" }), key: "aws.network.mode", says: /"new" is not one of create, existing/ },
    {
        name: "unknown NAT option",
        config: withNetwork({ nat: "nat-gateway" }),
        key: "aws.network.nat",
        says: /"nat-gateway" is not one of none, gateway, gateway-per-az, instance/,
    },
    {
        name: "VPC range too large",
        config: withNetwork({ cidrBlock: "10.0.0.0/8" }),
        key: "aws.network.cidrBlock",
        says: /\/8 is outside \/16 to \/24/,
    },
    {
        name: "VPC range with host bits",
        config: withNetwork({ cidrBlock: "10.0.3.0/16" }),
        key: "aws.network.cidrBlock",
        says: /host bits set; the block starts at 10\.0\.0\.0\/16/,
    },
    { name: "VPC range not a CIDR", config: withNetwork({ cidrBlock: "10.0.0/16" }), key: "aws.network.cidrBlock", says: /not an IPv4 CIDR block/ },
    {
        name: "one availability zone",
        config: withNetwork({ availabilityZones: ["us-east-1a"] }),
        key: "aws.network.availabilityZones",
        says: /at least two different zones/,
    },
    {
        name: "zone id instead of name",
        config: withNetwork({ availabilityZones: ["use1-az1", "us-east-1b"] }),
        key: "aws.network.availabilityZones[0]",
        says: /"use1-az1" is not an Availability Zone name/,
    },
    {
        name: "x86 NAT instance type",
        config: withNetwork({ nat: "instance", natInstanceType: "t3.nano" }),
        key: "aws.network.natInstanceType",
        says: /not a Graviton \(arm64\) instance type/,
    },
    {
        name: "NAT instance type without a NAT instance",
        config: withNetwork({ nat: "gateway", natInstanceType: "t4g.micro" }),
        key: "aws.network.natInstanceType",
        says: /applies only to nat: instance, and nat is gateway/,
    },
    {
        name: "existing VPC without its id",
        config: withNetwork({ mode: "existing", publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"] }),
        key: "aws.network.vpcId",
        says: /is required/,
    },
    { name: "malformed VPC id", config: existing({ vpcId: "vpc-123" }), key: "aws.network.vpcId", says: /"vpc-123" is not a VPC id/ },
    {
        name: "one public subnet",
        config: existing({ publicSubnetIds: ["subnet-0aaa1111"] }),
        key: "aws.network.publicSubnetIds",
        says: /at least two different subnets, in two Availability Zones/,
    },
    {
        name: "malformed subnet id",
        config: existing({ publicSubnetIds: ["subnet-0aaa1111", "sn-2"] }),
        key: "aws.network.publicSubnetIds[1]",
        says: /"sn-2" is not a subnet id/,
    },
    {
        name: "no public IP in public subnets",
        config: existing({ assignPublicIp: false }),
        key: "aws.network.assignPublicIp",
        says: /could not pull the image or read their secrets/,
    },
    {
        name: "NAT option for an existing VPC",
        config: existing({ nat: "gateway" }),
        key: "aws.network.nat",
        says: /applies only to mode: create, and mode is existing/,
    },
    {
        name: "VPC id for a created VPC",
        config: withNetwork({ vpcId: "vpc-0123456789abcdef0" }),
        key: "aws.network.vpcId",
        says: /applies only to mode: existing, and mode is create/,
    },
    {
        name: "database security group with a created VPC",
        config: withAws({ databaseSecurityGroupId: "sg-0123456789abcdef0" }),
        key: "aws.databaseSecurityGroupId",
        says: /network.mode create makes a new VPC, whose tasks' group it cannot reference/,
    },
    {
        name: "database security group name",
        config: withAws({ databaseSecurityGroupId: "default" }),
        key: "aws.databaseSecurityGroupId",
        says: /"default" is not a security group id/,
    },
    {
        name: "certificate that is no ACM ARN",
        config: withAws({ certificateArn: "arn:aws:iam::123456789012:server-certificate/x", domainName: "api.example.com" }),
        key: "aws.certificateArn",
        says: /not an ACM certificate ARN/,
    },
    {
        name: "certificate without its domain",
        config: withAws({ certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d" }),
        key: "aws.domainName",
        says: /is required with certificateArn/,
    },
    {
        name: "domain given as a URL",
        config: withAws({ domainName: "https://api.example.com" }),
        key: "aws.domainName",
        says: /not a host name such as api\.example\.com/,
    },
    {
        name: "log retention CloudWatch refuses",
        config: withAws({ logRetentionDays: 10 }),
        key: "aws.logRetentionDays",
        says: /10 is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30/,
    },
    {
        name: "lower-case architecture",
        config: withAws({ cpuArchitecture: "arm64" }),
        key: "aws.cpuArchitecture",
        says: /"arm64" is not one of ARM64, X86_64/,
    },
    {
        name: "a created database in one task subnet of an existing VPC",
        config: withCreatedDatabase(existing({ taskSubnetIds: ["subnet-0ccc3333", "subnet-0ccc3333"], assignPublicIp: false }), { engine: "rds" }),
        key: "aws.network.taskSubnetIds",
        says: /must name subnets in at least two Availability Zones with database.create/,
    },
    { name: "network key typo", config: withNetwork({ nats: "none" }), key: "aws.network.nats", says: /did you mean "nat"/ },
    { name: "aws key typo", config: withAws({ certificateARN: "x" }), key: "aws.certificateARN", says: /did you mean "certificateArn"/ },
    {
        name: "scaling target out of range",
        config: withAws({ scaling: { cpuPercent: 95 } }),
        key: "aws.scaling.cpuPercent",
        says: /between 10 and 90/,
    },
    {
        name: "connection budget of a rolling deploy (2 × maxInstances tasks)",
        config: { ...withService({ maxInstances: 4 }), database: { host: "db.example.com", name: "startup", maxConnections: 80 } },
        key: "service.dbPool",
        says: /up to 8 instances at once × 11 connections .* = 88, more than database.maxConnections \(80\)/,
    },
];

describe("aws: config validation", () => {
    for (const { name, config, key, says } of cases) {
        it(`refuses ${name}, naming postgrest:${key}, registering nothing`, async () => {
            const error = await expectConfigError(config);
            const problems = error.message.split("\n").filter((line) => line.startsWith("  - "));
            assert.strictEqual(problems.length, 1, error.message);
            assert.ok(problems[0].startsWith(`  - postgrest:${key}: `), error.message);
            assert.match(problems[0], says);
            assert.match(problems[0], /Example: \S/);
            assert.deepStrictEqual(error.resources, []);
        });
    }

    it("lists every problem of the aws block at once", async () => {
        const error = await expectConfigError({
            ...withService({ cpu: 0.25, memory: 8192 }),
            aws: { network: { nat: "nope", cidrBlock: "10.0.0.0/30" }, logRetentionDays: 2 },
        });
        for (const key of ["service.memory", "aws.network.nat", "aws.network.cidrBlock", "aws.logRetentionDays"]) {
            assert.ok(error.message.includes(`postgrest:${key}:`), `${key} missing from:\n${error.message}`);
        }
        assert.deepStrictEqual(error.resources, []);
    });
});

describe("aws: Fargate sizes and VPC ranges (pure)", () => {
    it("accepts every size of the Fargate table and nothing between", () => {
        const table: [number, number, number, number][] = [
            [256, 512, 2048, 1024],
            [512, 1024, 4096, 1024],
            [1024, 2048, 8192, 1024],
            [2048, 4096, 16384, 1024],
            [4096, 8192, 30720, 1024],
            [8192, 16384, 61440, 4096],
            [16384, 32768, 122880, 8192],
        ];
        for (const [units, min, max, step] of table) {
            const choices = fargateMemoryChoices(units)!;
            assert.strictEqual(choices[0], min);
            assert.strictEqual(choices[choices.length - 1], max);
            if (units !== 256)
                assert.ok(
                    choices.every((m, i) => i === 0 || m - choices[i - 1] === step),
                    `steps of ${units}`,
                );
            for (const memory of choices) assert.strictEqual(fargateSizeProblem(units / 1024, memory), undefined);
            assert.strictEqual(fargateSizeProblem(units / 1024, min - 1)?.field, "memory");
        }
        assert.deepStrictEqual(fargateMemoryChoices(256), [512, 1024, 2048]);
        assert.strictEqual(fargateSizeProblem(3, 8192)?.field, "cpu");
    });

    it("takes aligned /16 to /24 ranges only", () => {
        for (const ok of ["10.0.0.0/16", "172.31.0.0/16", "192.168.4.0/24", "10.1.128.0/17"]) assert.strictEqual(vpcCidrProblem(ok), undefined, ok);
        for (const bad of ["10.0.0.0/15", "10.0.0.0/25", "10.0.0.128/24", "256.0.0.0/16", "10.0.0.0"]) assert.ok(vpcCidrProblem(bad), bad);
    });
});
