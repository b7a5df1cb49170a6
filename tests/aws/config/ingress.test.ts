import * as assert from "assert";
import { baseConfig, configProblems, parseStackConfig } from "../../../testing/harness";
import { isApplicationListenerArn, loadBalancerArnSuffixOfListener } from "../../../components/aws/config/ingress";

type Config = Record<string, unknown>;
const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2";
const SHARED = { listenerArn: LISTENER, securityGroupId: "sg-0123456789abcdef0", host: "api.example.com", priority: 100 };
const CAPPED = { maxInstances: 2, settings: { "db-max-rows": 1000 } };
const EXISTING = { mode: "existing", vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"] };
const stack = (aws: Config, service: Config = CAPPED): Config => ({ ...baseConfig("aws"), aws, service });
const shared = (block: Config): Config => stack({ ingress: "shared-load-balancer", network: EXISTING, sharedLoadBalancer: block });

/** Each bad config, the one key its problem names and what the message says. */
const refused: { name: string; config: Config; key: string; says: RegExp }[] = [
    {
        name: "an unknown front door",
        config: stack({ ingress: "api-gateway" }),
        key: "aws.ingress",
        says: /not one of load-balancer, shared-load-balancer, http-api/,
    },
    {
        name: "a shared load balancer without its block",
        config: stack({ ingress: "shared-load-balancer", network: EXISTING }),
        key: "aws.sharedLoadBalancer",
        says: /is required with ingress: shared-load-balancer/,
    },
    {
        name: "a shared load balancer in a VPC created here",
        config: stack({ ingress: "shared-load-balancer", sharedLoadBalancer: SHARED }),
        key: "aws.network.mode",
        says: /needs the tasks in the shared load balancer's VPC/,
    },
    {
        name: "the shared block with the stack's own load balancer",
        config: stack({ sharedLoadBalancer: SHARED }),
        key: "aws.sharedLoadBalancer",
        says: /applies only to ingress: shared-load-balancer, and ingress is load-balancer/,
    },
    {
        name: "a Network Load Balancer listener",
        config: shared({ ...SHARED, listenerArn: LISTENER.replace("/app/", "/net/") }),
        key: "aws.sharedLoadBalancer.listenerArn",
        says: /not an Application Load Balancer listener ARN/,
    },
    {
        name: "a rule matching every request of the shared listener",
        config: shared({ ...SHARED, host: undefined }),
        key: "aws.sharedLoadBalancer",
        says: /needs host, pathPrefix or both/,
    },
    {
        name: "a path prefix with a wildcard",
        config: shared({ ...SHARED, pathPrefix: "/api/*" }),
        key: "aws.sharedLoadBalancer.pathPrefix",
        says: /not a path prefix such as \/api/,
    },
    {
        name: "a rule priority ELB refuses",
        config: shared({ ...SHARED, priority: 50001 }),
        key: "aws.sharedLoadBalancer.priority",
        says: /50000/,
    },
    {
        name: "a certificate of the stack's own with a shared listener",
        config: {
            ...shared(SHARED),
            aws: { ingress: "shared-load-balancer", network: EXISTING, sharedLoadBalancer: SHARED, domainName: "api.example.com" },
        },
        key: "aws.domainName",
        says: /the shared listener has its certificate and name/,
    },
    {
        name: "an HTTP API without a row cap (10 MB payload)",
        config: stack({ ingress: "http-api" }, { maxInstances: 2 }),
        key: "service.settings.db-max-rows",
        says: /API Gateway refuses responses over 10 MB/,
    },
    {
        name: "a pool wait as long as the HTTP API's 30 s integration timeout",
        config: stack({ ingress: "http-api" }, { maxInstances: 2, settings: { "db-max-rows": 1000, "db-pool-acquisition-timeout": 30 } }),
        key: "service.settings.db-pool-acquisition-timeout",
        says: /under API Gateway's 30 s integration timeout/,
    },
    {
        name: "HTTP API throttling above the account's limit",
        config: stack({ ingress: "http-api", httpApi: { burstLimit: 6000 } }),
        key: "aws.httpApi.burstLimit",
        says: /5000/,
    },
    {
        name: "throttling with the stack's own load balancer",
        config: stack({ httpApi: { rateLimit: 10 } }),
        key: "aws.httpApi",
        says: /applies only to ingress: http-api/,
    },
    {
        name: "Fargate Spot with ARM64, naming both keys",
        config: stack({ cpuArchitecture: "ARM64" }, { maxInstances: 2, capacity: "spot" }),
        key: "aws.cpuArchitecture",
        says: /is ARM64, and postgrest:service.capacity is spot: Fargate Spot runs only X86_64 tasks/,
    },
    {
        name: "an on-demand base without spot",
        config: stack({}, { maxInstances: 2, onDemandBase: 1 }),
        key: "service.onDemandBase",
        says: /applies only to capacity: spot/,
    },
    {
        name: "an on-demand base above maxInstances",
        config: stack({}, { maxInstances: 2, capacity: "spot", onDemandBase: 3 }),
        key: "service.onDemandBase",
        says: /exceeds maxInstances/,
    },
    {
        name: "spot capacity on Cloud Run",
        config: { ...baseConfig("gcp"), service: { maxInstances: 2, capacity: "spot" } },
        key: "service.capacity",
        says: /applies only on AWS/,
    },
];

describe("aws: ingress and capacity config", () => {
    for (const { name, config, key, says } of refused) {
        it(`refuses ${name}, naming postgrest:${key}`, () => {
            const problems = configProblems(config);
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`postgrest:${key}: `), problems[0]);
            assert.match(problems[0], says);
            assert.match(problems[0], /Example: \S/);
        });
    }

    it("defaults to the stack's own load balancer and on-demand capacity", () => {
        const parsed = parseStackConfig(stack({}));
        assert.ok(parsed.cloud === "aws");
        assert.deepStrictEqual(parsed.aws.ingress, { type: "load-balancer" });
        assert.strictEqual(parsed.service.capacity, "on-demand");
        assert.strictEqual(parsed.service.onDemandBase, 0);
        assert.strictEqual(parsed.aws.cpuArchitecture, "ARM64");
    });

    it("reads the shared listener's rule and the HTTP API's throttling", () => {
        const rule = parseStackConfig(shared({ ...SHARED, pathPrefix: "/api" }));
        assert.ok(rule.cloud === "aws");
        assert.deepStrictEqual(rule.aws.ingress, { type: "shared-load-balancer", ...SHARED, pathPrefix: "/api" });
        const api = parseStackConfig(stack({ ingress: "http-api", httpApi: { rateLimit: 20 } }));
        assert.ok(api.cloud === "aws");
        assert.deepStrictEqual(api.aws.ingress, { type: "http-api", throttling: { rateLimit: 20, burstLimit: 200 } });
    });

    it("spot makes X86_64 the default architecture, the official image's ARM64 default notwithstanding", () => {
        const parsed = parseStackConfig(stack({}, { maxInstances: 2, capacity: "spot", onDemandBase: 1 }));
        assert.ok(parsed.cloud === "aws");
        assert.strictEqual(parsed.aws.cpuArchitecture, "X86_64");
        assert.strictEqual(parsed.service.onDemandBase, 1);
    });

    it("tells an ALB listener ARN from others, and takes the load balancer part of it", () => {
        assert.ok(isApplicationListenerArn(LISTENER));
        assert.ok(!isApplicationListenerArn(LISTENER.replace("listener/", "listener-rule/")));
        assert.strictEqual(loadBalancerArnSuffixOfListener(LISTENER), "app/shared/50dc6c495c0c9188");
    });
});
