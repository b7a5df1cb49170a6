/**
 * `npm run costs -- <stack>` (scripts/costs.ts) held to the program: for each layout, the program runs under
 * mocks, and the resource types that cost money among what it registered must be exactly the types the report
 * prices, no more, no fewer. Then the issue's targets, measured by the report.
 */
import { AWS_EXISTING_NETWORK, withCreatedDatabase } from "../testing/stack-configs";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ParsedConfig } from "../components/config";
import { AWS_PRICED_RESOURCES, US_EAST_1_STACK_PRICES, awsStackCostLines, httpApiAlbCrossoverRequests } from "../components/aws/costs";
import { GCP_PRICED_RESOURCES, gcpStackCostLines } from "../components/gcp/costs";
import { HOURS_PER_MONTH, IDLE, monthlyTotal } from "../components/costs";
import { costReport, formatMarkdown, parseArguments, rawConfigOfStackFile, stackFileCostReport } from "../scripts/costs";
import { CREATED_DATABASE_ROWS } from "../scripts/cost-tables";
import { ProgramRun, baseConfig, parseStackConfig, runProgram } from "../testing/harness";
import { MOCK_SHARED_LISTENER_ARN, MOCK_SHARED_LOAD_BALANCER_SG, MOCK_VPC_ID } from "../testing/mocks/aws";
import { readStackFile, stackFiles, stackName } from "../testing/stack-files";
import { issue, makeCa } from "../testing/certificates";

type Config = Record<string, unknown>;
const EXISTING = AWS_EXISTING_NETWORK;
const PUBLIC_TASKS = { mode: "existing", vpcId: MOCK_VPC_ID, publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"], assignPublicIp: true };
const ONE_SMALL_TASK = { cpu: 0.25, memory: 512, minInstances: 1, maxInstances: 2, settings: { "db-max-rows": 1000 } };
const aws = (block: Config, service: Config = ONE_SMALL_TASK, extra: Config = {}): Config => ({
    ...baseConfig("aws"),
    aws: block,
    service,
    ...extra,
});
const SHARED = { listenerArn: MOCK_SHARED_LISTENER_ARN, securityGroupId: MOCK_SHARED_LOAD_BALANCER_SG, host: "api.example.com", priority: 10 };
const inNetwork = { database: { host: "db.example.com", name: "startup", sslMode: "require", adminAccess: "in-network" } };

const CLOUD_SQL_NETWORK = { mode: "create" };

/** Layouts whose every priced resource the report must name; the stack files join them below. */
const CA = makeCa("cost-report-ca");
const CLIENT = issue(CA, "authenticator");
const layouts: { name: string; config: Config; providerConfig?: Record<string, string>; secretKeys?: string[] }[] = [
    { name: "http-api, ARM64, on-demand", config: aws({ ingress: "http-api" }) },
    { name: "http-api, Spot", config: aws({ ingress: "http-api" }, { ...ONE_SMALL_TASK, capacity: "spot" }) },
    { name: "shared-load-balancer", config: aws({ ingress: "shared-load-balancer", network: EXISTING, sharedLoadBalancer: SHARED }) },
    { name: "load-balancer, NAT gateway per AZ", config: aws({ network: { nat: "gateway-per-az" } }) },
    { name: "load-balancer, NAT instance", config: aws({ network: { nat: "instance" } }) },
    {
        name: "in-network admin function, database TLS files",
        config: aws({ network: EXISTING, databaseSecurityGroupId: "sg-0123456789abcdef0" }, ONE_SMALL_TASK, {
            database: { ...inNetwork.database, sslMode: "verify-full", sslRootCert: CA.cert },
        }),
    },
    {
        name: "client certificate: root certificate, client certificate and key stored",
        config: aws({ ingress: "http-api" }, ONE_SMALL_TASK, {
            database: { host: "db.example.com", name: "startup", sslMode: "verify-full", sslRootCert: CA.cert, sslCert: CLIENT.cert },
            databaseClientKey: CLIENT.key,
        }),
        secretKeys: ["databaseAdminUrl", "jwtSecret", "databaseClientKey"],
    },
    { name: "created RDS, in a created VPC without NAT (isolated subnets)", config: withCreatedDatabase(aws({}), { engine: "rds" }) },
    {
        name: "created Aurora Serverless v2 at 0 ACU, in an existing VPC's task subnets",
        config: withCreatedDatabase(aws({ network: EXISTING }), { engine: "aurora-serverless" }),
    },
    {
        name: "created Aurora Serverless v2 that never pauses, http-api, NAT instance",
        config: withCreatedDatabase(aws({ ingress: "http-api", network: { nat: "instance" } }), { engine: "aurora-serverless", minCapacity: 0.5 }),
    },
    {
        name: "created Cloud SQL in a created network, with the load balancer",
        config: withCreatedDatabase(
            { ...baseConfig("gcp"), gcp: { region: "us-central1", network: CLOUD_SQL_NETWORK, loadBalancer: { domain: "api.example.com" } } },
            {
                engine: "cloud-sql",
            },
        ),
    },
    {
        name: "gcp with its load balancer and the in-network function",
        config: {
            ...baseConfig("gcp"),
            ...inNetwork,
            gcp: {
                region: "europe-west1",
                network: { mode: "existing", network: "db-vpc", subnetwork: "projects/my-project/regions/europe-west1/subnetworks/db-subnet" },
                loadBalancer: { domain: "api.example.com" },
            },
        },
    },
    {
        name: "gcp with Cloud SQL IAM authentication (the Auth Proxy sidecar)",
        config: { ...baseConfig("gcp"), gcp: { cloudSqlInstance: "data-project:us-central1:trees-db", cloudSqlIamAuthentication: true } },
    },
];
for (const file of stackFiles()) {
    const { config, providerConfig } = readStackFile(file);
    layouts.push({ name: file, config, providerConfig });
}

/** The types of the registered resources that cost money, by the cost model's own predicate. */
function pricedTypes(run: ProgramRun, cloud: string): string[] {
    const priced = cloud === "aws" ? AWS_PRICED_RESOURCES : GCP_PRICED_RESOURCES;
    return [...new Set(run.resources.filter((r) => priced[r.type]?.(r.inputs)).map((r) => r.type))].sort();
}

describe("costs: the report holds to what the program registers", function () {
    for (const layout of layouts) {
        it(`${layout.name}: prices every priced resource type the program registers, and nothing else`, async () => {
            const run = await runProgram({ config: layout.config, providerConfig: layout.providerConfig, secretKeys: layout.secretKeys });
            const config = parseStackConfig(layout.config, layout.secretKeys);
            const report = costReport("test", config, { ...IDLE, requestsPerMonth: 1_000_000, logGbPerMonth: 1 });
            assert.deepStrictEqual([...new Set(report.lines.map((line) => line.resourceType))].sort(), pricedTypes(run, config.cloud));
            // Counted things match the registered count.
            const secrets = run.byType(
                config.cloud === "aws" ? "aws:secretsmanager/secret:Secret" : "gcp:secretmanager/secretVersion:SecretVersion",
            ).length;
            assert.ok(
                report.lines.some((line) => line.item.includes(`: ${secrets} `)),
                `no line counts ${secrets} secrets: ${report.lines.map((l) => l.item)}`,
            );
            if (config.cloud === "aws") {
                const zones = run.byType("aws:lb/loadBalancer:LoadBalancer").map((lb) => lb.inputs.subnets.length);
                for (const count of zones) assert.ok(report.lines.some((line) => line.item === `ALB public IPv4 × ${count}`));
            }
        });
    }
});

describe("costs: the issue's targets, one 0.25 vCPU / 0.5 GB task, measured by the report (idle: what it costs before traffic)", () => {
    const total = (config: Config) => costReport("target", parseStackConfig(config)).total;
    const targets: { name: string; config: Config; atMost: number }[] = [
        { name: "http-api, ARM64, on-demand", config: aws({ ingress: "http-api" }), atMost: 13 },
        {
            // Tasks in the shared ALB's public subnets with a public IPv4 each: no NAT of the user's hides in the figure.
            name: "shared-load-balancer (the shared ALB not counted), task with a public IPv4",
            config: aws({ ingress: "shared-load-balancer", network: PUBLIC_TASKS, sharedLoadBalancer: SHARED }),
            atMost: 12,
        },
        { name: "http-api with Spot", config: aws({ ingress: "http-api" }, { ...ONE_SMALL_TASK, capacity: "spot" }), atMost: 8 },
    ];
    for (const { name, config, atMost } of targets) {
        it(`${name}: at most $${atMost}`, () => {
            const cost = total(config);
            assert.ok(cost <= atMost, `$${cost.toFixed(2)} > $${atMost}`);
        });
    }

    it("http-api ARM64 on-demand, worked by hand: Fargate 7.21 + task IPv4 3.65 + 2 secrets 0.80 + Cloud Map 0.10 + zone 0.50", () => {
        const fargate = (0.25 * 0.03238 + 0.5 * 0.00356) * HOURS_PER_MONTH;
        const expected = fargate + 0.005 * HOURS_PER_MONTH + 0.8 + 0.1 + 0.5;
        assert.ok(Math.abs(total(aws({ ingress: "http-api" })) - expected) < 1e-9);
        assert.ok(Math.abs(expected - 12.26) < 0.01);
    });

    it("the shared load balancer's floor is the task's own public IPv4 without NAT: $3.65 of it", () => {
        const lines = awsStackCostLines(
            parseStackConfig(aws({ ingress: "shared-load-balancer", network: EXISTING, sharedLoadBalancer: SHARED })) as ParsedConfig & {
                cloud: "aws";
            },
        );
        // EXISTING routes the tasks through the user's NAT (assignPublicIp false): no IPv4 line, the NAT is the user's.
        assert.ok(!lines.some((line) => line.item.startsWith("Task public IPv4")));
        const withPublicIp = awsStackCostLines(
            parseStackConfig(
                aws({
                    ingress: "shared-load-balancer",
                    network: { ...EXISTING, taskSubnetIds: undefined, assignPublicIp: true },
                    sharedLoadBalancer: SHARED,
                }),
            ) as ParsedConfig & { cloud: "aws" },
        );
        assert.ok(Math.abs(monthlyTotal(withPublicIp) - monthlyTotal(lines) - 3.65) < 1e-9);
    });

    it("Spot keeps onDemandBase tasks on-demand and prices the rest at Spot", () => {
        const lines = awsStackCostLines(
            parseStackConfig(
                aws({ ingress: "http-api" }, { ...ONE_SMALL_TASK, minInstances: 3, maxInstances: 3, capacity: "spot", onDemandBase: 1 }),
            ) as ParsedConfig & {
                cloud: "aws";
            },
        );
        const items = lines.map((line) => line.item);
        assert.ok(items.includes("Fargate on-demand: 1 × 0.25 vCPU / 512 MiB X86_64"), items.join("; "));
        assert.ok(items.includes("Fargate Spot: 2 × 0.25 vCPU / 512 MiB X86_64"), items.join("; "));
        const spot = lines.find((line) => line.item.startsWith("Fargate Spot"))!;
        assert.ok(
            Math.abs(
                spot.monthly -
                    2 * (0.25 * US_EAST_1_STACK_PRICES.fargateSpotVcpuHour + 0.5 * US_EAST_1_STACK_PRICES.fargateSpotGbHour) * HOURS_PER_MONTH,
            ) < 1e-9,
        );
    });

    it("an HTTP API costs more than the stack's own ALB above about 25 million requests a month", () => {
        const crossover = httpApiAlbCrossoverRequests();
        assert.ok(crossover > 20e6 && crossover < 30e6, String(crossover));
        const at = (requests: number, ingress: Config) =>
            costReport("x", parseStackConfig(aws(ingress)), { ...IDLE, requestsPerMonth: requests }).total;
        assert.ok(at(crossover * 0.9, { ingress: "http-api" }) < at(crossover * 0.9, {}));
        assert.ok(at(crossover * 1.1, { ingress: "http-api" }) > at(crossover * 1.1, {}));
    });
});

describe("costs: a created database, as the stack report prices it", () => {
    const report = (config: Config, usage = IDLE) => costReport("created", parseStackConfig(config), usage);
    const databaseLines = (config: Config, usage = IDLE) =>
        report(config, usage).lines.filter((line) => /^(aws:rds|gcp:sql)\//.test(line.resourceType));
    const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} vs ${expected}`);
    const row = (create: string, usage?: RegExp) =>
        monthlyTotal(CREATED_DATABASE_ROWS.find((r) => r.create === create && (!usage || usage.test(r.usage)))!.lines());

    const cheapest: { name: string; config: Config; byHand: number; table: () => number }[] = [
        // 0.016 × 730 + 20 GB × 0.115 + the master password's secret 0.40
        {
            name: "RDS db.t4g.micro, 20 GB gp3",
            config: withCreatedDatabase(aws({}), { engine: "rds" }),
            byHand: 11.68 + 2.3 + 0.4,
            table: () => row("{ engine: rds }"),
        },
        // Paused all month: 1 GB × 0.10 + the secret 0.40; no ACU-hours
        {
            name: "Aurora Serverless v2 at 0 ACU, idle",
            config: withCreatedDatabase(aws({}), { engine: "aurora-serverless" }),
            byHand: 0.1 + 0.4,
            table: () => row("{ engine: aurora-serverless }", /^idle/),
        },
    ];
    for (const { name, config, byHand, table } of cheapest)
        it(`${name}: $${byHand.toFixed(2)} a month, as docs/costs.md's table says`, () => {
            near(monthlyTotal(databaseLines(config)), byHand);
            near(table(), byHand);
        });

    const cloudSql: { tier: string; byHand: number }[] = [
        // 0.0105 × 730 + 10 GB SSD × 0.17 + 1 GB of backups × 0.08 + the admin secret's version 0.06
        { tier: "db-f1-micro", byHand: 7.665 + 1.7 + 0.08 + 0.06 },
        // 0.035 × 730 + 1.70 + 0.08 + 0.06
        { tier: "db-g1-small", byHand: 25.55 + 1.7 + 0.08 + 0.06 },
    ];
    for (const { tier, byHand } of cloudSql)
        it(`Cloud SQL ${tier}, 10 GB: $${byHand.toFixed(2)} a month with its admin secret, as docs/costs.md's table says`, () => {
            const gcp = (database?: Config) => {
                const config = { ...baseConfig("gcp"), gcp: { region: "us-central1", network: CLOUD_SQL_NETWORK } };
                return database ? withCreatedDatabase(config, database) : config;
            };
            // The admin credentials are one more version in the stack's Secret Manager line.
            const secretLine = (config: Config) => report(config).lines.find((line) => line.item.startsWith("Secret Manager"))!;
            assert.strictEqual(secretLine(gcp({ engine: "cloud-sql", tier })).item, "Secret Manager: 3 active versions");
            const secretDelta = secretLine(gcp({ engine: "cloud-sql", tier })).monthly - secretLine(gcp()).monthly;
            near(monthlyTotal(databaseLines(gcp({ engine: "cloud-sql", tier }))) + secretDelta, byHand);
            near(row(tier === "db-g1-small" ? "{ engine: cloud-sql }" : `{ engine: cloud-sql, tier: ${tier} }`), byHand);
        });

    it("Aurora at 0 ACU: its capacity is billed only for the hours awake (--db-hours), at 0.5 ACU, as usage", () => {
        const config = withCreatedDatabase(aws({}), { engine: "aurora-serverless" });
        const capacity = (usage: typeof IDLE) =>
            databaseLines(config, usage).find((line) => line.resourceType === "aws:rds/clusterInstance:ClusterInstance")!;
        assert.strictEqual(capacity(IDLE).monthly, 0);
        const awake = capacity({ ...IDLE, databaseActiveHours: 88 });
        near(awake.monthly, 88 * 0.5 * 0.12);
        assert.strictEqual(awake.basis, "usage");
        assert.ok(report(config).notes.some((note) => note.includes("paused, it bills storage")));
    });

    it("Aurora above 0 ACU never pauses: minCapacity all month, fixed, whatever the hours given", () => {
        const config = withCreatedDatabase(aws({}), { engine: "aurora-serverless", minCapacity: 1, maxCapacity: 4 });
        for (const databaseActiveHours of [0, 88]) {
            const capacity = databaseLines(config, { ...IDLE, databaseActiveHours })[0];
            near(capacity.monthly, 730 * 1 * 0.12);
            assert.strictEqual(capacity.basis, "fixed");
        }
    });

    it("Aurora's storage is what it holds (--db-gb); RDS and Cloud SQL bill what is allocated", () => {
        const gb = (config: Config, databaseGb: number) => monthlyTotal(databaseLines(config, { ...IDLE, databaseGb }));
        const aurora = withCreatedDatabase(aws({}), { engine: "aurora-serverless" });
        near(gb(aurora, 11) - gb(aurora, 1), 10 * 0.1);
        const rds = withCreatedDatabase(aws({}), { engine: "rds", storageGb: 50 });
        near(gb(rds, 11), gb(rds, 1));
        assert.ok(databaseLines(rds).some((line) => line.item === "RDS gp3 storage: 50 GB"));
    });

    it("an RDS class the config admits but the price table lacks is shown unpriced, not guessed", () => {
        const lines = databaseLines(withCreatedDatabase(aws({}), { engine: "rds", instanceClass: "db.m7g.large" }));
        assert.strictEqual(lines[0].item, "RDS db.m7g.large, Single-AZ: not priced here");
        assert.strictEqual(lines[0].monthly, 0);
        near(monthlyTotal(lines), 20 * 0.115 + 0.4);
    });

    it("a stack file that creates its database is priced: no placeholder admin URL is added, which the config would refuse", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "costs-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.created.yaml"),
            [
                "config:",
                "  postgrest:cloud: aws",
                "  postgrest:database: { name: startup, create: { engine: rds } }",
                "  postgrest:api: { roles: { web_anon: { tables: { api.trees: [select] } } } }",
                "  postgrest:service: { maxInstances: 2 }",
                "",
            ].join("\n"),
        );
        const priced = stackFileCostReport("created", IDLE, dir);
        assert.ok(priced.lines.some((line) => line.item === "RDS db.t4g.micro, Single-AZ"));
        assert.ok(priced.sources.includes("https://aws.amazon.com/rds/postgresql/pricing/"));
    });
});

describe("costs: the script", () => {
    it("reads a stack file as the engine does: secure values flagged secret, never decrypted; provider keys apart", () => {
        const { raw, awsRegion } = rawConfigOfStackFile(
            [
                "config:",
                "  aws:region: eu-west-1",
                "  postgrest:cloud: aws",
                "  postgrest:jwtSecret:",
                "    secure: v1:abc",
                "  postgrest:service: { maxInstances: 2 }",
            ].join("\n"),
        );
        assert.strictEqual(awsRegion, "eu-west-1");
        assert.deepStrictEqual([...raw.secretKeys].sort(), ["databaseAdminUrl", "jwtSecret"]);
        assert.notStrictEqual(raw.values.jwtSecret, "v1:abc");
        assert.strictEqual(raw.values.service, '{"maxInstances":2}');
    });

    it("prices every committed stack file, with its sources and date, in markdown for the job summary", () => {
        for (const file of stackFiles()) {
            const report = stackFileCostReport(stackName(file));
            const markdown = formatMarkdown(report);
            assert.match(markdown, new RegExp(`\\*\\*\\$${report.total.toFixed(2)}\\*\\*`));
            assert.ok(report.sources.every((source) => markdown.includes(source)));
            assert.match(markdown, /Prices as of \d{4}-\d{2}-\d{2}/);
        }
    });

    it("refuses a stack without a file, and a config the program would refuse, with the program's message", () => {
        assert.throws(() => stackFileCostReport("nope"), /no stack file Pulumi\.nope\.yaml/);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "costs-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.bad.yaml"),
            "config:\n  postgrest:cloud: aws\n  postgrest:service: { maxInstances: 2, capacity: spot }\n  postgrest:aws: { cpuArchitecture: ARM64 }\n",
        );
        assert.throws(() => stackFileCostReport("bad", IDLE, dir), /postgrest:aws.cpuArchitecture: is ARM64, and postgrest:service.capacity is spot/);
    });

    it("parses its arguments", () => {
        assert.deepStrictEqual(parseArguments(["dev", "--markdown", "--requests", "5000000"]), {
            stack: "dev",
            markdown: true,
            usage: { ...IDLE, requestsPerMonth: 5_000_000 },
        });
        assert.deepStrictEqual(parseArguments(["dev", "--list-price"]).usage, { ...IDLE, cloudWatchFreeTier: false });
        assert.deepStrictEqual(parseArguments(["dev", "--db-hours", "88", "--db-gb", "5"]).usage, {
            ...IDLE,
            databaseActiveHours: 88,
            databaseGb: 5,
        });
        assert.throws(() => parseArguments(["dev", "--db-hours", "731"]), /--db-hours takes at most 730/);
        assert.throws(() => parseArguments(["--requests", "x", "dev"]), /--requests takes a number/);
        assert.throws(() => parseArguments([]), /usage: npm run costs/);
    });
});

describe("costs: the alarms and the dashboard", () => {
    const alarmLines = (cloudWatchFreeTier: boolean) =>
        costReport("x", parseStackConfig(baseConfig("aws")), { ...IDLE, cloudWatchFreeTier }).lines.filter((line) =>
            /^CloudWatch (alarms|dashboard)/.test(line.item),
        );
    it("are free within the account's always-free tier, and priced per alarm metric and dashboard at list price", () => {
        assert.deepStrictEqual(
            alarmLines(true).map((line) => line.monthly),
            [0, 0],
        );
        const [metrics, dashboard] = alarmLines(false);
        assert.match(metrics.item, /^CloudWatch alarms: (\d+) metrics$/);
        const count = Number(/(\d+) metrics/.exec(metrics.item)![1]);
        assert.ok(count > 0 && count <= 10, `${count} alarm metrics`);
        assert.strictEqual(metrics.monthly.toFixed(2), (count * 0.1).toFixed(2));
        assert.strictEqual(dashboard.monthly, 3);
    });
});

describe("costs: Cloud Run bills every container of an instance", () => {
    it("adds the Auth Proxy sidecar's 0.25 vCPU and 256 MiB to PostgREST's with gcp.cloudSqlIamAuthentication", () => {
        const gcp = { cloudSqlInstance: "data-project:us-central1:trees-db" };
        const usage = { ...IDLE, requestsPerMonth: 100_000_000 };
        const cloudRunLines = (iam: boolean) =>
            gcpStackCostLines(
                parseStackConfig({
                    ...baseConfig("gcp"),
                    service: { cpu: 1, memory: 512, maxInstances: 2 },
                    gcp: { ...gcp, cloudSqlIamAuthentication: iam },
                }) as ParsedConfig & { cloud: "gcp" },
                usage,
            ).filter((line) => line.resourceType === "gcp:cloudrunv2/service:Service");
        // 100 M requests of 50 ms, one at a time: 5 M instance-seconds, times the vCPU and GiB of all containers.
        const item = (lines: { item: string }[], prefix: string) => lines.find((line) => line.item.startsWith(prefix))!.item;
        assert.strictEqual(item(cloudRunLines(false), "Cloud Run CPU"), "Cloud Run CPU: 5,000,000 vCPU-s");
        assert.strictEqual(item(cloudRunLines(true), "Cloud Run CPU"), "Cloud Run CPU: 6,250,000 vCPU-s");
        assert.strictEqual(item(cloudRunLines(false), "Cloud Run memory"), "Cloud Run memory: 2,500,000 GiB-s");
        assert.strictEqual(item(cloudRunLines(true), "Cloud Run memory"), "Cloud Run memory: 3,750,000 GiB-s");
    });
});
