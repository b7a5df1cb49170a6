/**
 * The in-network admin function (database.adminAccess in-network): a Lambda
 * in the task subnets, in a security group that the database's group admits
 * on its port, that runs the same applier as the direct path (database/entries/lambda.ts).
 * It holds no secret and may read none: the provider sends the admin URL in
 * each invocation, over TLS, from its own secret input. So its role may only
 * manage its network interfaces and write its own log group, it needs no
 * route to the internet or to Secrets Manager, and nothing about it is
 * public: no function URL and no resource policy, only IAM principals of the
 * account allowed lambda:InvokeFunction (the deployer) can call it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface InNetworkAdminArgs {
    /** VPC of the database and the tasks. @default none, required */
    vpcId: pulumi.Input<string>;
    /** Subnets the function runs in (the task subnets). @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The database's security group: it admits the function on the database port. @default none, required */
    databaseSecurityGroupId: pulumi.Input<string>;
    /** The database's port. @default none, required */
    databasePort: number;
    /** The function's index.js: bundle.ts's bundleFunctionSource(). @default none, required */
    source: Promise<string>;
    /** Days CloudWatch keeps the function's logs (aws.logRetentionDays). @default none, required */
    logRetentionDays: number;
    /** The longest apply, connect and lock and statement timeouts included. @default none, required */
    timeoutSeconds: number;
}

export class InNetworkAdmin extends pulumi.ComponentResource {
    /** The function's ARN, known only once its rules and permissions exist: whoever invokes through it waits for them. */
    public readonly functionArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: InNetworkAdminArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:InNetworkAdmin", name, {}, opts);
        const parent = { parent: this };

        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "PostgREST roles/grants function: to the database only", revokeRulesOnDelete: true },
            parent,
        );
        const databasePort = { ipProtocol: "tcp", fromPort: args.databasePort, toPort: args.databasePort };
        // The only egress: name resolution through the VPC's Amazon DNS server is not filtered by security groups
        // (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html).
        const toDatabase = new aws.vpc.SecurityGroupEgressRule(
            `${name}-to-database`,
            { securityGroupId: group.id, referencedSecurityGroupId: args.databaseSecurityGroupId, ...databasePort, description: "PostgreSQL" },
            parent,
        );
        const databaseAdmits = new aws.vpc.SecurityGroupIngressRule(
            `${name}-database-from-function`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: group.id,
                ...databasePort,
                description: "PostgREST roles/grants function",
            },
            parent,
        );

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, parent);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            parent,
        );
        const permissions = new aws.iam.RolePolicy(
            `${name}-permissions`,
            {
                role: role.name,
                policy: logGroup.arn.apply((logGroupArn) => JSON.stringify(functionPolicy(logGroupArn))),
            },
            parent,
        );

        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                description: "Applies PostgREST's roles and grants from inside the database's VPC (database.adminAccess in-network)",
                runtime: "nodejs22.x",
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(args.source) }),
                role: role.arn,
                memorySize: 256,
                timeout: args.timeoutSeconds,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [group.id] },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            },
            // Lambda checks at create that the role may make network interfaces in the VPC.
            { ...parent, dependsOn: [permissions] },
        );

        this.functionArn = pulumi.all([fn.arn, toDatabase.id, databaseAdmits.id]).apply(([arn]) => arn);
        this.securityGroupId = group.id;
        this.registerOutputs({ functionArn: this.functionArn, securityGroupId: this.securityGroupId });
    }
}

/**
 * The function's own permissions and nothing more: its network interfaces in the VPC (the actions of the managed
 * AWSLambdaVPCAccessExecutionRole; EC2 evaluates Describe* only on "*",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions), and writing
 * to its own log group (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html).
 */
export function functionPolicy(logGroupArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                Resource: "*",
            },
            { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
        ],
    };
}
