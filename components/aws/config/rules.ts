/**
 * AWS's documented rules that the `aws` and `service` blocks must respect:
 * Fargate task sizes, CloudWatch Logs retention periods, EC2 resource ids,
 * VPC ranges and ECS rolling deployments. Each cites its public page.
 */
import type { ExistingNetwork } from "./aws-network";
import { hostBitsProblem, parseIpv4Block } from "./cidr";
import { Problems, describe } from "./problems";
import { ServiceConfig } from "./service";

// CloudWatch Logs accepts only these retention periods (CloudWatch Logs API reference, PutRetentionPolicy).
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/**
 * ECS rolling deployments start new tasks before stopping old ones, up to this
 * percentage of the desired count (ECS default maximumPercent); the service
 * sets it explicitly so the connection budget below stays true.
 */
export const DEPLOYMENT_MAXIMUM_PERCENT = 200;

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

// EC2 resource ids: a prefix, then 8 (older) or 17 hex digits (EC2 user guide, resource IDs).
export function isId(value: string, prefix: string): boolean {
    return new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(value);
}

export function checkId(value: string | undefined, prefix: string, key: string, what: string, problems: Problems): void {
    if (value !== undefined && !isId(value, prefix)) {
        problems.add(
            key,
            `${describe(value)} is not a ${what} such as ${prefix}-0123456789abcdef0`,
            `${key.split(".").pop()}: ${prefix}-0123456789abcdef0`,
        );
    }
}

/**
 * Tasks that can run at once: desired count at most service.maxInstances, and
 * a rolling deployment runs up to DEPLOYMENT_MAXIMUM_PERCENT of it.
 */
export function awsPeakInstances(service: Pick<ServiceConfig, "maxInstances">): number {
    return Math.ceil((service.maxInstances * DEPLOYMENT_MAXIMUM_PERCENT) / 100);
}

/** A problem found by asking the cloud at preview; `field` is the key under the `aws` block. */
export interface CloudAnswerProblem {
    field: string;
    problem: string;
    example: string;
}

/** A subnet as EC2 describes it (ec2:DescribeSubnets, through aws.ec2.getSubnet). */
export interface DescribedSubnet {
    availabilityZone: string;
    vpcId: string;
}

/** The region of an Availability Zone name: us-east-1a is in us-east-1 (EC2 user guide, Regions and Zones). */
export function regionOfZone(zone: string): string {
    return zone.replace(/[a-z]$/, "");
}

/** Zones of `availabilityZones` that are not in the stack's region: the VPC's subnets could not be created there. */
export function availabilityZoneRegionProblems(zones: readonly string[], region: string): CloudAnswerProblem[] {
    return zones.flatMap((zone, index) =>
        regionOfZone(zone) === region
            ? []
            : [
                  {
                      field: `network.availabilityZones[${index}]`,
                      problem: `${zone} is in ${regionOfZone(zone)}, and the stack deploys to ${region} (aws:region)`,
                      example: `availabilityZones: [${region}a, ${region}b]`,
                  },
              ],
    );
}

/**
 * Why the certificate cannot serve the load balancer of `region`, or undefined: a load balancer takes ACM
 * certificates of its own region (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
 */
export function certificateRegionProblem(certificateArn: string, region: string): CloudAnswerProblem | undefined {
    const arnRegion = certificateArn.split(":")[3];
    if (arnRegion === region) return undefined;
    return {
        field: "certificateArn",
        problem: `is a certificate of ${arnRegion}, and the load balancer is in ${region} (aws:region); a load balancer only uses certificates of its own region`,
        example: `certificateArn: arn:aws:acm:${region}:ACCOUNT:certificate/ID (request or import it in ${region})`,
    };
}

/**
 * What EC2's description of the user's subnets says about `network`: every subnet in `vpcId`; the load
 * balancer's subnets in at least two Availability Zones and one per zone ("You must specify subnets from at
 * least two Availability Zones. You can specify only one subnet per Availability Zone", ELBv2 API reference,
 * CreateLoadBalancer); tasks only in zones the load balancer serves, as targets in a zone it does not enable
 * receive no traffic (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones).
 */
export function existingSubnetProblems(network: ExistingNetwork, subnets: Readonly<Record<string, DescribedSubnet>>): CloudAnswerProblem[] {
    const problems: CloudAnswerProblem[] = [];
    const listed = [
        ...network.publicSubnetIds.map((id, index) => ({ id, field: `network.publicSubnetIds[${index}]` })),
        ...(network.taskSubnetIds === network.publicSubnetIds
            ? []
            : network.taskSubnetIds.map((id, index) => ({ id, field: `network.taskSubnetIds[${index}]` }))),
    ];
    for (const { id, field } of listed) {
        if (subnets[id].vpcId !== network.vpcId) {
            problems.push({
                field,
                problem: `${id} is in ${subnets[id].vpcId}, not in network.vpcId ${network.vpcId}`,
                example: `a subnet of ${network.vpcId} (aws ec2 describe-subnets --filters Name=vpc-id,Values=${network.vpcId})`,
            });
        }
    }
    const publicZones = network.publicSubnetIds.map((id) => subnets[id].availabilityZone);
    const distinct = [...new Set(publicZones)];
    if (distinct.length < 2) {
        problems.push({
            field: "network.publicSubnetIds",
            problem: `are all in ${distinct.join(", ")}; an Application Load Balancer needs subnets in at least two Availability Zones`,
            example: "publicSubnetIds: [a subnet in us-east-1a, a subnet in us-east-1b]",
        });
    } else if (distinct.length < publicZones.length) {
        const repeated = distinct.filter((zone) => publicZones.filter((z) => z === zone).length > 1);
        problems.push({
            field: "network.publicSubnetIds",
            problem: `name two subnets in ${repeated.join(", ")}; a load balancer takes one subnet per Availability Zone`,
            example: "publicSubnetIds: one subnet per zone",
        });
    }
    network.taskSubnetIds.forEach((id, index) => {
        const zone = subnets[id].availabilityZone;
        if (!publicZones.includes(zone)) {
            problems.push({
                field: `network.taskSubnetIds[${index}]`,
                problem: `${id} is in ${zone}, where the load balancer has no subnet (it serves ${distinct.join(", ")}), so tasks there would get no traffic`,
                example: `taskSubnetIds in ${distinct.join(", ")}, or a public subnet in ${zone}`,
            });
        }
    });
    return problems;
}

/**
 * Why `domainName` cannot get its certificate and alias record in the hosted zone, or undefined: the name must
 * be inside the zone, and ACM validates only through public DNS
 * (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
 */
export function hostedZoneProblem(domainName: string, zone: { name: string; privateZone: boolean }): CloudAnswerProblem | undefined {
    const zoneName = zone.name.replace(/\.$/, "").toLowerCase();
    const name = domainName.toLowerCase();
    if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
        return {
            field: "hostedZoneId",
            problem: `is the zone of ${zoneName}, which does not hold domainName ${domainName}`,
            example: `the hosted zone of ${domainName.split(".").slice(-2).join(".")} (aws route53 list-hosted-zones-by-name)`,
        };
    }
    if (zone.privateZone) {
        return {
            field: "hostedZoneId",
            problem: `is a private zone: ACM validates certificates through public DNS and clients would not resolve ${domainName}`,
            example: "the public hosted zone of the same name",
        };
    }
    return undefined;
}
