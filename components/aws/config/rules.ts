/**
 * AWS's documented rules that the `aws` and `service` blocks must respect:
 * Fargate task sizes, CloudWatch Logs retention periods, EC2 resource ids,
 * VPC ranges and ECS rolling deployments. Each cites its public page.
 */
import { hostBitsProblem, parseIpv4Block } from "../../config/cidr";
import { Problems, describeValue } from "../../config/problems";
import { ServiceConfig } from "../../config/service";

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
            `${describeValue(value)} is not a ${what} such as ${prefix}-0123456789abcdef0`,
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
