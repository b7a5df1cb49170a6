/**
 * `npm run costs -- <stack>` (scripts/costs.ts) held to the program: for each layout, the program runs under
 * mocks, and the resource types that cost money among what it registered must be exactly the types the report
 * prices, no more, no fewer. Then the issue's targets, measured by the report.
 */
import { AWS_EXISTING_NETWORK } from "../testing/stack-configs";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ParsedConfig } from "../components/config";
import { AWS_PRICED_RESOURCES, US_EAST_1_STACK_PRICES, awsStackCostLines, httpApiAlbCrossoverRequests } from "../components/aws/costs";
import { GCP_PRICED_RESOURCES } from "../components/gcp/costs";
import { HOURS_PER_MONTH, IDLE, monthlyTotal } from "../components/costs";
import { costReport, formatMarkdown, parseArguments, rawConfigOfStackFile, stackFileCostReport } from "../scripts/costs";
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
