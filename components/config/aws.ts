/**
 * The `aws` block: settings that only mean something on ECS Fargate, and the
 * AWS rules for the `service` block (Fargate task sizes). Every rule cites
 * the public page it comes from.
 */
import { hostBitsProblem, parseIpv4Block } from "./cidr";
import { DEFAULT_IMAGE, ServiceConfig, postgrestMajorOf } from "./service";
import { isHostName } from "./host-name";
import { JsonObject, ModalBlock, Problems, describe, readBoolean, readEnum, readNumber, readObject, readString, readModalBlock, readStringList, rejectUnknownKeys } from "./problems";

export const NETWORK_MODES = ["create", "existing"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** How tasks reach the internet (image pull, Secrets Manager, CloudWatch Logs) in a created VPC. */
export const NAT_OPTIONS = ["none", "gateway", "gateway-per-az", "instance"] as const;
export type NatOption = (typeof NAT_OPTIONS)[number];

export const CPU_ARCHITECTURES = ["ARM64", "X86_64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

// CloudWatch Logs accepts only these retention periods (CloudWatch Logs API reference, PutRetentionPolicy).
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * ECS rolling deployments start new tasks before stopping old ones, up to this
 * percentage of the desired count (ECS default maximumPercent); the service
 * sets it explicitly so the connection budget below stays true.
 */
export const DEPLOYMENT_MAXIMUM_PERCENT = 200;

/** Defaults of the `aws` block, in one place for the code, the tests and the README. */
export const AWS_DEFAULTS = {
    network: { mode: "create", nat: "none", cidrBlock: "10.0.0.0/16", availabilityZoneCount: 2, natInstanceType: "t4g.nano", assignPublicIp: true },
    logRetentionDays: 30,
    scaling: { cpuPercent: 60, requestsPerTaskPerMinute: 3000 },
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

export interface AwsConfig {
    network: AwsNetwork;
    /** The database's security group; when given, it gets an ingress rule from the tasks on the database port. */
    databaseSecurityGroupId?: string;
    /** ACM certificate of the HTTPS listener; undefined: HTTP only. */
    certificateArn?: string;
    /** The API's own host name (a DNS record aliasing the load balancer), used in `url`. */
    domainName?: string;
    logRetentionDays: number;
    cpuArchitecture: CpuArchitecture;
    /** Fargate task size: service.cpu in cpu units, service.memory in MiB. */
    taskCpu: number;
    taskMemory: number;
    scaling: { cpuPercent: number; requestsPerTaskPerMinute: number };
}

const AWS_KEYS = ["network", "databaseSecurityGroupId", "certificateArn", "domainName", "logRetentionDays", "cpuArchitecture", "scaling"];

const SCALING_KEYS = ["cpuPercent", "requestsPerTaskPerMinute"];

// Valid Fargate task cpu (units) -> memory (MiB) (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
// 8192 and 16384 need platform 1.4.0+, which the service pins.
const FARGATE_SIZES: Record<number, number[]> = {
    256: [512, 1024, 2048],
    512: steps(1024, 4096, 1024),
    1024: steps(2048, 8192, 1024),
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, step: number): number[] {
    return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** The memory sizes (MiB) Fargate accepts with `cpuUnits`, or undefined when that is no Fargate cpu size. */
export function fargateMemoryChoices(cpuUnits: number): readonly number[] | undefined {
    return FARGATE_SIZES[cpuUnits];
}

/** Why service.cpu / service.memory is no Fargate task size (naming the key and the valid values), or undefined. */
export function fargateSizeProblem(cpu: number, memory: number): { field: "cpu" | "memory"; problem: string; example: string } | undefined {
    const units = cpu * 1024;
    const choices = fargateMemoryChoices(units);
    const validCpus = Object.keys(FARGATE_SIZES).map((u) => Number(u) / 1024);
    if (!choices) {
        return {
            field: "cpu",
            problem: `${cpu} vCPU is not a Fargate task size; Fargate takes ${validCpus.join(", ")} vCPU`,
            example: "cpu: 0.25",
        };
    }
    if (!choices.includes(memory)) {
        return {
            field: "memory",
            problem: `${memory} MiB does not fit ${cpu} vCPU on Fargate, which takes ${describeChoices(choices)} MiB with ${cpu} vCPU`,
            example: `memory: ${choices[0]}`,
        };
    }
    return undefined;
}

function describeChoices(choices: readonly number[]): string {
    if (choices.length <= 4) return choices.join(", ");
    return `${choices[0]} to ${choices[choices.length - 1]} in steps of ${choices[1] - choices[0]}`;
}

/**
 * The CPU architecture an image runs on when the user does not say: the
 * official image publishes linux/arm64 beside linux/amd64 (checked for v16 in
 * PostgREST's release workflow), so Graviton, which Fargate prices 20% lower
 * (https://aws.amazon.com/fargate/pricing/); any other image is assumed amd64-only.
 */
export function defaultCpuArchitecture(image: string): CpuArchitecture {
    const repository = image.split(/[:@]/)[0].replace(/^(docker\.io|registry\.hub\.docker\.com|index\.docker\.io)\//, "");
    const official = repository === "postgrest/postgrest";
    return official && postgrestMajorOf(image) >= postgrestMajorOf(DEFAULT_IMAGE) ? "ARM64" : "X86_64";
}

/** Reads the `aws` block at `key`, and checks the `service` block (at `serviceKey`) against Fargate's rules. */
export function parseAws(value: unknown, key: string, service: ServiceConfig | undefined, serviceKey: string, problems: Problems): AwsConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "aws: { network: { nat: none } }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, AWS_KEYS, problems);
    const before = problems.count;

    const network = readModalBlock(obj.network ?? {}, `${key}.network`, problems, NETWORK_BLOCK);
    const databaseSecurityGroupId = readString(obj, "databaseSecurityGroupId", key, problems, { optional: true, example: "databaseSecurityGroupId: sg-0123456789abcdef0" });
    checkId(databaseSecurityGroupId, "sg", `${key}.databaseSecurityGroupId`, "security group id", problems);
    const certificateArn = readString(obj, "certificateArn", key, problems, {
        optional: true,
        example: "certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-...",
    });
    // ACM certificate ARN format (AWS ARN reference, ACM resource types): arn:partition:acm:region:account:certificate/id.
    if (certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
        problems.add(
            `${key}.certificateArn`,
            `${describe(certificateArn)} is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID), in the stack's region`,
            "certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        );
    }
    const domainName = readString(obj, "domainName", key, problems, { optional: true, example: "domainName: api.example.com" });
    if (domainName !== undefined && !isHostName(domainName)) problems.add(`${key}.domainName`, `${describe(domainName)} is not a host name such as api.example.com (no scheme, no path)`, "domainName: api.example.com");
    // The certificate names the user's domain, not the load balancer's generated name, so an https URL needs the domain.
    if (certificateArn !== undefined && domainName === undefined) {
        problems.add(
            `${key}.domainName`,
            "is required with certificateArn: the certificate is for your domain, so clients must call that name, not the load balancer's",
            "domainName: api.example.com (then a DNS alias or CNAME to the load balancer, `pulumi stack output details`)",
        );
    }
    const logRetentionDays = readNumber(obj, "logRetentionDays", key, problems, {
        default: AWS_DEFAULTS.logRetentionDays,
        integer: true,
        example: "logRetentionDays: 30",
    });
    if (logRetentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        problems.add(`${key}.logRetentionDays`, `${logRetentionDays} is not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`, "logRetentionDays: 30");
    }
    const architectureDefault = service ? defaultCpuArchitecture(service.image) : "X86_64";
    const cpuArchitecture = readEnum(obj, "cpuArchitecture", key, problems, CPU_ARCHITECTURES, {
        default: architectureDefault,
        example: "cpuArchitecture: X86_64 (for an image built only for amd64)",
    });
    const scaling = parseScaling(obj.scaling ?? {}, `${key}.scaling`, problems);

    if (service) checkServiceOnFargate(service, serviceKey, problems);

    if (!service || problems.count > before) return undefined;
    return {
        network: network!,
        databaseSecurityGroupId,
        certificateArn,
        domainName,
        logRetentionDays: logRetentionDays!,
        cpuArchitecture: cpuArchitecture!,
        scaling: scaling!,
        taskCpu: service.cpu * 1024,
        taskMemory: service.memory,
    };
}

/** The service block's AWS rules: a Fargate task size, and a task always running. */
function checkServiceOnFargate(service: ServiceConfig, serviceKey: string, problems: Problems): void {
    const sizeProblem = fargateSizeProblem(service.cpu, service.memory);
    if (sizeProblem) problems.add(`${serviceKey}.${sizeProblem.field}`, sizeProblem.problem, sizeProblem.example);
    // Target tracking scales on the load of running tasks; with none, nothing brings the API back up.
    if (service.minInstances < 1) {
        problems.add(`${serviceKey}.minInstances`, "must be at least 1 on AWS: ECS does not start a task on an incoming request, so 0 would leave the API down", "minInstances: 1");
    }
}

/** The `aws.network` block: a VPC created here, or the user's. */
const NETWORK_BLOCK: ModalBlock<NetworkMode, AwsNetwork> = {
    example: "network: { mode: create, nat: none }",
    modes: NETWORK_MODES,
    defaultMode: AWS_DEFAULTS.network.mode,
    keysOfMode: { create: ["nat", "cidrBlock", "availabilityZones", "natInstanceType"], existing: ["vpcId", "publicSubnetIds", "taskSubnetIds", "assignPublicIp"] },
    read: (obj, mode, key, problems) => (mode === "create" ? parseCreatedNetwork(obj, key, problems) : parseExistingNetwork(obj, key, problems)),
};

function parseCreatedNetwork(obj: JsonObject, key: string, problems: Problems): CreatedNetwork | undefined {
    const before = problems.count;
    const nat = readEnum(obj, "nat", key, problems, NAT_OPTIONS, { default: AWS_DEFAULTS.network.nat, example: "nat: none" });
    const cidrBlock = readString(obj, "cidrBlock", key, problems, { default: AWS_DEFAULTS.network.cidrBlock, example: "cidrBlock: 10.0.0.0/16" });
    const cidrProblem = cidrBlock === undefined ? undefined : vpcCidrProblem(cidrBlock);
    if (cidrProblem) problems.add(`${key}.cidrBlock`, cidrProblem, "cidrBlock: 10.0.0.0/16");
    const availabilityZones = obj.availabilityZones === undefined ? undefined : readAvailabilityZones(obj, key, problems);
    const natInstanceType = readString(obj, "natInstanceType", key, problems, {
        default: AWS_DEFAULTS.network.natInstanceType,
        example: "natInstanceType: t4g.nano",
    });
    if (obj.natInstanceType !== undefined && nat !== undefined && nat !== "instance") {
        problems.add(`${key}.natInstanceType`, `applies only to nat: instance, and nat is ${nat}`, "nat: instance");
    }
    // The NAT instance boots Amazon Linux's arm64 AMI, which runs only on Graviton types (a "g" after the generation digit).
    if (natInstanceType !== undefined && !/^[a-z]+\d+[a-z-]*g[a-z-]*\.[a-z0-9]+$/.test(natInstanceType)) {
        problems.add(`${key}.natInstanceType`, `${describe(natInstanceType)} is not a Graviton (arm64) instance type; the NAT instance runs an arm64 AMI`, "natInstanceType: t4g.nano");
    }
    if (problems.count > before) return undefined;
    return {
        mode: "create",
        nat: nat!,
        cidrBlock: cidrBlock!,
        availabilityZones,
        availabilityZoneCount: availabilityZones?.length ?? AWS_DEFAULTS.network.availabilityZoneCount,
        natInstanceType: natInstanceType!,
    };
}

function readAvailabilityZones(obj: JsonObject, key: string, problems: Problems): string[] | undefined {
    const example = "availabilityZones: [us-east-1a, us-east-1b]";
    const zones = readStringList(obj, "availabilityZones", key, problems, {
        example,
        check: (zone) => (/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(zone) ? undefined : `${describe(zone)} is not an Availability Zone name such as us-east-1a`),
    });
    if (!zones) return undefined;
    // An ALB needs subnets in at least two Availability Zones (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
    if (new Set(zones).size < 2 || new Set(zones).size !== zones.length) {
        problems.add(`${key}.availabilityZones`, "must name at least two different zones: an Application Load Balancer needs subnets in two Availability Zones", example);
        return undefined;
    }
    return zones;
}

/**
 * Why `cidr` cannot be the new VPC's range, or undefined. AWS takes /16 to /28
 * (Amazon VPC user guide, VPC CIDR blocks); this product also needs room for a
 * public and a task subnet in each AZ, and a load balancer subnet needs at
 * least a /27 (ELB user guide, subnets for your load balancer), hence /24 at most.
 */
export function vpcCidrProblem(cidr: string): string | undefined {
    const block = parseIpv4Block(cidr, "10.0.0.0/16");
    if (typeof block === "string") return block;
    if (block.prefix < 16 || block.prefix > 24) {
        return `/${block.prefix} is outside /16 to /24: AWS allows at most a /16, and 2 AZs x 2 subnets need at least a /24`;
    }
    return hostBitsProblem(cidr, block);
}

function parseExistingNetwork(obj: JsonObject, key: string, problems: Problems): ExistingNetwork | undefined {
    const before = problems.count;
    const vpcId = readString(obj, "vpcId", key, problems, { example: "vpcId: vpc-0123456789abcdef0 (the VPC of your database)" });
    checkId(vpcId, "vpc", `${key}.vpcId`, "VPC id", problems);
    const subnetCheck = (id: string) => (isId(id, "subnet") ? undefined : `${describe(id)} is not a subnet id such as subnet-0123456789abcdef0`);
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
            : readStringList(obj, "taskSubnetIds", key, problems, { example: "taskSubnetIds: [subnet-0ccc3333, subnet-0ddd4444]", check: subnetCheck, nonEmpty: true });
    const assignPublicIp = readBoolean(obj, "assignPublicIp", key, problems, { default: AWS_DEFAULTS.network.assignPublicIp, example: "assignPublicIp: true" });
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

function parseScaling(value: unknown, key: string, problems: Problems): AwsConfig["scaling"] | undefined {
    const obj = readObject(value, key, problems, "scaling: { cpuPercent: 60, requestsPerTaskPerMinute: 3000 }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, SCALING_KEYS, problems);
    const before = problems.count;
    const cpuPercent = readNumber(obj, "cpuPercent", key, problems, { default: AWS_DEFAULTS.scaling.cpuPercent, min: 10, max: 90, example: "cpuPercent: 60" });
    const requestsPerTaskPerMinute = readNumber(obj, "requestsPerTaskPerMinute", key, problems, {
        default: AWS_DEFAULTS.scaling.requestsPerTaskPerMinute,
        integer: true,
        min: 1,
        example: "requestsPerTaskPerMinute: 3000",
    });
    if (problems.count > before) return undefined;
    return { cpuPercent: cpuPercent!, requestsPerTaskPerMinute: requestsPerTaskPerMinute! };
}

// EC2 resource ids: a prefix, then 8 (older) or 17 hex digits (EC2 user guide, resource IDs).
function isId(value: string, prefix: string): boolean {
    return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value);
}

function checkId(value: string | undefined, prefix: string, key: string, what: string, problems: Problems): void {
    if (value !== undefined && !isId(value, prefix)) {
        problems.add(key, `${describe(value)} is not a ${what} such as ${prefix}-0123456789abcdef0`, `${key.split(".").pop()}: ${prefix}-0123456789abcdef0`);
    }
}

/**
 * Tasks that can run at once: desired count at most service.maxInstances, and
 * a rolling deployment runs up to DEPLOYMENT_MAXIMUM_PERCENT of it.
 */
export function awsPeakInstances(service: Pick<ServiceConfig, "maxInstances">): number {
    return Math.ceil((service.maxInstances * DEPLOYMENT_MAXIMUM_PERCENT) / 100);
}
