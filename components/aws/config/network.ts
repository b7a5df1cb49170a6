/**
 * The `aws.network` block: where the load balancer and the tasks live, a VPC
 * created here (with a NAT option) or the user's own VPC and subnets.
 */
import { checkId, isId, vpcCidrProblem } from "./rules";
import { JsonObject, ModalBlock, Problems, describeValue, readBoolean, readEnum, readString, readStringList } from "../../config/problems";

export const NETWORK_MODES = ["create", "existing"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** How tasks reach the internet (image pull, Secrets Manager, CloudWatch Logs) in a created VPC. */
export const NAT_OPTIONS = ["none", "gateway", "gateway-per-az", "instance"] as const;
export type NatOption = (typeof NAT_OPTIONS)[number];

/** Defaults of the `aws.network` block. */
export const NETWORK_DEFAULTS = {
    mode: "create",
    nat: "none",
    cidrBlock: "10.0.0.0/16",
    availabilityZoneCount: 2,
    natInstanceType: "t4g.nano",
    assignPublicIp: true,
} as const;

/** A new VPC: public subnets for the load balancer, task subnets per NAT option, in each AZ. */
export interface CreatedNetwork {
    mode: "create";
    nat: NatOption;
    cidrBlock: string;
    /** Explicit AZ names; undefined: the region's first `availabilityZoneCount`. */
    availabilityZones?: string[];
    availabilityZoneCount: number;
    /** EC2 type of the NAT instance (nat: instance); a Graviton type, as its AMI is arm64. */
    natInstanceType: string;
}

/** The user's VPC, such as the one an RDS database already lives in. */
export interface ExistingNetwork {
    mode: "existing";
    vpcId: string;
    /** Subnets of the internet-facing load balancer, in at least two AZs. */
    publicSubnetIds: string[];
    /** Subnets of the tasks. */
    taskSubnetIds: string[];
    /** Whether tasks get a public IP: true for public task subnets, false when they route through a NAT. */
    assignPublicIp: boolean;
}

export type AwsNetwork = CreatedNetwork | ExistingNetwork;

/** The `aws.network` block: a VPC created here, or the user's. */
export const NETWORK_BLOCK: ModalBlock<NetworkMode, AwsNetwork> = {
    example: "network: { mode: create, nat: none }",
    modes: NETWORK_MODES,
    defaultMode: NETWORK_DEFAULTS.mode,
    keysOfMode: {
        create: ["nat", "cidrBlock", "availabilityZones", "natInstanceType"],
        existing: ["vpcId", "publicSubnetIds", "taskSubnetIds", "assignPublicIp"],
    },
    read: (obj, mode, key, problems) => (mode === "create" ? parseCreatedNetwork(obj, key, problems) : parseExistingNetwork(obj, key, problems)),
};

function parseCreatedNetwork(obj: JsonObject, key: string, problems: Problems): CreatedNetwork | undefined {
    const before = problems.count;
    const nat = readEnum(obj, "nat", key, problems, NAT_OPTIONS, { default: NETWORK_DEFAULTS.nat, example: "nat: none" });
    const cidrBlock = readString(obj, "cidrBlock", key, problems, { default: NETWORK_DEFAULTS.cidrBlock, example: "cidrBlock: 10.0.0.0/16" });
    const cidrProblem = cidrBlock === undefined ? undefined : vpcCidrProblem(cidrBlock);
    if (cidrProblem) problems.add(`${key}.cidrBlock`, cidrProblem, "cidrBlock: 10.0.0.0/16");
    const availabilityZones = obj.availabilityZones === undefined ? undefined : readAvailabilityZones(obj, key, problems);
    const natInstanceType = readString(obj, "natInstanceType", key, problems, {
        default: NETWORK_DEFAULTS.natInstanceType,
        example: "natInstanceType: t4g.nano",
    });
    if (obj.natInstanceType !== undefined && nat !== undefined && nat !== "instance") {
        problems.add(`${key}.natInstanceType`, `applies only to nat: instance, and nat is ${nat}`, "nat: instance");
    }
    // The NAT instance boots Amazon Linux's arm64 AMI, which runs only on Graviton types (a "g" after the generation digit).
    if (natInstanceType !== undefined && !/^[a-z]+\d+[a-z-]*g[a-z-]*\.[a-z0-9]+$/.test(natInstanceType)) {
        problems.add(
            `${key}.natInstanceType`,
            `${describeValue(natInstanceType)} is not a Graviton (arm64) instance type; the NAT instance runs an arm64 AMI`,
            "natInstanceType: t4g.nano",
        );
    }
    if (problems.count > before) return undefined;
    return {
        mode: "create",
        nat: nat!,
        cidrBlock: cidrBlock!,
        availabilityZones,
        availabilityZoneCount: availabilityZones?.length ?? NETWORK_DEFAULTS.availabilityZoneCount,
        natInstanceType: natInstanceType!,
    };
}

function readAvailabilityZones(obj: JsonObject, key: string, problems: Problems): string[] | undefined {
    const example = "availabilityZones: [us-east-1a, us-east-1b]";
    const zones = readStringList(obj, "availabilityZones", key, problems, {
        example,
        check: (zone) =>
            /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(zone) ? undefined : `${describeValue(zone)} is not an Availability Zone name such as us-east-1a`,
    });
    if (!zones) return undefined;
    // An ALB needs subnets in at least two Availability Zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
    if (new Set(zones).size < 2 || new Set(zones).size !== zones.length) {
        problems.add(
            `${key}.availabilityZones`,
            "must name at least two different zones: an Application Load Balancer needs subnets in two Availability Zones",
            example,
        );
        return undefined;
    }
    return zones;
}

function parseExistingNetwork(obj: JsonObject, key: string, problems: Problems): ExistingNetwork | undefined {
    const before = problems.count;
    const vpcId = readString(obj, "vpcId", key, problems, { example: "vpcId: vpc-0123456789abcdef0 (the VPC of your database)" });
    checkId(vpcId, "vpc", `${key}.vpcId`, "VPC id", problems);
    const subnetCheck = (id: string) => (isId(id, "subnet") ? undefined : `${describeValue(id)} is not a subnet id such as subnet-0123456789abcdef0`);
    const publicSubnetIds = readStringList(obj, "publicSubnetIds", key, problems, {
        example: "publicSubnetIds: [subnet-0aaa..., subnet-0bbb...] (public subnets in two AZs)",
        check: subnetCheck,
    });
    // An ALB needs subnets in at least two Availability Zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
    if (publicSubnetIds && (new Set(publicSubnetIds).size < 2 || new Set(publicSubnetIds).size !== publicSubnetIds.length)) {
        problems.add(
            `${key}.publicSubnetIds`,
            "must list at least two different subnets, in two Availability Zones: an Application Load Balancer needs subnets in two AZs",
            "publicSubnetIds: [subnet-0aaa1111, subnet-0bbb2222]",
        );
    }
    const taskSubnetIds =
        obj.taskSubnetIds === undefined
            ? publicSubnetIds
            : readStringList(obj, "taskSubnetIds", key, problems, {
                  example: "taskSubnetIds: [subnet-0ccc3333, subnet-0ddd4444]",
                  check: subnetCheck,
                  nonEmpty: true,
              });
    const assignPublicIp = readBoolean(obj, "assignPublicIp", key, problems, {
        default: NETWORK_DEFAULTS.assignPublicIp,
        example: "assignPublicIp: true",
    });
    // Platform 1.4.0+ pulls the image and fetches secrets through the task's own ENI: a public IP, a NAT or
    // VPC endpoints (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html). A public subnet
    // routes to an internet gateway, useless without a public IP.
    if (assignPublicIp === false && obj.taskSubnetIds === undefined) {
        problems.add(
            `${key}.assignPublicIp`,
            "is false but taskSubnetIds is not set, so tasks would sit in the public subnets without a public IP and could not pull the image or read their secrets",
            "taskSubnetIds: [subnet-0ccc3333, subnet-0ddd4444] (private subnets that route through a NAT)",
        );
    }
    if (problems.count > before) return undefined;
    return { mode: "existing", vpcId: vpcId!, publicSubnetIds: publicSubnetIds!, taskSubnetIds: taskSubnetIds!, assignPublicIp: assignPublicIp! };
}
