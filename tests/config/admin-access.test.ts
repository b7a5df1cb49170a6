/**
 * database.adminAccess: direct by default; in-network only where a function
 * can run beside the database (an existing AWS VPC whose database group is
 * known, or Direct VPC egress into an existing GCP subnetwork), refused
 * otherwise before any resource, naming the key and the fix.
 */
import * as assert from "assert";
import { baseConfig, configProblems, parseStackConfig } from "../../testing/harness";

type Config = Record<string, unknown>;
const EXISTING_NETWORK = {
    mode: "existing",
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
    taskSubnetIds: ["subnet-0ccc3333", "subnet-0ddd4444"],
};
const inNetwork = (cloud: "aws" | "gcp", rest: Config = {}): Config => {
    const base = baseConfig(cloud);
    return { ...base, database: { ...(base.database as Config), adminAccess: "in-network" }, ...rest };
};

describe("database.adminAccess", () => {
    it("is direct unless the config says otherwise", () => {
        assert.strictEqual(parseStackConfig(baseConfig("aws")).database.adminAccess, "direct");
    });

    it("accepts in-network on AWS in the database's VPC with its security group", () => {
        const config = parseStackConfig(inNetwork("aws", { aws: { network: EXISTING_NETWORK, databaseSecurityGroupId: "sg-0123456789abcdef0" } }));
        assert.strictEqual(config.database.adminAccess, "in-network");
    });

    it("accepts in-network on GCP with Direct VPC egress into the database's subnetwork", () => {
        const config = parseStackConfig(inNetwork("gcp", { gcp: { network: { mode: "existing", subnetwork: "db-subnet" } } }));
        assert.strictEqual(config.database.adminAccess, "in-network");
    });

    const refused: { name: string; config: Config; key: string; says: RegExp }[] = [
        {
            name: "an unknown mode",
            config: { ...baseConfig("aws"), database: { host: "db.example.com", name: "startup", adminAccess: "lambda" } },
            key: "database.adminAccess",
            says: /"lambda" is not one of direct, in-network/,
        },
        {
            name: "in-network in a VPC created here",
            config: inNetwork("aws"),
            key: "database.adminAccess",
            says: /must be in the database's VPC.*mode: existing/,
        },
        {
            name: "in-network without the database's group",
            config: inNetwork("aws", { aws: { network: EXISTING_NETWORK } }),
            key: "aws.databaseSecurityGroupId",
            says: /is required by database\.adminAccess in-network/,
        },
        {
            name: "in-network on GCP without VPC egress",
            config: inNetwork("gcp"),
            key: "database.adminAccess",
            says: /Direct VPC egress into the database's subnetwork, and gcp.network names none.*Example: gcp.network: \{ mode: existing/,
        },
        {
            name: "in-network on GCP in a network created here",
            config: inNetwork("gcp", { gcp: { network: { mode: "create" } } }),
            key: "database.adminAccess",
            says: /a network created here cannot hold a private database yet/,
        },
    ];
    for (const c of refused) {
        it(`refuses ${c.name}, naming ${c.key}`, () => {
            const problems = configProblems(c.config);
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`postgrest:${c.key}: `), problems[0]);
            assert.match(problems[0], c.says);
        });
    }
});
