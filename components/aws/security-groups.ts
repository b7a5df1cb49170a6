/**
 * The security-group chain, and nothing more: internet → load
 * balancer on 80 (and 443 with a certificate); load balancer → tasks on the
 * PostgREST and admin ports; tasks → the database port and 443 (image pull,
 * Secrets Manager, CloudWatch Logs); and, when its group is given, the
 * database ← tasks on its port.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_SERVER_PORT, HTTPS_PORT, HTTP_PORT, SERVER_PORT } from "../postgrest/ports";

export interface SecurityGroupsArgs {
    /** VPC of the groups. @default none, required */
    vpcId: pulumi.Input<string>;
    /** The database's port, which the tasks connect to. @default none, required */
    databasePort: number;
    /** Open 443 on the load balancer for an HTTPS listener. @default false */
    https?: boolean;
    /** The database's security group; when given it accepts the tasks on the database port. @default undefined (no rule added) */
    databaseSecurityGroupId?: string;
}

export class SecurityGroups extends pulumi.ComponentResource {
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    public readonly taskSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:SecurityGroups", name, {}, opts);
        const parent = { parent: this };

        // Rules are separate resources, never inline, so each one shows in a preview diff; the provider
        // removes the default allow-all egress rule of a new group.
        const loadBalancer = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            { vpcId: args.vpcId, description: "PostgREST load balancer: HTTP(S) from the internet", revokeRulesOnDelete: true },
            parent,
        );
        const tasks = new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            { vpcId: args.vpcId, description: "PostgREST tasks: from the load balancer only", revokeRulesOnDelete: true },
            parent,
        );

        const listenerPorts = args.https ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
        for (const port of listenerPorts) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-from-internet-${port}`,
                { securityGroupId: loadBalancer.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port, description: "clients" },
                parent,
            );
        }
        for (const [port, what] of [
            [SERVER_PORT, "API"],
            [ADMIN_SERVER_PORT, "health check /ready"],
        ] as const) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-alb-to-tasks-${port}`,
                {
                    securityGroupId: loadBalancer.id,
                    referencedSecurityGroupId: tasks.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: what,
                },
                parent,
            );
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-tasks-from-alb-${port}`,
                {
                    securityGroupId: tasks.id,
                    referencedSecurityGroupId: loadBalancer.id,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: what,
                },
                parent,
            );
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

        this.loadBalancerSecurityGroupId = loadBalancer.id;
        this.taskSecurityGroupId = tasks.id;
        this.registerOutputs({ loadBalancerSecurityGroupId: this.loadBalancerSecurityGroupId, taskSecurityGroupId: this.taskSecurityGroupId });
    }
}
