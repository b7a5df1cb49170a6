/**
 * The security-group chain, and nothing more: internet → the stack's load
 * balancer on 80 (and 443 with a certificate); front door → tasks, where the
 * front door is that load balancer or a shared one (PostgREST and admin
 * ports, the admin port for health checks) or an HTTP API's VPC link
 * (PostgREST's port only); tasks → the database port and 443 (image pull,
 * Secrets Manager, CloudWatch Logs); and, when its group is given, the
 * database ← tasks on its port. No CIDR ever reaches the tasks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_SERVER_PORT, HTTPS_PORT, HTTP_PORT, SERVER_PORT } from "../postgrest/ports";

/** Who sends the tasks their requests. */
export type FrontDoor = { type: "load-balancer"; https: boolean } | { type: "shared-load-balancer"; securityGroupId: string } | { type: "http-api" };

export interface SecurityGroupsArgs {
    /** VPC of the groups. @default none, required */
    vpcId: pulumi.Input<string>;
    /** The database's port, which the tasks connect to. @default none, required */
    databasePort: number;
    /** Open 443 on the load balancer for an HTTPS listener (front door load-balancer). @default false */
    https?: boolean;
    /** Who the tasks admit: the stack's load balancer (its group created here), a shared one's group, or a VPC link's (created here). @default the stack's load balancer */
    frontDoor?: FrontDoor;
    /** The database's security group; when given it accepts the tasks on the database port. @default undefined (no rule added) */
    databaseSecurityGroupId?: pulumi.Input<string>;
}

// The load-balancer text is the one existing stacks were created with: a group's description cannot change in place.
const TASKS_DESCRIPTION: Record<FrontDoor["type"], string> = {
    "load-balancer": "PostgREST tasks: from the load balancer only",
    "shared-load-balancer": "PostgREST tasks: from the shared load balancer only",
    "http-api": "PostgREST tasks: from the HTTP API's VPC link only",
};

export class SecurityGroups extends pulumi.ComponentResource {
    /** The group of the front door: the stack's load balancer, the shared one, or the VPC link. */
    public readonly frontSecurityGroupId: pulumi.Output<string>;
    public readonly taskSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:SecurityGroups", name, {}, opts);
        const parent = { parent: this };

        // Rules are separate resources, never inline, so each one shows in a preview diff; the provider
        // removes the default allow-all egress rule of a new group.
        const front = args.frontDoor ?? { type: "load-balancer", https: args.https ?? false };
        const tasks = new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            { vpcId: args.vpcId, description: TASKS_DESCRIPTION[front.type], revokeRulesOnDelete: true },
            parent,
        );
        const admit = (source: pulumi.Input<string>, sourceName: string, ports: readonly (readonly [number, string])[]) => {
            for (const [port, what] of ports) {
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-${sourceName}-to-tasks-${port}`,
                    {
                        securityGroupId: source,
                        referencedSecurityGroupId: tasks.id,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        description: what,
                    },
                    parent,
                );
                new aws.vpc.SecurityGroupIngressRule(
                    `${name}-tasks-from-${sourceName}-${port}`,
                    {
                        securityGroupId: tasks.id,
                        referencedSecurityGroupId: source,
                        ipProtocol: "tcp",
                        fromPort: port,
                        toPort: port,
                        description: what,
                    },
                    parent,
                );
            }
        };
        const behindLoadBalancer = [
            [SERVER_PORT, "API"],
            [ADMIN_SERVER_PORT, "health check /ready"],
        ] as const;

        switch (front.type) {
            case "load-balancer": {
                const loadBalancer = new aws.ec2.SecurityGroup(
                    `${name}-alb`,
                    { vpcId: args.vpcId, description: "PostgREST load balancer: HTTP(S) from the internet", revokeRulesOnDelete: true },
                    parent,
                );
                for (const port of front.https ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT]) {
                    new aws.vpc.SecurityGroupIngressRule(
                        `${name}-alb-from-internet-${port}`,
                        {
                            securityGroupId: loadBalancer.id,
                            cidrIpv4: "0.0.0.0/0",
                            ipProtocol: "tcp",
                            fromPort: port,
                            toPort: port,
                            description: "clients",
                        },
                        parent,
                    );
                }
                admit(loadBalancer.id, "alb", behindLoadBalancer);
                this.frontSecurityGroupId = loadBalancer.id;
                break;
            }
            case "shared-load-balancer":
                // The shared group's egress gets the rules too: its own may not allow the tasks' ports.
                admit(front.securityGroupId, "shared-alb", behindLoadBalancer);
                this.frontSecurityGroupId = pulumi.output(front.securityGroupId);
                break;
            case "http-api": {
                // The VPC link's network interfaces open connections to the tasks; API Gateway reaches them, not the internet,
                // so the group needs no ingress rule. Cloud Map health comes from ECS, so only PostgREST's port is opened.
                const vpcLink = new aws.ec2.SecurityGroup(
                    `${name}-vpc-link`,
                    { vpcId: args.vpcId, description: "PostgREST HTTP API VPC link: to the tasks only", revokeRulesOnDelete: true },
                    parent,
                );
                admit(vpcLink.id, "vpc-link", [[SERVER_PORT, "API"]]);
                this.frontSecurityGroupId = vpcLink.id;
                break;
            }
        }

        new aws.vpc.SecurityGroupEgressRule(
            `${name}-tasks-to-https`,
            {
                securityGroupId: tasks.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: HTTPS_PORT,
                toPort: HTTPS_PORT,
                description: "image pull, Secrets Manager, CloudWatch Logs",
            },
            parent,
        );
        const databasePort = { ipProtocol: "tcp", fromPort: args.databasePort, toPort: args.databasePort };
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-tasks-to-database`,
            {
                securityGroupId: tasks.id,
                // With the database's group known, only it; else the database may be anywhere.
                ...(args.databaseSecurityGroupId ? { referencedSecurityGroupId: args.databaseSecurityGroupId } : { cidrIpv4: "0.0.0.0/0" }),
                ...databasePort,
                description: "PostgreSQL",
            },
            parent,
        );
        if (args.databaseSecurityGroupId) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-database-from-tasks`,
                {
                    securityGroupId: args.databaseSecurityGroupId,
                    referencedSecurityGroupId: tasks.id,
                    ...databasePort,
                    description: "PostgREST tasks",
                },
                parent,
            );
        }

        this.taskSecurityGroupId = tasks.id;
        this.registerOutputs({ frontSecurityGroupId: this.frontSecurityGroupId, taskSecurityGroupId: this.taskSecurityGroupId });
    }
}
