/**
 * The `service` block: how PostgREST runs, in one vocabulary for both clouds.
 * Cloud-specific rules (Fargate sizes, Cloud Run cpu/memory pairs) are checked
 * by the cloud's own block parser.
 */
import { Cloud } from "./cloud";
import { parseSettings } from "./settings";
import { healthCheckProblem } from "../model/postgrest-settings";
import { DIGEST_PATTERN, DOCKER_HUB, parseImageReference } from "../model/image-reference";
import { Problems, readEnum, readNumber, readObject, readString, rejectUnknownKeys, readBoolean } from "./problems";

/** The PostgREST release this product is tested against; multi-arch (amd64, arm64) on Docker Hub. */
export const DEFAULT_IMAGE = "postgrest/postgrest:v16.2";

// log-level values (PostgREST docs/references/configuration.rst, log-level).
export const LOG_LEVELS = ["crit", "error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where tasks run on AWS: regular Fargate, or Fargate Spot (spare capacity, interruptible, x86 only). */
export const CAPACITY_TYPES = ["on-demand", "spot"] as const;
export type Capacity = (typeof CAPACITY_TYPES)[number];

export interface ServiceConfig {
    /** Container image, pinned to a release tag or digest. */
    image: string;
    /** PostgREST major version, read from the official image's tag or given as service.postgrestVersion; decides config syntax and health checks. */
    postgrestMajor: number;
    /** Resolve the image's tag to its digest at preview and run the image by digest. */
    resolveDigest: boolean;
    /** vCPUs per instance (0.25, 0.5, 1, 2, ...). */
    cpu: number;
    /** Memory per instance, MiB. */
    memory: number;
    minInstances: number;
    maxInstances: number;
    /** PostgREST connection pool size per instance (PGRST_DB_POOL). */
    dbPool: number;
    /** LISTEN for schema reloads (PGRST_DB_CHANNEL_ENABLED); false behind a transaction-mode pooler. */
    dbChannelEnabled: boolean;
    logLevel: LogLevel;
    /** AWS: on-demand Fargate, or Fargate Spot with `onDemandBase` tasks kept on regular Fargate. */
    capacity: Capacity;
    /** AWS, capacity spot: the first this-many tasks run on regular Fargate, the rest on Fargate Spot. */
    onDemandBase: number;
    /** Further PostgREST settings by PostgREST name, values as PostgREST reads them (model/postgrest-settings.ts). */
    settings: Record<string, string>;
}

/** Defaults that differ per cloud: the smallest Fargate size; Cloud Run's defaults, scaling to zero. */
export const SERVICE_DEFAULTS: Record<Cloud, Pick<ServiceConfig, "cpu" | "memory" | "minInstances">> = {
    aws: { cpu: 0.25, memory: 512, minInstances: 1 },
    gcp: { cpu: 1, memory: 512, minInstances: 0 },
};

const SERVICE_KEYS = [
    "image",
    "postgrestVersion",
    "resolveDigest",
    "cpu",
    "memory",
    "minInstances",
    "maxInstances",
    "dbPool",
    "dbChannelEnabled",
    "logLevel",
    "capacity",
    "onDemandBase",
    "settings",
];

export function parseService(value: unknown, key: string, cloud: Cloud, problems: Problems): ServiceConfig | undefined {
    const example = "service: { maxInstances: 2 }";
    if (value === undefined) {
        problems.add(key, "is required: at least service.maxInstances, which protects the database's connections", example);
        return undefined;
    }
    const obj = readObject(value, key, problems, example);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, SERVICE_KEYS, problems);
    const defaults = SERVICE_DEFAULTS[cloud];
    const before = problems.count;

    const image = readString(obj, "image", key, problems, { default: DEFAULT_IMAGE, example: `image: ${DEFAULT_IMAGE}` });
    const imageProblem = image === undefined ? undefined : unpinnedImageProblem(image);
    if (imageProblem) problems.add(`${key}.image`, imageProblem, `image: ${DEFAULT_IMAGE}`);
    const givenMajor = readNumber(obj, "postgrestVersion", key, problems, { optional: true, integer: true, min: 1, example: "postgrestVersion: 16" });
    const postgrestMajor = image === undefined || imageProblem ? undefined : majorOf(image, givenMajor, key, problems);
    const resolveDigest = readBoolean(obj, "resolveDigest", key, problems, {
        default: true,
        example: "resolveDigest: false (offline: deploys the tag as given)",
    });
    const cpu = readNumber(obj, "cpu", key, problems, { default: defaults.cpu, min: 0.08, example: `cpu: ${defaults.cpu}` });
    const memory = readNumber(obj, "memory", key, problems, { default: defaults.memory, integer: true, min: 128, example: "memory: 512" });
    const minInstances = readNumber(obj, "minInstances", key, problems, {
        default: defaults.minInstances,
        integer: true,
        min: 0,
        example: `minInstances: ${defaults.minInstances}`,
    });
    const maxInstances = readNumber(obj, "maxInstances", key, problems, { integer: true, min: 1, example: "maxInstances: 2" });
    if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances) {
        problems.add(
            `${key}.minInstances`,
            `(${minInstances}) must not exceed maxInstances (${maxInstances})`,
            `minInstances: ${Math.min(1, maxInstances)}`,
        );
    }
    const dbPool = readNumber(obj, "dbPool", key, problems, { default: 10, integer: true, min: 1, example: "dbPool: 10" });
    const dbChannelEnabled = readBoolean(obj, "dbChannelEnabled", key, problems, { default: true, example: "dbChannelEnabled: true" });
    const logLevel = readEnum(obj, "logLevel", key, problems, LOG_LEVELS, { default: "error", example: "logLevel: error" });
    const capacity = readEnum(obj, "capacity", key, problems, CAPACITY_TYPES, { default: "on-demand", example: "capacity: spot" });
    // Cloud Run has no interruptible capacity to choose; the key would silently do nothing there.
    if (cloud === "gcp" && obj.capacity !== undefined) {
        problems.add(`${key}.capacity`, "applies only on AWS (Fargate Spot); Cloud Run has no spot capacity", "remove capacity");
    }
    const onDemandBase = readNumber(obj, "onDemandBase", key, problems, { default: 0, integer: true, min: 0, example: "onDemandBase: 1" });
    if (obj.onDemandBase !== undefined && capacity === "on-demand") {
        problems.add(`${key}.onDemandBase`, "applies only to capacity: spot (with on-demand every task is on regular Fargate)", "capacity: spot");
    }
    if (onDemandBase !== undefined && maxInstances !== undefined && onDemandBase > maxInstances) {
        problems.add(
            `${key}.onDemandBase`,
            `(${onDemandBase}) exceeds maxInstances (${maxInstances}): no more tasks than that ever run`,
            `onDemandBase: ${Math.min(1, maxInstances)}`,
        );
    }
    const healthProblem = postgrestMajor === undefined ? undefined : healthCheckProblem(postgrestMajor);
    if (healthProblem) problems.add(`${key}.image`, healthProblem, `image: ${DEFAULT_IMAGE}`);
    const settings = postgrestMajor === undefined ? undefined : parseSettings(obj.settings, `${key}.settings`, postgrestMajor, problems);

    if (problems.count > before) return undefined;
    return {
        image: image!,
        postgrestMajor: postgrestMajor!,
        resolveDigest: resolveDigest!,
        cpu: cpu!,
        memory: memory!,
        minInstances: minInstances!,
        maxInstances: maxInstances!,
        dbPool: dbPool!,
        dbChannelEnabled: dbChannelEnabled!,
        logLevel: logLevel!,
        capacity: capacity!,
        onDemandBase: onDemandBase!,
        settings: settings!,
    };
}

/** Why `image` is not pinned to one release, or undefined when it is. */
export function unpinnedImageProblem(image: string): string | undefined {
    const { digest } = parseImageReference(image);
    if (digest !== undefined) {
        return DIGEST_PATTERN.test(digest) ? undefined : `"${image}" names the digest "${digest}", which is not sha256: and 64 hex digits`;
    }
    const lastSegment = image.slice(image.lastIndexOf("/") + 1);
    const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
    if (!tag) return `"${image}" has no tag; pin a release so that every deploy runs the same PostgREST`;
    if (tag === "latest") return `"${image}" uses the moving tag "latest"; pin a release`;
    return undefined;
}

/** The official image's repository: the only one whose tags are known to be PostgREST's release numbers. */
export const OFFICIAL_REPOSITORY = { registry: DOCKER_HUB, repository: "postgrest/postgrest" };

/**
 * The PostgREST major version of an official image, from a tag such as `v16.2` or `v12.2.1-cloudrun`; undefined when
 * it cannot be read: a digest alone, a tag without the `v`, or another repository, whose tags may mean anything.
 */
export function postgrestMajorOf(image: string): number | undefined {
    const reference = parseImageReference(image);
    if (reference.registry !== OFFICIAL_REPOSITORY.registry || reference.repository !== OFFICIAL_REPOSITORY.repository) return undefined;
    const match = /^v(\d+)(?:\.|-|$)/.exec(reference.tag ?? "");
    return match ? Number(match[1]) : undefined;
}

/** The major the program configures for: read from the image, else service.postgrestVersion; both must agree. */
function majorOf(image: string, given: number | undefined, key: string, problems: Problems): number | undefined {
    const read = postgrestMajorOf(image);
    if (read !== undefined && given !== undefined && read !== given) {
        problems.add(
            `${key}.postgrestVersion`,
            `is ${given}, but service.image "${image}" is PostgREST v${read}`,
            `postgrestVersion: ${read}, or remove it`,
        );
        return undefined;
    }
    if (read === undefined && given === undefined) {
        problems.add(
            `${key}.postgrestVersion`,
            `is required: the PostgREST version of service.image "${image}" cannot be read from it (only the official ` +
                "postgrest/postgrest image's vN.N tags are), and it decides the settings and health checks",
            "postgrestVersion: 16 (the image's PostgREST major version)",
        );
        return undefined;
    }
    return read ?? given;
}

/**
 * Database connections PostgREST may hold at the peak: its pool, plus one
 * LISTEN connection per instance when the channel is on (PostgREST
 * docs/references/listener.rst), times the instances that can run at once.
 */
export function peakConnections(service: Pick<ServiceConfig, "dbPool" | "dbChannelEnabled">, peakInstances: number): number {
    return peakInstances * (service.dbPool + (service.dbChannelEnabled ? 1 : 0));
}
