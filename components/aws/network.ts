/**
 * Where the load balancer and the tasks live: a new VPC (awsx) with public
 * subnets for the load balancer and task subnets per NAT option, or the
 * user's VPC and subnets (such as the VPC of an existing RDS database).
 */
import * as aws from "@pulumi/aws";
import type * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { AwsNetwork, CreatedNetwork } from "./config/network";

/** Where a NAT instance goes in the created VPC, and the task routes it takes over. */
export interface NatInstanceSite {
    vpcCidr: string;
    /** EC2 type (aws.network.natInstanceType). */
    instanceType: string;
    /** The public subnet of the first AZ. */
    publicSubnetId: pulumi.Output<string>;
    /** Route tables of the task subnets, one per AZ. */
    taskRouteTableIds: pulumi.Output<string>[];
}

export interface NetworkArgs {
    /** The validated `aws.network` block. @default none, required */
    network: AwsNetwork;
    /** Subnets for a database the stack creates, with no route to or from the internet. @default false */
    databaseSubnets?: boolean;
}

export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    /** Subnets of the internet-facing load balancer, one per AZ. */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Subnets of the tasks. */
    public readonly taskSubnetIds: pulumi.Output<string[]>;
    /** With databaseSubnets: where a created database lives, private or isolated; else undefined. */
    public readonly databaseSubnetIds?: pulumi.Output<string[]>;
    /** Whether tasks need a public IP to reach the internet (no NAT in front of them). */
    public readonly assignPublicIp: boolean;
    /** What a NAT instance needs from the created VPC; undefined unless the network is created with nat: instance. */
    public readonly natInstanceSite?: NatInstanceSite;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:Network", name, {}, opts);
        const network = args.network;

        if (network.mode === "existing") {
            this.vpcId = pulumi.output(network.vpcId);
            this.publicSubnetIds = pulumi.output(network.publicSubnetIds);
            this.taskSubnetIds = pulumi.output(network.taskSubnetIds);
            this.assignPublicIp = network.assignPublicIp;
            // The user's task subnets are the ones that reach the database: it lives there too.
            if (args.databaseSubnets) this.databaseSubnetIds = this.taskSubnetIds;
        } else {
            // Required here, not at the top: @pulumi/awsx (and the AWS SDK it loads) costs every preview time and memory, and only a created VPC needs it.
            const awsxRuntime: typeof import("@pulumi/awsx") = require("@pulumi/awsx");
            const vpc = new awsxRuntime.ec2.Vpc(`${name}-vpc`, vpcArgs(network, args.databaseSubnets ?? false), { parent: this });
            this.vpcId = vpc.vpcId;
            this.publicSubnetIds = vpc.publicSubnetIds;
            this.taskSubnetIds = taskSubnetIdsOf(network, vpc);
            // Behind a NAT the task subnets are private already; without one they are public, and the database gets isolated ones.
            if (args.databaseSubnets) this.databaseSubnetIds = network.nat === "none" ? vpc.isolatedSubnetIds : this.taskSubnetIds;
            this.assignPublicIp = network.nat === "none";
            if (network.nat === "instance") {
                this.natInstanceSite = {
                    vpcCidr: network.cidrBlock,
                    instanceType: network.natInstanceType,
                    publicSubnetId: vpc.publicSubnetIds.apply((ids) => ids[0]),
                    taskRouteTableIds: this.taskRouteTableIds(network, vpc),
                };
            }
        }
        this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, taskSubnetIds: this.taskSubnetIds });
    }

    /**
     * Route tables of the created task subnets, one per AZ, looked up by subnet
     * (awsx does not export them by subnet); for the NAT instance's routes.
     */
    private taskRouteTableIds(network: CreatedNetwork, vpc: awsx.ec2.Vpc): pulumi.Output<string>[] {
        return Array.from(
            { length: network.availabilityZoneCount },
            (_, index) =>
                aws.ec2.getRouteTableOutput({ subnetId: taskSubnetIdsOf(network, vpc).apply((ids) => ids[index]) }, { parent: this }).routeTableId,
        );
    }
}

/** The awsx layout of each NAT option: the subnet types, and awsx's NAT gateway strategy; `databaseSubnets` adds isolated ones where the task subnets are public. */
export function vpcArgs(network: CreatedNetwork, databaseSubnets = false): awsx.ec2.VpcArgs {
    const zones = network.availabilityZones
        ? { availabilityZoneNames: network.availabilityZones }
        : { numberOfAvailabilityZones: network.availabilityZoneCount };
    const strategy = { none: "None", gateway: "Single", "gateway-per-az": "OnePerAz", instance: "None" } as const;
    // Task subnets: none for nat none (tasks sit in the public subnets); Private behind NAT gateways; for the NAT
    // instance, Isolated, as awsx routes only its own gateways and the instance's routes are added here.
    const taskSubnetType = { none: undefined, gateway: "Private", "gateway-per-az": "Private", instance: "Isolated" } as const;
    const taskType = taskSubnetType[network.nat];
    return {
        cidrBlock: network.cidrBlock,
        ...zones,
        subnetStrategy: "Auto",
        subnetSpecs: [
            { type: "Public", name: "public" },
            ...(taskType ? [{ type: taskType, name: "tasks" }] : []),
            ...(databaseSubnets && !taskType ? [{ type: "Isolated" as const, name: "database" }] : []),
        ],
        natGateways: { strategy: strategy[network.nat] },
        enableDnsHostnames: true,
    };
}

function taskSubnetIdsOf(network: CreatedNetwork, vpc: awsx.ec2.Vpc): pulumi.Output<string[]> {
    switch (network.nat) {
        case "none":
            return vpc.publicSubnetIds;
        case "gateway":
        case "gateway-per-az":
            return vpc.privateSubnetIds;
        case "instance":
            return vpc.isolatedSubnetIds;
    }
}
