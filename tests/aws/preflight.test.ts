import * as assert from "assert";
import {
    availabilityZoneRegionProblems,
    certificateRegionProblem,
    databaseSubnetProblems,
    existingSubnetProblems,
} from "../../components/aws/config/cloud-answers";
import { ExistingNetwork } from "../../components/aws/config/network";
import { ConfigError } from "../../components/config";
import { CloudAnswerProblem } from "../../components/aws/config/cloud-answers";
import { cloudAnswerProblems, throwCloudAnswerProblems } from "../../components/aws/preflight";
import { baseConfig, runUnderMocks } from "../../testing/harness";
import { MOCK_REGION, MOCK_SUBNETS, MOCK_VPC_ID } from "../../testing/mocks/aws";
import { parseAwsConfig, runAws } from "../../testing/run-component";

const existing = (publicSubnetIds: string[], taskSubnetIds = publicSubnetIds): ExistingNetwork => ({
    mode: "existing",
    vpcId: MOCK_VPC_ID,
    publicSubnetIds,
    taskSubnetIds,
    assignPublicIp: true,
});
const withAws = (awsBlock: Record<string, unknown>) => ({ ...baseConfig("aws"), aws: awsBlock });
const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;

describe("aws: rules answered by the cloud at preview", () => {
    describe("pure rules", () => {
        it("zones of another region, naming aws.network.availabilityZones[i]", () => {
            assert.deepStrictEqual(availabilityZoneRegionProblems(["us-east-1a", "us-east-1b"], "us-east-1"), []);
            const problems = availabilityZoneRegionProblems(["us-east-1a", "eu-west-1b"], "us-east-1");
            assert.deepStrictEqual(
                problems.map((p) => p.field),
                ["network.availabilityZones[1]"],
            );
            assert.match(problems[0].problem, /eu-west-1b is in eu-west-1, and the stack deploys to us-east-1/);
        });

        it("a certificate of another region, naming aws.certificateArn", () => {
            assert.strictEqual(certificateRegionProblem(CERT("us-east-1"), "us-east-1"), undefined);
            assert.match(
                certificateRegionProblem(CERT("eu-central-1"), "us-east-1")!.problem,
                /certificate of eu-central-1, and the load balancer is in us-east-1/,
            );
        });

        const cases: { name: string; network: ExistingNetwork; fields: string[]; says: RegExp }[] = [
            {
                name: "public subnets in one zone",
                network: existing(["subnet-0aaa1111", "subnet-0ccc3333"]),
                fields: ["network.publicSubnetIds"],
                says: /all in us-east-1a; .* at least two Availability Zones/,
            },
            {
                name: "two public subnets in one zone",
                network: existing(["subnet-0aaa1111", "subnet-0bbb2222", "subnet-0eee5555"]),
                fields: ["network.publicSubnetIds"],
                says: /two subnets in us-east-1a; .* one subnet per Availability Zone/,
            },
            {
                name: "a subnet of another VPC",
                network: existing(["subnet-0aaa1111", "subnet-0abc7777"]),
                fields: ["network.publicSubnetIds[1]"],
                says: /subnet-0abc7777 is in vpc-0aaaaaaaaaaaaaaaa, not in network.vpcId/,
            },
            {
                name: "tasks in a zone the load balancer does not serve",
                network: existing(["subnet-0aaa1111", "subnet-0bbb2222"], ["subnet-0fff6666"]),
                fields: ["network.taskSubnetIds[0]"],
                says: /us-east-1c, where the load balancer has no subnet/,
            },
        ];
        for (const c of cases) {
            it(`${c.name}, naming aws.${c.fields.join(", ")}`, () => {
                const problems = existingSubnetProblems(c.network, MOCK_SUBNETS);
                assert.deepStrictEqual(
                    problems.map((p) => p.field),
                    c.fields,
                );
                assert.match(problems[0].problem, c.says);
            });
        }

        it("task subnets in one zone, where database.create puts the database, naming aws.network.taskSubnetIds", () => {
            const oneZone = existing(["subnet-0aaa1111", "subnet-0bbb2222"], ["subnet-0ccc3333", "subnet-0eee5555"]);
            assert.deepStrictEqual(existingSubnetProblems(oneZone, MOCK_SUBNETS), [], "tasks may all run in one zone");
            const problems = databaseSubnetProblems(oneZone, MOCK_SUBNETS);
            assert.deepStrictEqual(
                problems.map((p) => p.field),
                ["network.taskSubnetIds"],
            );
            assert.match(
                problems[0].problem,
                /all in us-east-1a, and database\.create puts the database in them: .* at least two Availability Zones/,
            );
            assert.deepStrictEqual(
                databaseSubnetProblems(existing(["subnet-0aaa1111", "subnet-0bbb2222"], ["subnet-0ccc3333", "subnet-0ddd4444"]), MOCK_SUBNETS),
                [],
            );
        });

        it("accepts subnets in two zones of the VPC, tasks in those zones", () => {
            assert.deepStrictEqual(
                existingSubnetProblems(existing(["subnet-0aaa1111", "subnet-0bbb2222"], ["subnet-0ccc3333", "subnet-0ddd4444"]), MOCK_SUBNETS),
                [],
            );
        });
    });

    describe("under mocks: the program asks the cloud (getRegion, getSubnet) and refuses", function () {
        this.timeout(30_000);
        const refused: { name: string; aws: Record<string, unknown>; key: string; says: RegExp }[] = [
            {
                name: "existing public subnets all in one AZ",
                aws: { network: { mode: "existing", vpcId: MOCK_VPC_ID, publicSubnetIds: ["subnet-0aaa1111", "subnet-0ccc3333"] } },
                key: "postgrest:aws.network.publicSubnetIds",
                says: /all in us-east-1a/,
            },
            {
                name: "a certificate of another region",
                aws: { certificateArn: CERT("eu-west-1"), domainName: "api.example.com" },
                key: "postgrest:aws.certificateArn",
                says: /certificate of eu-west-1, and the load balancer is in us-east-1/,
            },
            {
                name: "availability zones of another region",
                aws: { network: { availabilityZones: ["eu-west-1a", "eu-west-1b"] } },
                key: "postgrest:aws.network.availabilityZones[0]",
                says: /eu-west-1a is in eu-west-1, and the stack deploys to us-east-1/,
            },
        ];
        for (const c of refused) {
            it(`${c.name}, naming ${c.key}`, async () => {
                const config = parseAwsConfig(withAws(c.aws));
                const run = await runUnderMocks(() => ({ problems: cloudAnswerProblems(config.aws, {}) }), { preview: true });
                const found = run.outputs.problems as CloudAnswerProblem[];
                assert.throws(
                    () => throwCloudAnswerProblems(found, "postgrest:aws"),
                    (error: Error) => {
                        const line = error.message.split("\n").find((l) => l.includes(`${c.key}: `));
                        assert.ok(line, error.message);
                        assert.match(line!, c.says);
                        assert.match(line!, /Example: \S/);
                        return error instanceof ConfigError;
                    },
                );
            });
        }

        it("with database.create, task subnets all in one zone, naming postgrest:aws.network.taskSubnetIds; without, none", async () => {
            const oneZone = {
                network: {
                    mode: "existing",
                    vpcId: MOCK_VPC_ID,
                    publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
                    taskSubnetIds: ["subnet-0ccc3333", "subnet-0eee5555"],
                },
            };
            const config = parseAwsConfig(withAws(oneZone));
            const run = await runUnderMocks(
                () => ({ creates: cloudAnswerProblems(config.aws, {}, true), uses: cloudAnswerProblems(config.aws, {}) }),
                {
                    preview: true,
                },
            );
            assert.deepStrictEqual(run.outputs.uses, []);
            assert.throws(
                () => throwCloudAnswerProblems(run.outputs.creates as CloudAnswerProblem[], "postgrest:aws"),
                /postgrest:aws\.network\.taskSubnetIds: are all in us-east-1a, and database\.create puts the database in them.*Example: \S/,
            );
        });

        it("finds nothing wrong with a consistent existing network, and the load balancer takes its subnets after the check", async () => {
            const awsBlock = { network: { mode: "existing", vpcId: MOCK_VPC_ID, publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"] } };
            const checked = await runUnderMocks(() => ({ problems: cloudAnswerProblems(parseAwsConfig(withAws(awsBlock)).aws, {}) }), {
                preview: true,
            });
            assert.deepStrictEqual(checked.outputs.problems, []);
            const run = await runAws(withAws(awsBlock));
            assert.deepStrictEqual(run.one("aws:lb/loadBalancer:LoadBalancer").inputs.subnets, ["subnet-0aaa1111", "subnet-0bbb2222"]);
            assert.strictEqual(MOCK_REGION, "us-east-1");
        });
    });
});
