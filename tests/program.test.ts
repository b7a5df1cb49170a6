import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { ProgramRun, runProgram } from "../testing/harness";
import { MOCK_SUBNETS } from "../testing/mocks/aws";
import { EXAMPLES_FOLDER, exampleStackFiles, readStackFile, stackFiles } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");

/** Each stack file's run, evaluated once and shared by the tests below. */
const runs = new Map<string, Promise<ProgramRun>>();
function runStack(file: string): Promise<ProgramRun> {
    if (!runs.has(file)) {
        const { config, providerConfig } = readStackFile(file);
        runs.set(file, runProgram({ config, providerConfig }));
    }
    return runs.get(file)!;
}

/** Every string anywhere in `value`, for "does this secret appear anywhere" checks. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

describe("stack files", () => {
    it("include a stack for each cloud", () => {
        const clouds = stackFiles().map((file) => readStackFile(file).config.cloud);
        assert.deepStrictEqual([...new Set(clouds)].sort(), ["aws", "gcp"]);
    });

    for (const file of [...stackFiles(), ...exampleStackFiles()]) {
        describe(file, () => {
            let run: ProgramRun;
            before(async () => {
                run = await runStack(file);
            });

            it("evaluates under mocks and exports an http(s) url", () => {
                assert.match(String(run.outputs.url), /^https?:\/\/\S+$/);
                assert.ok(run.resources.length > 10, `only ${run.resources.length} resources`);
            });

            it("names in its details what `pulumi destroy` does to a database it creates, and the created database's protect follows it", () => {
                const create = (readStackFile(file).config.database as { create?: unknown }).create;
                const details = run.outputs.details as Record<string, string>;
                if (!create) return assert.strictEqual(details.databaseOnDestroy, undefined);
                assert.strictEqual(details.databaseOnDestroy, "deleted by `pulumi destroy`, with no final snapshot");
                const server = run.resources.filter((r) =>
                    ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "gcp:sql/databaseInstance:DatabaseInstance"].includes(r.type),
                );
                assert.deepStrictEqual(
                    server.map((r) => r.options?.protect),
                    [false],
                );
            });

            it("applies the database side before the service", () => {
                assert.strictEqual(run.byType("postgrest:database:PostgrestAccess").length, 1);
            });

            it("keeps secrets out of plain stack outputs", () => {
                assert.ok(run.secretOutputs.includes("jwtSecret"), `secret outputs: ${run.secretOutputs}`);
                const jwtSecret = String(run.outputs.jwtSecret);
                const plain = Object.entries(run.outputs).filter(([name]) => !run.secretOutputs.includes(name));
                for (const text of strings(plain.map(([, v]) => v))) {
                    assert.ok(!text.includes("stack-file-admin-pw") && !text.includes(jwtSecret), `secret in output: ${text}`);
                }
            });
        });
    }
});

describe("cloud switch", () => {
    let outputsByCloud: Record<string, string[]>;
    before(async () => {
        outputsByCloud = {};
        for (const file of stackFiles()) {
            const run = await runStack(file);
            outputsByCloud[String(readStackFile(file).config.cloud)] = Object.keys(run.outputs).sort();
        }
    });

    it("exports the same stack outputs on both clouds", () => {
        assert.deepStrictEqual(outputsByCloud.aws, outputsByCloud.gcp);
        for (const name of ["url", "serviceName", "secretIds", "jwtSecret", "cloud"]) assert.ok(outputsByCloud.aws.includes(name), name);
    });

    for (const [cloud, other] of [
        ["aws", "gcp"],
        ["gcp", "aws"],
    ]) {
        it(`loads only the ${cloud} provider SDK on a ${cloud} stack`, function () {
            this.timeout(120_000);
            const stdout = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "testing/fixtures/loaded-packages.ts", cloud], {
                cwd: root,
                encoding: "utf8",
            });
            const loaded = JSON.parse(stdout) as string[];
            assert.ok(loaded.includes(`@pulumi/${cloud}`), `loaded: ${loaded}`);
            assert.ok(!loaded.includes(`@pulumi/${other}`), `loaded: ${loaded}`);
        });
    }

    it("loads @pulumi/awsx only to create a VPC, and pg not at all (the provider's code is bundled for the engine)", function () {
        this.timeout(120_000);
        const loadedBy = (target: string) =>
            JSON.parse(
                execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "testing/fixtures/loaded-packages.ts", target], {
                    cwd: root,
                    encoding: "utf8",
                }),
            ) as string[];
        const existingVpc = loadedBy(`${EXAMPLES_FOLDER}/Pulumi.dev.yaml`);
        assert.ok(
            existingVpc.includes("@pulumi/aws") && !existingVpc.includes("@pulumi/awsx") && !existingVpc.includes("pg"),
            `loaded: ${existingVpc}`,
        );
        assert.ok(loadedBy("aws").includes("@pulumi/awsx"), "the base config creates a VPC");
    });
});

describe("the production profile", () => {
    const env = (container: { environment?: { name: string; value: string }[]; envs?: { name: string; value?: string }[] }, name: string) =>
        (container.environment ?? container.envs ?? []).find((e) => e.name === name)?.value;

    it("Pulumi.prod.yaml: two tasks in two zones, warn logging, HTTPS, deletion protection, and alarms that mail someone", async () => {
        const run = await runStack("Pulumi.prod.yaml");
        const service = run.one("aws:ecs/service:Service");
        assert.strictEqual(service.inputs.desiredCount, 2);
        const zones = service.inputs.networkConfiguration.subnets.map((id: string) => MOCK_SUBNETS[id].availabilityZone);
        assert.strictEqual(new Set(zones).size, 2, `task subnets in ${zones}`);
        const [container] = JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
        assert.strictEqual(env(container, "PGRST_LOG_LEVEL"), "warn");
        assert.match(String(run.outputs.url), /^https:\/\//);
        const subscriptions = run.byType("aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint);
        assert.deepStrictEqual(subscriptions, ["ops@example.com"]);
        assert.ok(run.byType("aws:cloudwatch/metricAlarm:MetricAlarm").length >= 7);
        assert.strictEqual(run.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, true);
        assert.strictEqual(run.byType("pulumi-nodejs:dynamic:Resource").find((r) => r.name === "postgrest-roles-and-grants")?.options?.protect, true);
    });

    it("Pulumi.prod-gcp.yaml: a warm instance, warn logging, deletion protection, and policies that mail someone", async () => {
        const run = await runStack("Pulumi.prod-gcp.yaml");
        const service = run.one("gcp:cloudrunv2/service:Service");
        assert.strictEqual(service.inputs.scaling.minInstanceCount, 1);
        assert.strictEqual(service.inputs.deletionProtection, true);
        assert.strictEqual(run.byType("pulumi-nodejs:dynamic:Resource").find((r) => r.name === "postgrest-roles-and-grants")?.options?.protect, true);
        assert.strictEqual(env(service.inputs.template.containers[0], "PGRST_LOG_LEVEL"), "warn");
        const channel = run.one("gcp:monitoring/notificationChannel:NotificationChannel");
        assert.deepStrictEqual(channel.inputs.labels, { email_address: "ops@example.com" });
        const policies = run.byType("gcp:monitoring/alertPolicy:AlertPolicy");
        assert.strictEqual(policies.length, 4);
        for (const policy of policies) assert.strictEqual(policy.inputs.notificationChannels.length, 1, policy.name);
    });
});
