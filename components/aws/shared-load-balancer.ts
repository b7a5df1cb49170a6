/**
 * A route on an Application Load Balancer the user already runs: this stack's target group and one rule on
 * the user's listener, matching a host and/or a path prefix. No load balancer, listener or certificate of
 * its own: those, and their hourly price, belong to the shared load balancer.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SharedLoadBalancer, loadBalancerArnSuffixOfListener } from "./config/ingress";
import { throwCloudAnswerProblems } from "./preflight";
import { taskTargetGroupArgs } from "./load-balancer";

export interface SharedLoadBalancerRouteArgs {
    /** The validated `aws.sharedLoadBalancer` block. @default none, required */
    shared: SharedLoadBalancer;
    /** VPC of the target group: the shared load balancer's. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Config key of the `aws` block, for the problems the cloud's answers raise. @default none, required */
    configKey: string;
}

/** What the listener's own description says: its protocol and port, and its load balancer's name and VPC. */
export interface DescribedListener {
    protocol: string;
    port: number;
    loadBalancerDnsName: string;
    loadBalancerVpcId: string;
}

export class SharedLoadBalancerRoute extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    /** The shared load balancer's DNS name, the target of the user's record for `host`. */
    public readonly dnsName: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    public readonly requestCountResourceLabel: pulumi.Output<string>;
    /** The rule that forwards to the target group; ECS needs it before it registers targets. */
    public readonly forwardingRule: aws.lb.ListenerRule;

    constructor(name: string, args: SharedLoadBalancerRouteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:SharedLoadBalancerRoute", name, {}, opts);
        const parent = { parent: this };
        const { shared } = args;

        const listener = aws.lb.getListenerOutput({ arn: shared.listenerArn }, parent);
        const described = listener.apply((l) =>
            aws.lb.getLoadBalancerOutput({ arn: l.loadBalancerArn }, parent).apply((lb): DescribedListener => ({
                protocol: l.protocol,
                port: l.port,
                loadBalancerDnsName: lb.dnsName,
                loadBalancerVpcId: lb.vpcId,
            })),
        );
        // The targets register by IP in the tasks' VPC; a load balancer elsewhere could not reach them, so preview fails, naming the key.
        const checked = pulumi.all([described, args.vpcId]).apply(([d, vpcId]) => {
            throwCloudAnswerProblems(sharedListenerProblems(d, vpcId), args.configKey);
            if (d.protocol !== "HTTPS")
                pulumi.log.warn(
                    `The shared listener serves ${d.protocol}: bearer tokens (JWTs) travel in clear text; add the rule to its HTTPS listener.`,
                    this,
                );
            return d;
        });

        const targetGroup = new aws.lb.TargetGroup(`${name}-tasks`, { ...taskTargetGroupArgs(checked.apply((d) => d.loadBalancerVpcId)) }, parent);
        this.forwardingRule = new aws.lb.ListenerRule(
            `${name}`,
            {
                listenerArn: shared.listenerArn,
                priority: shared.priority,
                conditions: listenerRuleConditions(shared),
                actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                transforms: shared.pathPrefix ? [pathPrefixRewrite(shared.pathPrefix)] : undefined,
            },
            parent,
        );

        this.url = checked.apply((d) => sharedListenerUrl(shared, d));
        this.dnsName = checked.apply((d) => d.loadBalancerDnsName);
        this.targetGroupArn = targetGroup.arn;
        this.requestCountResourceLabel = pulumi.interpolate`${loadBalancerArnSuffixOfListener(shared.listenerArn)}/${targetGroup.arnSuffix}`;
        this.registerOutputs({ url: this.url, targetGroupArn: this.targetGroupArn });
    }
}

/** The rule's conditions: the host header, the path prefix (itself and everything under it), or both. */
export function listenerRuleConditions(shared: Pick<SharedLoadBalancer, "host" | "pathPrefix">): aws.types.input.lb.ListenerRuleCondition[] {
    return [
        ...(shared.host ? [{ hostHeader: { values: [shared.host] } }] : []),
        ...(shared.pathPrefix ? [{ pathPattern: { values: [shared.pathPrefix, `${shared.pathPrefix}/*`] } }] : []),
    ];
}

/**
 * PostgREST serves its API at the root, so the prefix is cut before the request reaches it: `/api/trees?id=eq.1`
 * becomes `/trees?id=eq.1` (url-rewrite transform, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-transforms.html).
 */
export function pathPrefixRewrite(pathPrefix: string): aws.types.input.lb.ListenerRuleTransform {
    const escaped = pathPrefix.replace(/[.\\^$|?*+()[\]{}-]/g, "\\$&");
    return { type: "url-rewrite", urlRewriteConfig: { rewrite: { regex: `^${escaped}/?(.*)$`, replace: "/$1" } } };
}

/** The API's URL through the shared listener: its scheme and port, the rule's host (else the load balancer's name), the prefix. */
export function sharedListenerUrl(
    shared: Pick<SharedLoadBalancer, "host" | "pathPrefix">,
    listener: Pick<DescribedListener, "protocol" | "port" | "loadBalancerDnsName">,
): string {
    const scheme = listener.protocol === "HTTPS" ? "https" : "http";
    const defaultPort = scheme === "https" ? 443 : 80;
    const port = listener.port === defaultPort ? "" : `:${listener.port}`;
    return `${scheme}://${shared.host ?? listener.loadBalancerDnsName}${port}${shared.pathPrefix ?? ""}`;
}

/** What the listener's description says against the stack: an HTTP(S) listener of a load balancer in the tasks' VPC. */
export function sharedListenerProblems(listener: DescribedListener, tasksVpcId: string) {
    const problems: { field: string; problem: string; example: string }[] = [];
    if (listener.loadBalancerVpcId !== tasksVpcId) {
        problems.push({
            field: "sharedLoadBalancer.listenerArn",
            problem: `is a listener of a load balancer in ${listener.loadBalancerVpcId}, and the tasks run in ${tasksVpcId}; its targets must be in its VPC`,
            example: `network: { mode: existing, vpcId: ${listener.loadBalancerVpcId}, publicSubnetIds: [...] }`,
        });
    }
    return problems;
}
