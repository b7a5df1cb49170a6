import * as assert from "assert";
import { TLS_POLICY } from "../../components/aws/load-balancer";
import { awsHealthChecks } from "../../components/aws/health";
import { AUTHENTICATOR_PASSWORD, AwsRun, JWT_SECRET, runAws } from "../../testing/run-component";
import { RegisteredResource } from "../../testing/harness";
import { AWS_EXISTING_NETWORK, awsStack } from "../../testing/stack-configs";

const { specialSigKey: SECRET_SIGNATURE_KEY, specialSecretSig: SECRET_SIGNATURE } = require("@pulumi/pulumi/runtime/rpc") as {
    specialSigKey: string;
    specialSecretSig: string;
};

const T = {
    vpc: "awsx:ec2:Vpc",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    instance: "aws:ec2/instance:Instance",
    route: "aws:ec2/route:Route",
};

const DB_SG = "sg-0fedcba9876543210";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

/** Every security group rule, as "group direction peer port", peers named by group. */
function ruleSet(run: AwsRun): string[] {
    const describeRule = (direction: string) => (r: RegisteredResource) =>
        `${r.inputs.securityGroupId} ${direction} ${r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4} ${r.inputs.ipProtocol}/${r.inputs.fromPort}-${r.inputs.toPort}`;
    return [...run.byType(T.ingress).map(describeRule("from")), ...run.byType(T.egress).map(describeRule("to"))].sort();
}

const CHAIN = [
    "sg-postgrest-sg-alb from 0.0.0.0/0 tcp/80-80",
    "sg-postgrest-sg-alb to sg-postgrest-sg-tasks tcp/3000-3000",
    "sg-postgrest-sg-alb to sg-postgrest-sg-tasks tcp/3001-3001",
    "sg-postgrest-sg-tasks from sg-postgrest-sg-alb tcp/3000-3000",
    "sg-postgrest-sg-tasks from sg-postgrest-sg-alb tcp/3001-3001",
    "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/443-443",
];

function containerOf(run: AwsRun): Record<string, any> {
    const definitions = JSON.parse(run.one(T.taskDefinition).inputs.containerDefinitions);
    assert.strictEqual(definitions.length, 1);
    return definitions[0];
}

function policyStatements(run: AwsRun): any[] {
    return JSON.parse(run.one(T.rolePolicy).inputs.policy).Statement;
}

/** Invariants every layout keeps. */
function checkInvariants(run: AwsRun): void {
    // No resource but the secret versions holds a secret value, in any input.
    for (const resource of run.resources) {
        if (resource.type === T.secretVersion) continue;
        const text = JSON.stringify(resource.inputs);
        for (const secret of [AUTHENTICATOR_PASSWORD, encodeURIComponent(AUTHENTICATOR_PASSWORD), JWT_SECRET]) {
            assert.ok(!text.includes(secret), `${resource.type} ${resource.name} holds a secret value`);
        }
    }
    const container = containerOf(run);
    const envNames = container.environment.map((e: { name: string }) => e.name);
    assert.ok(!envNames.includes("PGRST_DB_URI") && !envNames.includes("PGRST_JWT_SECRET"), `secrets in environment: ${envNames}`);
    assert.deepStrictEqual(
        container.secrets.map((s: { name: string; valueFrom: string }) => [s.name, s.valueFrom]),
        [
            ["PGRST_DB_URI", run.outputs.secretIds[0]],
            ["PGRST_JWT_SECRET", run.outputs.secretIds[1]],
        ],
    );

    // The execution role reads exactly the two secrets.
    const statements = policyStatements(run);
    assert.strictEqual(statements.length, 1);
    assert.strictEqual(statements[0].Action, "secretsmanager:GetSecretValue");
    assert.deepStrictEqual([...statements[0].Resource].sort(), [...run.outputs.secretIds].sort());
    assert.deepStrictEqual(
        run
            .byType(T.secret)
            .map((s) => s.id)
            .sort(),
        [...run.outputs.secretIds].sort(),
    );

    const targetGroup = run.one(T.targetGroup).inputs;
    assert.strictEqual(targetGroup.targetType, "ip");
    assert.deepStrictEqual(targetGroup.healthCheck, awsHealthChecks(run.config.service.postgrestMajor).targetGroup);
    assert.strictEqual(
        run.one(T.service).inputs.healthCheckGracePeriodSeconds,
        awsHealthChecks(run.config.service.postgrestMajor).gracePeriodSeconds,
    );
    // No container health check: `postgrest --ready` would make ECS replace every task while the database is away.
    assert.strictEqual(containerOf(run).healthCheck, undefined);
    assert.ok(targetGroup.deregistrationDelay <= 30, `deregistration delay ${targetGroup.deregistrationDelay}`);

    const albSubnets: string[] = run.one(T.alb).inputs.subnets;
    assert.ok(new Set(albSubnets).size >= 2, `ALB subnets ${albSubnets}`);

    // No inline rules: every rule is a resource, counted by ruleSet.
    for (const group of run.byType(T.sg)) assert.ok(!group.inputs.ingress?.length && !group.inputs.egress?.length, group.name);

    // Every child hangs under a component.
    for (const resource of run.resources) {
        if (resource.type !== "postgrest:aws:PostgrestOnAws") assert.ok(resource.parent, `${resource.type} ${resource.name} has no parent`);
    }
}

describe("aws: PostgrestOnAws under mocks", function () {
    const runs: Record<string, AwsRun> = {};
    before(async () => {
        runs.none = await runAws(awsStack({}));
        runs.gateway = await runAws(awsStack({ network: { nat: "gateway" } }));
        runs.gatewayPerAz = await runAws(
            awsStack({ network: { nat: "gateway-per-az", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] } }),
        );
        runs.instance = await runAws(awsStack({ network: { nat: "instance", cidrBlock: "10.20.0.0/16" } }));
        runs.existing = await runAws({
            ...awsStack({ network: AWS_EXISTING_NETWORK, databaseSecurityGroupId: DB_SG, certificateArn: CERT, domainName: "api.example.com" }),
            database: { host: "startup.abc123xyz.us-east-1.rds.amazonaws.com", port: 6543, name: "startup" },
        });
        runs.fixed = await runAws(awsStack({}, { minInstances: 2, maxInstances: 2, image: "postgrest/postgrest:v12.2.3", cpu: 0.5, memory: 2048 }));
    });

    for (const layout of ["none", "gateway", "gatewayPerAz", "instance", "existing", "fixed"]) {
        it(`keeps the invariants: ${layout}`, () => checkInvariants(runs[layout]));
    }

    describe("network per NAT option", () => {
        it("none: public subnets only in 2 AZs, tasks there with a public IP", () => {
            const vpc = runs.none.one(T.vpc).inputs;
            assert.strictEqual(vpc.natGateways.strategy, "None");
            assert.strictEqual(vpc.numberOfAvailabilityZones, 2);
            assert.deepStrictEqual(
                vpc.subnetSpecs.map((s: { type: string }) => s.type),
                ["Public"],
            );
            const network = runs.none.one(T.service).inputs.networkConfiguration;
            assert.deepStrictEqual(network.subnets, ["subnet-public1", "subnet-public2"]);
            assert.strictEqual(network.assignPublicIp, true);
            assert.strictEqual(runs.none.byType(T.instance).length + runs.none.byType(T.route).length, 0);
        });

        it("gateway: one NAT gateway, tasks in private subnets without a public IP", () => {
            const vpc = runs.gateway.one(T.vpc).inputs;
            assert.strictEqual(vpc.natGateways.strategy, "Single");
            assert.deepStrictEqual(
                vpc.subnetSpecs.map((s: { type: string }) => s.type),
                ["Public", "Private"],
            );
            const network = runs.gateway.one(T.service).inputs.networkConfiguration;
            assert.deepStrictEqual(network.subnets, ["subnet-private1", "subnet-private2"]);
            assert.strictEqual(network.assignPublicIp, false);
        });

        it("gateway-per-az: a NAT gateway per AZ, in the zones named", () => {
            const vpc = runs.gatewayPerAz.one(T.vpc).inputs;
            assert.strictEqual(vpc.natGateways.strategy, "OnePerAz");
            assert.deepStrictEqual(vpc.availabilityZoneNames, ["us-east-1a", "us-east-1b", "us-east-1c"]);
            assert.strictEqual(runs.gatewayPerAz.one(T.service).inputs.networkConfiguration.subnets.length, 3);
            assert.strictEqual(runs.gatewayPerAz.one(T.alb).inputs.subnets.length, 3);
        });

        it("instance: a Graviton NAT instance that forwards, routes of every task subnet through its interface", () => {
            const run = runs.instance;
            assert.strictEqual(run.one(T.vpc).inputs.natGateways.strategy, "None");
            assert.strictEqual(run.one(T.vpc).inputs.cidrBlock, "10.20.0.0/16");
            const instance = run.one(T.instance);
            assert.strictEqual(instance.inputs.sourceDestCheck, false);
            assert.strictEqual(instance.inputs.instanceType, "t4g.nano");
            assert.strictEqual(instance.inputs.subnetId, "subnet-public1");
            assert.strictEqual(instance.inputs.associatePublicIpAddress, true);
            assert.match(instance.inputs.userData, /-s 10\.20\.0\.0\/16 -j MASQUERADE/);
            const routes = run.byType(T.route).map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock, r.inputs.networkInterfaceId]);
            assert.deepStrictEqual(routes, [
                ["rtb-subnet-isolated1", "0.0.0.0/0", "eni-postgrest-nat"],
                ["rtb-subnet-isolated2", "0.0.0.0/0", "eni-postgrest-nat"],
            ]);
            const network = run.one(T.service).inputs.networkConfiguration;
            assert.deepStrictEqual(network.subnets, ["subnet-isolated1", "subnet-isolated2"]);
            assert.strictEqual(network.assignPublicIp, false);
        });

        it("existing: no VPC created; the given subnets and VPC are used", () => {
            const run = runs.existing;
            assert.strictEqual(run.byType(T.vpc).length, 0);
            assert.deepStrictEqual(run.one(T.alb).inputs.subnets, AWS_EXISTING_NETWORK.publicSubnetIds);
            assert.deepStrictEqual(run.one(T.service).inputs.networkConfiguration.subnets, AWS_EXISTING_NETWORK.taskSubnetIds);
            assert.strictEqual(run.one(T.service).inputs.networkConfiguration.assignPublicIp, false);
            assert.deepStrictEqual(
                [...new Set([...run.byType(T.sg), run.one(T.targetGroup)].map((r) => r.inputs.vpcId))],
                [AWS_EXISTING_NETWORK.vpcId],
            );
            assert.strictEqual(run.outputs.details.vpcId, AWS_EXISTING_NETWORK.vpcId);
        });
    });

    describe("security groups: the chain and nothing more", () => {
        it("HTTP, database anywhere", () => {
            assert.deepStrictEqual(ruleSet(runs.none), [...CHAIN, "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/5432-5432"].sort());
        });

        it("HTTPS and the database's group: 443 on the ALB, database port only to and from that group", () => {
            assert.deepStrictEqual(
                ruleSet(runs.existing),
                [
                    ...CHAIN,
                    "sg-postgrest-sg-alb from 0.0.0.0/0 tcp/443-443",
                    `sg-postgrest-sg-tasks to ${DB_SG} tcp/6543-6543`,
                    `${DB_SG} from sg-postgrest-sg-tasks tcp/6543-6543`,
                ].sort(),
            );
        });

        it("NAT instance: accepts only the tasks, on the ports they use", () => {
            assert.deepStrictEqual(
                ruleSet(runs.instance),
                [
                    ...CHAIN,
                    "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/5432-5432",
                    "sg-postgrest-nat-sg from sg-postgrest-sg-tasks tcp/443-443",
                    "sg-postgrest-nat-sg from sg-postgrest-sg-tasks tcp/5432-5432",
                    "sg-postgrest-nat-sg to 0.0.0.0/0 tcp/443-443",
                    "sg-postgrest-nat-sg to 0.0.0.0/0 tcp/5432-5432",
                ].sort(),
            );
        });
    });

    describe("load balancer", () => {
        it("HTTP only without a certificate: one listener forwarding, an http url", () => {
            const listener = runs.none.one(T.listener).inputs;
            assert.deepStrictEqual([listener.port, listener.protocol, listener.defaultActions[0].type], [80, "HTTP", "forward"]);
            assert.strictEqual(runs.none.outputs.url, "http://postgrest-lb-1234567890.us-east-1.elb.amazonaws.com");
        });

        it("with a certificate: HTTPS with a TLS 1.2+ policy, HTTP redirects to it, the url is https on the domain", () => {
            const listeners = runs.existing.byType(T.listener).map((l) => l.inputs);
            const http = listeners.find((l) => l.port === 80)!;
            const https = listeners.find((l) => l.port === 443)!;
            assert.deepStrictEqual(http.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            assert.deepStrictEqual(
                [https.protocol, https.sslPolicy, https.certificateArn, https.defaultActions[0].type],
                ["HTTPS", TLS_POLICY, CERT, "forward"],
            );
            assert.strictEqual(runs.existing.outputs.url, "https://api.example.com");
        });

        it("tells PostgREST its public URL, so the OpenAPI document names it rather than the container's address", () => {
            for (const run of [runs.none, runs.existing]) {
                const env = Object.fromEntries(containerOf(run).environment.map((e: { name: string; value: string }) => [e.name, e.value]));
                assert.strictEqual(env.PGRST_OPENAPI_SERVER_PROXY_URI, run.outputs.url);
            }
            assert.strictEqual(runs.existing.outputs.details.loadBalancerDnsName, "postgrest-lb-1234567890.us-east-1.elb.amazonaws.com");
        });
    });

    describe("task and service", () => {
        it("runs the default image on Graviton, non-root, read-only", () => {
            const task = runs.none.one(T.taskDefinition).inputs;
            assert.deepStrictEqual(
                [task.cpu, task.memory, task.runtimePlatform.cpuArchitecture, task.networkMode],
                ["256", "512", "ARM64", "awsvpc"],
            );
            const container = containerOf(runs.none);
            assert.strictEqual(container.image, "postgrest/postgrest:v16.2");
            assert.strictEqual(container.user, "1000");
            assert.strictEqual(container.readonlyRootFilesystem, true);
            const env = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
            assert.strictEqual(env.PGRST_ADMIN_SERVER_PORT, "3001");
            assert.strictEqual(env.PGRST_DB_ANON_ROLE, "web_anon");
            assert.strictEqual(container.logConfiguration.options["awslogs-group"], runs.none.outputs.details.logGroup);
            assert.strictEqual(runs.none.one(T.logGroup).inputs.retentionInDays, 30);
        });

        it("an older, non-default image: x86_64", () => {
            const task = runs.fixed.one(T.taskDefinition).inputs;
            assert.deepStrictEqual([task.cpu, task.memory, task.runtimePlatform.cpuArchitecture], ["512", "2048", "X86_64"]);
        });

        it("stores PGRST_DB_URI with the authenticator's URL-encoded password, as secret inputs", () => {
            // Under mocks a secret input arrives wrapped with Pulumi's secret signature.
            const values = runs.existing.byType(T.secretVersion).map((v) => {
                assert.strictEqual(v.inputs.secretString[SECRET_SIGNATURE_KEY], SECRET_SIGNATURE, `${v.name} is not a secret input`);
                return v.inputs.secretString.value;
            });
            assert.deepStrictEqual(
                values.sort(),
                [
                    JWT_SECRET,
                    `postgresql://authenticator:${encodeURIComponent(AUTHENTICATOR_PASSWORD)}@startup.abc123xyz.us-east-1.rds.amazonaws.com:6543/startup?sslmode=require`,
                ].sort(),
            );
            // Auto-named, so a destroy/up cycle never meets a secret still in its recovery window.
            for (const secret of runs.existing.byType(T.secret)) assert.strictEqual(secret.inputs.name, undefined);
        });

        it("deploys safely: circuit breaker with rollback, waits for steady state, min tasks running", () => {
            const service = runs.none.one(T.service).inputs;
            assert.deepStrictEqual(service.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.strictEqual(service.waitForSteadyState, true);
            assert.strictEqual(service.desiredCount, 1);
            assert.strictEqual(service.deploymentMaximumPercent, 200);
            assert.strictEqual(service.loadBalancers[0].containerPort, 3000);
            assert.strictEqual(runs.none.outputs.serviceName, "postgrest-service");
        });

        it("starts tasks only once the execution role's policies are attached (image pull, GetSecretValue)", () => {
            const waitsFor = runs.none.one(T.service).dependencies ?? [];
            for (const [type, name] of [
                ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "postgrest-service-execution"],
                ["aws:iam/rolePolicy:RolePolicy", "postgrest-service-read-secrets"],
            ]) {
                assert.ok(
                    waitsFor.some((urn) => urn.endsWith(`${type}::${name}`)),
                    `${type} ${name} not in ${waitsFor.join(", ")}`,
                );
            }
        });

        it("scales between min and max on CPU and on ALB requests per task", () => {
            const target = runs.none.one(T.scalingTarget).inputs;
            assert.deepStrictEqual(
                [target.minCapacity, target.maxCapacity, target.resourceId],
                [1, 2, "service/postgrest-service/postgrest-service"],
            );
            const policies = runs.none.byType(T.scalingPolicy).map((p) => p.inputs.targetTrackingScalingPolicyConfiguration);
            assert.deepStrictEqual(
                policies.map((p) => [p.predefinedMetricSpecification.predefinedMetricType, p.targetValue]),
                [
                    ["ECSServiceAverageCPUUtilization", 60],
                    ["ALBRequestCountPerTarget", 3000],
                ],
            );
            assert.strictEqual(
                policies[1].predefinedMetricSpecification.resourceLabel,
                "app/postgrest-lb/50dc6c495c0c9188/targetgroup/postgrest-lb-tasks/73e2d6bc24d8a067",
            );
        });

        it("autoscaling owns the desired count when it has a target: a deploy leaves the running count alone", () => {
            assert.deepStrictEqual(runs.none.one(T.service).options?.ignoreChanges, ["desiredCount"]);
        });

        it("no autoscaling when min equals max, and the configured count is managed so a change takes effect", () => {
            assert.strictEqual(runs.fixed.byType(T.scalingTarget).length + runs.fixed.byType(T.scalingPolicy).length, 0);
            const service = runs.fixed.one(T.service);
            assert.strictEqual(service.inputs.desiredCount, 2);
            assert.deepStrictEqual(service.options?.ignoreChanges, []);
        });
    });
});
