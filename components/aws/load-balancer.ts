/**
 * The internet-facing Application Load Balancer: HTTP, or with a certificate
 * HTTPS plus an HTTP → HTTPS redirect; one target group of type ip (awsvpc
 * tasks), health-checked on PostgREST's admin server.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HTTPS_PORT, HTTP_PORT, SERVER_PORT } from "../postgrest/ports";
import { TARGET_GROUP_HEALTH_CHECK } from "./health";

// TLS 1.3 and 1.2 with forward-secret ciphers only: the console's default policy (ELB user guide,
// "Security policies for your Application Load Balancer"); the API's default, ELBSecurityPolicy-2016-08, allows TLS 1.0.
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

/** Seconds a stopping task keeps its in-flight requests: PostgREST answers in milliseconds, so deploys need not wait the default 300. */
export const DEREGISTRATION_DELAY_SECONDS = 15;

export interface LoadBalancerArgs {
    /** VPC of the target group. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Public subnets, in at least two AZs. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The load balancer's security group. @default none, required */
    securityGroupId: pulumi.Input<string>;
    /** The ALB's deletion protection: while true, deleting it fails. @default false */
    deletionProtection?: boolean;
    /** ACM certificate for HTTPS. @default undefined (HTTP only) */
    certificateArn?: pulumi.Input<string>;
    /** Host name clients use, aliased to the load balancer. @default undefined (the load balancer's DNS name) */
    domainName?: string;
    /** Route 53 hosted zone of domainName, where the alias record to the load balancer is made. @default undefined (the user points the name) */
    hostedZoneId?: string;
}

export class LoadBalancer extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    /** The load balancer's own DNS name, the target of the user's DNS record. */
    public readonly dnsName: pulumi.Output<string>;
    public readonly targetGroupArn: pulumi.Output<string>;
    /** `app/<name>/<id>/targetgroup/<name>/<id>`: the resource label of ALBRequestCountPerTarget. */
    public readonly requestCountResourceLabel: pulumi.Output<string>;
    /** `app/<name>/<id>`: the load balancer's CloudWatch dimension `LoadBalancer`. */
    public readonly arnSuffix: pulumi.Output<string>;
    /** `targetgroup/<name>/<id>`: the target group's CloudWatch dimension `TargetGroup`. */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The listener that forwards to the target group; ECS needs it before it registers targets. */
    public readonly forwardingListener: aws.lb.Listener;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:LoadBalancer", name, {}, opts);
        const parent = { parent: this };

        const alb = new aws.lb.LoadBalancer(
            `${name}`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: args.subnetIds,
                securityGroups: [args.securityGroupId],
                // Requests with malformed headers never reach PostgREST (request smuggling).
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection ?? false,
            },
            parent,
        );

        const targetGroup = new aws.lb.TargetGroup(`${name}-tasks`, taskTargetGroupArgs(args.vpcId), parent);
        const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];

        if (args.certificateArn) {
            new aws.lb.Listener(
                `${name}-http`,
                {
                    loadBalancerArn: alb.arn,
                    port: HTTP_PORT,
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
                },
                parent,
            );
            this.forwardingListener = new aws.lb.Listener(
                `${name}-https`,
                {
                    loadBalancerArn: alb.arn,
                    port: HTTPS_PORT,
                    protocol: "HTTPS",
                    sslPolicy: TLS_POLICY,
                    certificateArn: args.certificateArn,
                    defaultActions: forward,
                },
                parent,
            );
        } else {
            this.forwardingListener = new aws.lb.Listener(
                `${name}-http`,
                { loadBalancerArn: alb.arn, port: HTTP_PORT, protocol: "HTTP", defaultActions: forward },
                parent,
            );
        }

        if (args.hostedZoneId && args.domainName) {
            // An alias A record: free queries, follows the load balancer's addresses (Route 53 developer guide, alias records).
            new aws.route53.Record(
                `${name}-alias`,
                {
                    zoneId: args.hostedZoneId,
                    name: args.domainName,
                    type: "A",
                    aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
                },
                parent,
            );
        }

        this.url = pulumi.interpolate`${args.certificateArn ? "https" : "http"}://${args.domainName ?? alb.dnsName}`;
        this.dnsName = alb.dnsName;
        this.targetGroupArn = targetGroup.arn;
        this.requestCountResourceLabel = pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}`;
        this.arnSuffix = alb.arnSuffix;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.registerOutputs({ url: this.url, dnsName: this.dnsName, targetGroupArn: this.targetGroupArn });
    }
}

/** The tasks' target group, for the stack's own load balancer or a rule on a shared one. */
export function taskTargetGroupArgs(vpcId: pulumi.Input<string>): aws.lb.TargetGroupArgs {
    return {
        vpcId,
        // awsvpc tasks register by IP (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html).
        targetType: "ip",
        protocol: "HTTP",
        port: SERVER_PORT,
        deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
        healthCheck: TARGET_GROUP_HEALTH_CHECK,
    };
}
