/** The `aws` block: settings that only mean something on ECS Fargate. */
import { ServiceConfig } from "./service";
import { Problems, readObject, rejectUnknownKeys } from "./problems";

export interface AwsConfig {}

const AWS_KEYS: string[] = [];

export function parseAws(value: unknown, key: string, _service: ServiceConfig | undefined, problems: Problems): AwsConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "aws: {}");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, AWS_KEYS, problems);
    return {};
}

/**
 * Tasks that can run at once: a rolling deployment starts new tasks before it
 * stops old ones, up to ECS's default maximumPercent of 200.
 */
export function awsPeakInstances(service: ServiceConfig, _aws: AwsConfig): number {
    return service.maxInstances * 2;
}
