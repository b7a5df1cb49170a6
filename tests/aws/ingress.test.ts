import * as assert from "assert";
import { AWS_EXISTING_NETWORK } from "../../testing/stack-configs";
import { RegisteredResource, baseConfig } from "../../testing/harness";
import { MOCK_SHARED_LISTENER_ARN, MOCK_SHARED_LOAD_BALANCER_SG, MOCK_VPC_ID } from "../../testing/mocks/aws";
import { discoveryNamespaceName } from "../../components/aws/http-api";
import { awsHealthChecks } from "../../components/aws/health";
import { listenerRuleConditions, pathPrefixRewrite, sharedListenerProblems, sharedListenerUrl } from "../../components/aws/shared-load-balancer";
import { AwsRun, runAws } from "../../testing/run-component";

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    certificate: "aws:acm/certificate:Certificate",
    record: "aws:route53/record:Record",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    capacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    api: "aws:apigatewayv2/api:Api",
    vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
    integration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    stage: "aws:apigatewayv2/stage:Stage",
    domain: "aws:apigatewayv2/domainName:DomainName",
    mapping: "aws:apigatewayv2/apiMapping:ApiMapping",
    namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    discovery: "aws:servicediscovery/service:Service",
};

const EXISTING = AWS_EXISTING_NETWORK;
const SHARED = {
    listenerArn: MOCK_SHARED_LISTENER_ARN,
    securityGroupId: MOCK_SHARED_LOAD_BALANCER_SG,
    host: "api.example.com",
    pathPrefix: "/v1",
    priority: 120,
};
const CAPPED = { maxInstances: 2, settings: { "db-max-rows": 1000 } };
const stack = (aws: Record<string, unknown>, service: Record<string, unknown> = CAPPED) => ({ ...baseConfig("aws"), aws, service });

/** Every security group rule, as "group direction peer port". */
function ruleSet(run: AwsRun): string[] {
    const describeRule = (direction: string) => (r: RegisteredResource) =>
        `${r.inputs.securityGroupId} ${direction} ${r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4} ${r.inputs.ipProtocol}/${r.inputs.fromPort}-${r.inputs.toPort}`;
    return [...run.byType(T.ingress).map(describeRule("from")), ...run.byType(T.egress).map(describeRule("to"))].sort();
}

/** The tasks admit no address range, only the front door's group, on PostgREST's ports. */
function assertOnlyGroupReachesTasks(run: AwsRun, front: string): void {
    const toTasks = run.byType(T.ingress).filter((r) => r.inputs.securityGroupId === "sg-postgrest-sg-tasks");
    assert.ok(toTasks.length > 0);
    for (const rule of toTasks) {
        assert.strictEqual(rule.inputs.cidrIpv4, undefined, rule.name);
        assert.strictEqual(rule.inputs.cidrIpv6, undefined, rule.name);
        assert.strictEqual(rule.inputs.referencedSecurityGroupId, front, rule.name);
    }
}

describe("aws: front doors (aws.ingress) under mocks", function () {
    const runs: Record<string, AwsRun> = {};
    before(async () => {
        runs.own = await runAws(stack({}));
        runs.shared = await runAws(stack({ ingress: "shared-load-balancer", network: EXISTING, sharedLoadBalancer: SHARED }));
        runs.httpApi = await runAws(stack({ ingress: "http-api", httpApi: { rateLimit: 25, burstLimit: 50 } }));
        runs.httpApiDomain = await runAws(
            stack({ ingress: "http-api", network: EXISTING, domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        );
        runs.spot = await runAws(stack({ ingress: "http-api" }, { ...CAPPED, capacity: "spot", onDemandBase: 1 }));
    });

    it("http-api: the alarms watch the API by its id, beside the service's CPU and memory", () => {
        const run = runs.httpApi;
        const apiId = run.one(T.api).id;
        const alarms = run.byType("aws:cloudwatch/metricAlarm:MetricAlarm");
        const dimensionsOf = (name: string) =>
            alarms.find((a) => a.name.endsWith(name))!.inputs.metricQueries.flatMap((q: any) => (q.metric ? [q.metric.dimensions] : []));
        assert.deepStrictEqual(dimensionsOf("api-5xx-rate"), [{ ApiId: apiId }, { ApiId: apiId }]);
        assert.deepStrictEqual(alarms.map((a) => a.name.replace(/^.*-monitoring-/, "")).sort(), [
            "api-5xx-rate",
            "cpu-high",
            "memory-high",
            "p95-latency",
        ]);
    });

    it("load-balancer (the default) keeps its load balancer, its group open to the internet on 80, and the tasks behind it", () => {
        const run = runs.own;
        assert.strictEqual(run.byType(T.alb).length, 1);
        assert.strictEqual(run.byType(T.listenerRule).length, 0);
        assert.strictEqual(run.byType(T.api).length, 0);
        assertOnlyGroupReachesTasks(run, "sg-postgrest-sg-alb");
        assert.strictEqual(run.one(T.service).inputs.launchType, "FARGATE");
        assert.strictEqual(run.byType(T.capacityProviders).length, 0);
    });

    describe("shared-load-balancer", () => {
        it("adds a target group and one rule on the shared listener, and no load balancer, listener or certificate", () => {
            const run = runs.shared;
            for (const type of [T.alb, T.listener, T.certificate, T.api]) assert.strictEqual(run.byType(type).length, 0, type);
            const rule = run.one(T.listenerRule).inputs;
            assert.strictEqual(rule.listenerArn, MOCK_SHARED_LISTENER_ARN);
            assert.strictEqual(rule.priority, 120);
            assert.deepStrictEqual(rule.conditions, [{ hostHeader: { values: ["api.example.com"] } }, { pathPattern: { values: ["/v1", "/v1/*"] } }]);
            assert.deepStrictEqual(rule.actions, [
                { type: "forward", targetGroupArn: run.one(T.targetGroup).inputs.__arn ?? rule.actions[0].targetGroupArn },
            ]);
            assert.match(rule.actions[0].targetGroupArn, /targetgroup\/postgrest-route-tasks\//);
            const targetGroup = run.one(T.targetGroup).inputs;
            assert.strictEqual(targetGroup.vpcId, MOCK_VPC_ID);
            assert.deepStrictEqual([targetGroup.targetType, targetGroup.healthCheck.path, targetGroup.healthCheck.port], ["ip", "/ready", "3001"]);
        });

        it("admits only the shared load balancer's group to the tasks, on the API and health check ports", () => {
            const run = runs.shared;
            assert.deepStrictEqual(ruleSet(run), [
                `${MOCK_SHARED_LOAD_BALANCER_SG} to sg-postgrest-sg-tasks tcp/3000-3000`,
                `${MOCK_SHARED_LOAD_BALANCER_SG} to sg-postgrest-sg-tasks tcp/3001-3001`,
                `sg-postgrest-sg-tasks from ${MOCK_SHARED_LOAD_BALANCER_SG} tcp/3000-3000`,
                `sg-postgrest-sg-tasks from ${MOCK_SHARED_LOAD_BALANCER_SG} tcp/3001-3001`,
                "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/443-443",
                "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/5432-5432",
            ]);
            assertOnlyGroupReachesTasks(run, MOCK_SHARED_LOAD_BALANCER_SG);
            assert.deepStrictEqual(
                run.byType(T.sg).map((g) => g.name),
                ["postgrest-sg-tasks"],
            );
        });

        it("serves at the shared listener's scheme, the rule's host and prefix, and scales on the shared load balancer's request count", () => {
            const run = runs.shared;
            assert.strictEqual(run.outputs.url, "https://api.example.com/v1");
            const service = run.one(T.service).inputs;
            assert.strictEqual(service.loadBalancers[0].containerPort, 3000);
            assert.strictEqual(service.serviceRegistries, undefined);
            const requests = run.byType(T.scalingPolicy).find((p) => p.name.endsWith("-requests"))!;
            assert.match(
                requests.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel,
                /^app\/shared\/50dc6c495c0c9188\/targetgroup\/postgrest-route-tasks\//,
            );
        });
    });

    describe("http-api", () => {
        it("builds the HTTP API, its VPC link in the task subnets and a Cloud Map service of SRV records, with no load balancer", () => {
            const run = runs.httpApi;
            for (const type of [T.alb, T.listener, T.listenerRule, T.targetGroup]) assert.strictEqual(run.byType(type).length, 0, type);
            assert.strictEqual(run.one(T.api).inputs.protocolType, "HTTP");
            const link = run.one(T.vpcLink).inputs;
            assert.deepStrictEqual(link.securityGroupIds, ["sg-postgrest-sg-vpc-link"]);
            assert.deepStrictEqual(link.subnetIds, ["subnet-public1", "subnet-public2"]);
            const namespace = run.one(T.namespace).inputs;
            assert.strictEqual(namespace.name, discoveryNamespaceName("postgrest", "test"));
            const discovery = run.one(T.discovery).inputs;
            assert.deepStrictEqual(discovery.dnsConfig.dnsRecords, [{ type: "SRV", ttl: 10 }]);
            const integration = run.one(T.integration).inputs;
            assert.deepStrictEqual(
                [integration.integrationType, integration.connectionType, integration.connectionId, integration.timeoutMilliseconds],
                ["HTTP_PROXY", "VPC_LINK", "postgrest-api-id", 30000],
            );
            assert.match(integration.integrationUri, /^arn:aws:servicediscovery:.*service\/srv-postgrest-api$/);
            assert.strictEqual(run.one(T.route).inputs.routeKey, "$default");
            const stage = run.one(T.stage).inputs;
            assert.deepStrictEqual([stage.name, stage.autoDeploy], ["$default", true]);
            assert.deepStrictEqual(stage.defaultRouteSettings, { throttlingRateLimit: 25, throttlingBurstLimit: 50 });
            assert.strictEqual(run.outputs.url, "https://postgrest-api-a1b2c3.execute-api.us-east-1.amazonaws.com");
        });

        it("registers the tasks in Cloud Map with their port, without load balancer settings, and scales on CPU only", () => {
            const service = runs.httpApi.one(T.service).inputs;
            assert.match(service.serviceRegistries.registryArn, /service\/srv-postgrest-api$/);
            assert.strictEqual(service.serviceRegistries.port, 3000);
            assert.strictEqual(service.loadBalancers, undefined);
            assert.strictEqual(service.healthCheckGracePeriodSeconds, undefined);
            // No target group to wait for: the container's --ready check is the readiness a deploy waits for.
            const [container] = JSON.parse(runs.httpApi.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions);
            assert.deepStrictEqual(container.healthCheck, awsHealthChecks(16).containerHealthCheck);
            assert.deepStrictEqual(
                runs.httpApi.byType(T.scalingPolicy).map((p) => p.name),
                ["postgrest-service-cpu"],
            );
        });

        it("admits only the VPC link's group to the tasks, on PostgREST's port; nothing is open to the internet", () => {
            const run = runs.httpApi;
            assert.deepStrictEqual(ruleSet(run), [
                "sg-postgrest-sg-tasks from sg-postgrest-sg-vpc-link tcp/3000-3000",
                "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/443-443",
                "sg-postgrest-sg-tasks to 0.0.0.0/0 tcp/5432-5432",
                "sg-postgrest-sg-vpc-link to sg-postgrest-sg-tasks tcp/3000-3000",
            ]);
            assertOnlyGroupReachesTasks(run, "sg-postgrest-sg-vpc-link");
        });

        it("with domainName and hostedZoneId: a DNS-validated certificate, the custom domain, its alias, and the default endpoint off", () => {
            const run = runs.httpApiDomain;
            assert.strictEqual(run.byType(T.certificate).length, 1);
            const domain = run.one(T.domain).inputs;
            assert.strictEqual(domain.domainName, "api.example.com");
            assert.deepStrictEqual(
                [domain.domainNameConfiguration.endpointType, domain.domainNameConfiguration.securityPolicy],
                ["REGIONAL", "TLS_1_2"],
            );
            assert.match(domain.domainNameConfiguration.certificateArn, /^arn:aws:acm:/);
            assert.strictEqual(run.one(T.mapping).inputs.domainName, "api.example.com");
            const alias = run.byType(T.record).find((r) => r.inputs.type === "A")!;
            assert.strictEqual(alias.inputs.aliases[0].name, "d-0a1b2c3d4e.execute-api.us-east-1.amazonaws.com");
            assert.strictEqual(run.one(T.api).inputs.disableExecuteApiEndpoint, true);
            assert.strictEqual(run.outputs.url, "https://api.example.com");
            assert.deepStrictEqual(run.one(T.vpcLink).inputs.subnetIds, EXISTING.taskSubnetIds);
        });
    });

    describe("service.capacity spot", () => {
        it("runs onDemandBase tasks on FARGATE and the rest on FARGATE_SPOT, both providers on the cluster, on X86_64", () => {
            const run = runs.spot;
            const service = run.one(T.service).inputs;
            assert.strictEqual(service.launchType, undefined);
            assert.deepStrictEqual(service.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 1, weight: 0 },
                { capacityProvider: "FARGATE_SPOT", weight: 1 },
            ]);
            assert.strictEqual(service.forceNewDeployment, true);
            assert.deepStrictEqual(run.one(T.capacityProviders).inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.strictEqual(run.one(T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "X86_64");
        });
    });
});

describe("aws: shared listener rules (pure)", () => {
    it("matches the host, the prefix and everything under it", () => {
        assert.deepStrictEqual(listenerRuleConditions({ pathPrefix: "/api" }), [{ pathPattern: { values: ["/api", "/api/*"] } }]);
        assert.deepStrictEqual(listenerRuleConditions({ host: "a.example.com" }), [{ hostHeader: { values: ["a.example.com"] } }]);
    });

    it("cuts the prefix off the path PostgREST sees, keeping the query", () => {
        const { regex, replace } = (pathPrefixRewrite("/v1.0").urlRewriteConfig as { rewrite: { regex: string; replace: string } }).rewrite;
        const rewrite = (url: string) => url.replace(new RegExp(regex), replace.replace("$1", "$$1"));
        assert.strictEqual(rewrite("/v1.0/trees?id=eq.1"), "/trees?id=eq.1");
        assert.strictEqual(rewrite("/v1.0"), "/");
        assert.strictEqual(rewrite("/v1x0/trees"), "/v1x0/trees");
    });

    it("builds the URL from the listener's scheme and port", () => {
        const listener = { protocol: "HTTP", port: 8080, loadBalancerDnsName: "lb.example" };
        assert.strictEqual(sharedListenerUrl({}, listener), "http://lb.example:8080");
        assert.strictEqual(
            sharedListenerUrl({ host: "api.example.com", pathPrefix: "/v1" }, { ...listener, protocol: "HTTPS", port: 443 }),
            "https://api.example.com/v1",
        );
    });

    it("refuses a listener whose load balancer is in another VPC than the tasks, naming the key", () => {
        const problems = sharedListenerProblems(
            { protocol: "HTTPS", port: 443, loadBalancerDnsName: "x", loadBalancerVpcId: "vpc-0aaaaaaaaaaaaaaaa" },
            MOCK_VPC_ID,
        );
        assert.deepStrictEqual(
            problems.map((p) => p.field),
            ["sharedLoadBalancer.listenerArn"],
        );
        assert.deepStrictEqual(
            sharedListenerProblems({ protocol: "HTTPS", port: 443, loadBalancerDnsName: "x", loadBalancerVpcId: MOCK_VPC_ID }, MOCK_VPC_ID),
            [],
        );
    });

    it("names the Cloud Map namespace per stack, as one DNS label", () => {
        assert.strictEqual(discoveryNamespaceName("postgrest", "Dev_EU/1"), "postgrest-dev-eu-1.internal");
        assert.ok(discoveryNamespaceName("p", "x".repeat(100)).split(".")[0].length <= 63);
    });
});
