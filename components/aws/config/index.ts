/**
 * The `aws` block: settings that only mean something on ECS Fargate, and the
 * AWS rules for the `service` block (Fargate task sizes). The rules
 * themselves, with their sources, are in rules.ts; the network block in
 * network.ts.
 */
import { Ingress, checkServiceBehindHttpApi, parseIngress } from "./ingress";
import { AwsNetwork, NETWORK_BLOCK, NETWORK_DEFAULTS } from "./network";
import { LOG_RETENTION_DAYS, checkId, fargateSizeProblem, isId } from "./rules";
import { isHostName } from "../../config/host-name";
import { DOCKER_HUB, parseImageReference } from "../../model/image-reference";
import { DEFAULT_IMAGE, OFFICIAL_REPOSITORY, ServiceConfig, postgrestMajorOf } from "../../config/service";
import { Problems, describeValue, readEnum, readModalBlock, readNumber, readObject, readString, rejectUnknownKeys } from "../../config/problems";

export const CPU_ARCHITECTURES = ["ARM64", "X86_64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** Defaults of the `aws` block, in one place for the code, the tests and the docs. */
export const AWS_DEFAULTS = {
    network: NETWORK_DEFAULTS,
    logRetentionDays: 30,
    scaling: { cpuPercent: 60, requestsPerTaskPerMinute: 3000 },
} as const;

export interface AwsConfig {
    network: AwsNetwork;
    /** How requests reach the tasks: the stack's own load balancer, a rule on a shared one, or an HTTP API. */
    ingress: Ingress;
    /** The database's security group; when given, it gets an ingress rule from the tasks on the database port. */
    databaseSecurityGroupId?: string;
    /** ACM certificate of the HTTPS listener; undefined: one is created and DNS-validated when hostedZoneId is set, else HTTP only. */
    certificateArn?: string;
    /** The API's own host name (a DNS record aliasing the load balancer), used in `url`. */
    domainName?: string;
    /** Route 53 public hosted zone of domainName: the program creates the alias record, and the certificate unless certificateArn is given. */
    hostedZoneId?: string;
    logRetentionDays: number;
    cpuArchitecture: CpuArchitecture;
    /** Fargate task size: service.cpu in cpu units, service.memory in MiB. */
    taskCpu: number;
    taskMemory: number;
    scaling: { cpuPercent: number; requestsPerTaskPerMinute: number };
    /** Tasks pull the Docker Hub image through an ECR pull-through cache rule, not from Docker Hub; undefined: from Docker Hub. */
    imagePullThroughCache?: ImagePullThroughCache;
}

export interface ImagePullThroughCache {
    /** Secrets Manager secret with the Docker Hub user name and access token; its name starts with ecr-pullthroughcache/. */
    credentialArn: string;
    /** The ECR repository prefix of the rule: one rule per prefix per account and region. */
    repositoryPrefix: string;
}

/** The rule's repository prefix when none is given: the one the ECR console uses for Docker Hub. */
export const DEFAULT_PULL_THROUGH_PREFIX = "docker-hub";
const PULL_THROUGH_KEYS = ["credentialArn", "repositoryPrefix"];
const PULL_THROUGH_EXAMPLE =
    "imagePullThroughCache: { credentialArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf }";

const AWS_KEYS = [
    "network",
    "databaseSecurityGroupId",
    "certificateArn",
    "domainName",
    "hostedZoneId",
    "logRetentionDays",
    "cpuArchitecture",
    "scaling",
    "ingress",
    "sharedLoadBalancer",
    "httpApi",
    "imagePullThroughCache",
];

const SCALING_KEYS = ["cpuPercent", "requestsPerTaskPerMinute"];

/**
 * The CPU architecture an image runs on when the user does not say: the
 * official image publishes linux/arm64 beside linux/amd64 (checked for v16 in
 * PostgREST's release workflow), so Graviton, which Fargate prices 20% lower
 * (https://aws.amazon.com/fargate/pricing/); any other image is assumed amd64-only.
 */
export function defaultCpuArchitecture(service: Pick<ServiceConfig, "image" | "postgrestMajor">): CpuArchitecture {
    const { registry, repository } = parseImageReference(service.image);
    const official = registry === OFFICIAL_REPOSITORY.registry && repository === OFFICIAL_REPOSITORY.repository;
    return official && service.postgrestMajor >= postgrestMajorOf(DEFAULT_IMAGE)! ? "ARM64" : "X86_64";
}

/** Reads the `aws` block at `key`, and checks the `service` block (at `serviceKey`) against Fargate's rules. */
export function parseAws(
    value: unknown,
    key: string,
    service: ServiceConfig | undefined,
    serviceKey: string,
    problems: Problems,
): AwsConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "aws: { network: { nat: none } }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, AWS_KEYS, problems);
    const before = problems.count;

    const network = readModalBlock(obj.network ?? {}, `${key}.network`, problems, NETWORK_BLOCK);
    const databaseSecurityGroupId = readString(obj, "databaseSecurityGroupId", key, problems, {
        optional: true,
        example: "databaseSecurityGroupId: sg-0123456789abcdef0",
    });
    checkId(databaseSecurityGroupId, "sg", `${key}.databaseSecurityGroupId`, "security group id", problems);
    // A security group rule references groups of its own VPC or of a peered one
    // (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html); a VPC created here is neither.
    if (databaseSecurityGroupId !== undefined && isId(databaseSecurityGroupId, "sg") && network?.mode === "create") {
        problems.add(
            `${key}.databaseSecurityGroupId`,
            "belongs to the database's VPC, and network.mode create makes a new VPC, whose tasks' group it cannot reference",
            "network: { mode: existing, vpcId: <the database's VPC>, publicSubnetIds: [...] }, or no databaseSecurityGroupId",
        );
    }
    const certificateArn = readString(obj, "certificateArn", key, problems, {
        optional: true,
        example: "certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-...",
    });
    // ACM certificate ARN format (AWS ARN reference, ACM resource types): arn:partition:acm:region:account:certificate/id.
    if (certificateArn !== undefined && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
        problems.add(
            `${key}.certificateArn`,
            `${describeValue(certificateArn)} is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID), in the stack's region`,
            "certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        );
    }
    const domainName = readString(obj, "domainName", key, problems, { optional: true, example: "domainName: api.example.com" });
    if (domainName !== undefined && !isHostName(domainName))
        problems.add(
            `${key}.domainName`,
            `${describeValue(domainName)} is not a host name such as api.example.com (no scheme, no path)`,
            "domainName: api.example.com",
        );
    // The certificate names the user's domain, not the load balancer's generated name, so an https URL needs the domain.
    if (certificateArn !== undefined && domainName === undefined) {
        problems.add(
            `${key}.domainName`,
            "is required with certificateArn: the certificate is for your domain, so clients must call that name, not the load balancer's",
            "domainName: api.example.com (then a DNS alias or CNAME to the load balancer, `pulumi stack output details`)",
        );
    }
    const hostedZoneId = readString(obj, "hostedZoneId", key, problems, { optional: true, example: "hostedZoneId: Z0123456789ABCDEFGHIJ" });
    // Route 53 hosted zone ids: "Z" and upper-case letters and digits, at most 32 characters (Route 53 API reference, HostedZone Id).
    if (hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) {
        problems.add(
            `${key}.hostedZoneId`,
            `${describeValue(hostedZoneId)} is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (without /hostedzone/)`,
            "hostedZoneId: Z0123456789ABCDEFGHIJ",
        );
    }
    if (hostedZoneId !== undefined && domainName === undefined) {
        problems.add(
            `${key}.domainName`,
            "is required with hostedZoneId: it is the name the certificate and the alias record are made for",
            "domainName: api.example.com (a name inside the hosted zone)",
        );
    }
    const logRetentionDays = readNumber(obj, "logRetentionDays", key, problems, {
        default: AWS_DEFAULTS.logRetentionDays,
        integer: true,
        example: "logRetentionDays: 30",
    });
    if (logRetentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
        problems.add(
            `${key}.logRetentionDays`,
            `${logRetentionDays} is not a CloudWatch Logs retention period; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
            "logRetentionDays: 30",
        );
    }
    const ingress = parseIngress(obj, key, problems);
    if (ingress?.type === "http-api" && service) checkServiceBehindHttpApi(service, serviceKey, problems);
    // The shared load balancer reaches its targets, and references the tasks' group, only in its own VPC, which a created VPC is not.
    if (ingress?.type === "shared-load-balancer" && network?.mode === "create") {
        problems.add(
            `${key}.network.mode`,
            "is create, and ingress shared-load-balancer needs the tasks in the shared load balancer's VPC",
            "network: { mode: existing, vpcId: <the load balancer's VPC>, publicSubnetIds: [...] }",
        );
    }
    // Fargate Spot runs only Linux X86_64 tasks (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html),
    // so spot makes X86_64 the default and refuses an explicit ARM64.
    const spot = service?.capacity === "spot";
    if (spot && obj.cpuArchitecture === "ARM64") {
        problems.add(
            `${key}.cpuArchitecture`,
            `is ARM64, and ${serviceKey}.capacity is spot: Fargate Spot runs only X86_64 tasks; choose one or the other`,
            `cpuArchitecture: X86_64, or ${serviceKey}.capacity: on-demand`,
        );
    }
    const architectureDefault = service && !spot ? defaultCpuArchitecture(service) : "X86_64";
    const cpuArchitecture = readEnum(obj, "cpuArchitecture", key, problems, CPU_ARCHITECTURES, {
        default: architectureDefault,
        example: "cpuArchitecture: X86_64 (for an image built only for amd64)",
    });
    const scaling = parseScaling(obj.scaling ?? {}, `${key}.scaling`, problems);
    const imagePullThroughCache =
        obj.imagePullThroughCache === undefined
            ? undefined
            : parsePullThroughCache(obj.imagePullThroughCache, `${key}.imagePullThroughCache`, problems);
    if (imagePullThroughCache && service && parseImageReference(service.image).registry !== DOCKER_HUB) {
        problems.add(
            `${key}.imagePullThroughCache`,
            `caches Docker Hub, and service.image "${service.image}" is from ${parseImageReference(service.image).registry}`,
            "remove imagePullThroughCache, or use a Docker Hub image",
        );
    }

    if (service) checkServiceOnFargate(service, serviceKey, problems);

    if (!service || problems.count > before) return undefined;
    return {
        network: network!,
        ingress: ingress!,
        databaseSecurityGroupId,
        certificateArn,
        domainName,
        hostedZoneId,
        logRetentionDays: logRetentionDays!,
        cpuArchitecture: cpuArchitecture!,
        scaling: scaling!,
        ...(imagePullThroughCache && { imagePullThroughCache }),
        taskCpu: service.cpu * 1024,
        taskMemory: service.memory,
    };
}

/** Whether the load balancer serves HTTPS: with a given certificate, or one the program creates in the hosted zone. */
export function servesHttps(aws: Pick<AwsConfig, "certificateArn" | "hostedZoneId">): boolean {
    return aws.certificateArn !== undefined || aws.hostedZoneId !== undefined;
}

/**
 * What preview warns about a stack's own load balancer serving plain HTTP, or undefined: it serves HTTPS, or the
 * front door is not the stack's (an HTTP API's endpoint is HTTPS only; a shared listener is the user's).
 */
export function plainHttpWarning(aws: Pick<AwsConfig, "certificateArn" | "hostedZoneId" | "ingress">, key: string): string | undefined {
    if (aws.ingress.type !== "load-balancer" || servesHttps(aws)) return undefined;
    return (
        `The API is served over plain HTTP: bearer tokens (JWTs) travel in clear text between clients and the load balancer. ` +
        `For HTTPS, set ${key}.domainName and ${key}.hostedZoneId (a Route 53 zone: the certificate is created and validated), or ${key}.certificateArn.`
    );
}

/** The service block's AWS rules: a Fargate task size, and a task always running. */
function checkServiceOnFargate(service: ServiceConfig, serviceKey: string, problems: Problems): void {
    const sizeProblem = fargateSizeProblem(service.cpu, service.memory);
    if (sizeProblem) problems.add(`${serviceKey}.${sizeProblem.field}`, sizeProblem.problem, sizeProblem.example);
    // Target tracking scales on the load of running tasks; with none, nothing brings the API back up.
    if (service.minInstances < 1) {
        problems.add(
            `${serviceKey}.minInstances`,
            "must be at least 1 on AWS: ECS does not start a task on an incoming request, so 0 would leave the API down",
            "minInstances: 1",
        );
    }
}

/**
 * The pull-through cache rule for Docker Hub: Docker Hub needs credentials, in a Secrets Manager secret whose name
 * starts with ecr-pullthroughcache/, in the rule's account and region
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html); the prefix is 2 to 30
 * characters of a repository name (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html).
 */
function parsePullThroughCache(value: unknown, key: string, problems: Problems): ImagePullThroughCache | undefined {
    const obj = readObject(value, key, problems, PULL_THROUGH_EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, PULL_THROUGH_KEYS, problems);
    const before = problems.count;
    const credentialArn = readString(obj, "credentialArn", key, problems, { example: PULL_THROUGH_EXAMPLE });
    if (credentialArn !== undefined && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache\/.+$/.test(credentialArn)) {
        problems.add(
            `${key}.credentialArn`,
            `${describeValue(credentialArn)} is not the ARN of a Secrets Manager secret named ecr-pullthroughcache/...: ECR reads Docker Hub credentials only from such a secret`,
            "credentialArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
        );
    }
    const repositoryPrefix = readString(obj, "repositoryPrefix", key, problems, {
        default: DEFAULT_PULL_THROUGH_PREFIX,
        example: `repositoryPrefix: ${DEFAULT_PULL_THROUGH_PREFIX}`,
    });
    if (
        repositoryPrefix !== undefined &&
        !(repositoryPrefix.length >= 2 && repositoryPrefix.length <= 30 && /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(repositoryPrefix))
    ) {
        problems.add(
            `${key}.repositoryPrefix`,
            `${describeValue(repositoryPrefix)} is not 2 to 30 lowercase letters, digits and . _ - between them`,
            `repositoryPrefix: ${DEFAULT_PULL_THROUGH_PREFIX}-postgrest`,
        );
    }
    if (problems.count > before) return undefined;
    return { credentialArn: credentialArn!, repositoryPrefix: repositoryPrefix! };
}

function parseScaling(value: unknown, key: string, problems: Problems): AwsConfig["scaling"] | undefined {
    const obj = readObject(value, key, problems, "scaling: { cpuPercent: 60, requestsPerTaskPerMinute: 3000 }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, SCALING_KEYS, problems);
    const before = problems.count;
    const cpuPercent = readNumber(obj, "cpuPercent", key, problems, {
        default: AWS_DEFAULTS.scaling.cpuPercent,
        min: 10,
        max: 90,
        example: "cpuPercent: 60",
    });
    const requestsPerTaskPerMinute = readNumber(obj, "requestsPerTaskPerMinute", key, problems, {
        default: AWS_DEFAULTS.scaling.requestsPerTaskPerMinute,
        integer: true,
        min: 1,
        example: "requestsPerTaskPerMinute: 3000",
    });
    if (problems.count > before) return undefined;
    return { cpuPercent: cpuPercent!, requestsPerTaskPerMinute: requestsPerTaskPerMinute! };
}
