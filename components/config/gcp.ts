/**
 * The `gcp` block: settings that only mean something on Cloud Run, and the
 * Cloud Run rules for the `service` block (cpu / memory / concurrency /
 * execution environment). Every rule cites the public page it comes from.
 */
import { hostBitsProblem, parseIpv4Block } from "./cidr";
import { ServiceConfig } from "./service";
import { isHostName } from "./host-name";
import { JsonObject, ModalBlock, Problems, describe, readBoolean, readEnum, readNumber, readObject, readString, readModalBlock, readStringList, rejectUnknownKeys } from "./problems";

/** How PostgREST receives PGRST_DB_URI and PGRST_JWT_SECRET from Secret Manager. */
export const SECRETS_AS = ["files", "env"] as const;
export type SecretsAs = (typeof SECRETS_AS)[number];

export const EXECUTION_ENVIRONMENTS = ["gen1", "gen2"] as const;
export type ExecutionEnvironment = (typeof EXECUTION_ENVIRONMENTS)[number];

/** none: Cloud Run's own egress; existing: Direct VPC egress into the user's subnetwork; create: into a new one. */
export const GCP_NETWORK_MODES = ["none", "existing", "create"] as const;
export type GcpNetworkMode = (typeof GCP_NETWORK_MODES)[number];

/** Defaults of the `gcp` block, in one place for the code, the tests and the README. */
export const GCP_DEFAULTS = {
    secretsAs: "files",
    /** Requests one instance serves at once when cpu >= 1: Cloud Run's own default (https://cloud.google.com/run/docs/about-concurrency). */
    concurrency: 80,
    deletionProtection: false,
    public: true,
    network: { mode: "none", ipCidrRange: "10.8.0.0/24" },
    loadBalancer: { pathPrefix: "/" },
} as const;

// Cloud Run limits (https://cloud.google.com/run/docs/configuring/services/cpu,
// https://cloud.google.com/run/docs/configuring/services/memory-limits, https://cloud.google.com/run/docs/configuring/concurrency).
const MAX_CONCURRENCY = 1000;
const WHOLE_CPUS = [1, 2, 4, 6, 8];
const MAX_MEMORY_MIB = 32 * 1024;
const MIN_MEMORY_MIB: Record<ExecutionEnvironment, number> = { gen1: 128, gen2: 512 };
/** Memory above `aboveMib` needs at least `cpu` vCPU. */
const MEMORY_NEEDS_CPU = [
    { aboveMib: 24 * 1024, cpu: 8 },
    { aboveMib: 16 * 1024, cpu: 6 },
    { aboveMib: 8 * 1024, cpu: 4 },
    { aboveMib: 4 * 1024, cpu: 2 },
    { aboveMib: 1024, cpu: 1 },
    { aboveMib: 512, cpu: 0.5 },
];
/** `cpu` vCPU needs at least `minMib` of memory. */
const CPU_NEEDS_MEMORY = [
    { cpu: 8, minMib: 4 * 1024 },
    { cpu: 4, minMib: 2 * 1024 },
];

/** Direct VPC egress into a subnetwork the user already has (for a database on a private IP). */
export interface ExistingGcpNetwork {
    mode: "existing";
    /** Subnetwork name or path (projects/P/regions/R/subnetworks/S); Cloud Run takes its IPs from it. */
    subnetwork: string;
    /** Network name or path; undefined: the subnetwork's network. */
    network?: string;
}

/** Direct VPC egress into a network and subnetwork this program creates (to peer, or to give Cloud SQL a private IP on). */
export interface CreatedGcpNetwork {
    mode: "create";
    ipCidrRange: string;
}

export type GcpNetwork = { mode: "none" } | ExistingGcpNetwork | CreatedGcpNetwork;

/** A global external Application Load Balancer in front of the service, routing a path prefix to it. */
export interface GcpLoadBalancer {
    /** Host name of the Google-managed certificate; its DNS A record must point at the load balancer's address. */
    domain: string;
    /** Requests under this path go to PostgREST, with the prefix stripped; "/" sends everything. */
    pathPrefix: string;
    /** Backend service or bucket (path or URL) for every other path; undefined: PostgREST serves everything. */
    defaultBackend?: string;
}

export interface GcpConfig {
    /** Region of the Cloud Run service; undefined: the provider's `gcp:region`, else us-central1 (components/gcp resolveRegion). */
    region?: string;
    secretsAs: SecretsAs;
    /** maxInstanceRequestConcurrency. */
    concurrency: number;
    executionEnvironment: ExecutionEnvironment;
    deletionProtection: boolean;
    /** true: anyone may invoke (invokerIamDisabled); false: only `invokerMembers`. */
    public: boolean;
    invokerMembers: string[];
    network: GcpNetwork;
    /** Cloud SQL connection name (project:region:instance); PostgREST connects through /cloudsql/<name>. */
    cloudSqlInstance?: string;
    loadBalancer?: GcpLoadBalancer;
}

const GCP_KEYS = [
    "region",
    "secretsAs",
    "concurrency",
    "executionEnvironment",
    "deletionProtection",
    "public",
    "invokerMembers",
    "network",
    "cloudSqlInstance",
    "loadBalancer",
];
const LOAD_BALANCER_KEYS = ["domain", "pathPrefix", "defaultBackend"];

// Cloud Run regions are named like us-central1, europe-west1, northamerica-northeast2 (Cloud Run locations).
const REGION = /^[a-z]+-[a-z]+\d+$/;
// Compute resource names (RFC 1035 labels, Compute Engine naming convention), or a path / URL to one.
const RESOURCE_NAME = "[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?";
const RESOURCE_PATH_PREFIX = "(?:https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta)/)?projects/[^/\\s]+";
const NETWORK_REF = new RegExp(`^(?:${RESOURCE_NAME}|${RESOURCE_PATH_PREFIX}/global/networks/${RESOURCE_NAME})$`);
const SUBNETWORK_REF = new RegExp(`^(?:${RESOURCE_NAME}|${RESOURCE_PATH_PREFIX}/regions/[a-z]+-[a-z]+\\d+/subnetworks/${RESOURCE_NAME})$`);
const DEFAULT_BACKEND_REF = new RegExp(`^${RESOURCE_PATH_PREFIX}/global/(?:backendServices|backendBuckets)/${RESOURCE_NAME}$`);
// Cloud SQL connection names: project:region:instance, the project optionally domain-scoped (Cloud SQL docs, instance connection name).
const CLOUD_SQL_INSTANCE = /^(?:[a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]:[a-z]+-[a-z]+\d+:[a-z][-a-z0-9]*$/;
// IAM principals (IAM docs, principal identifiers).
const IAM_MEMBER = /^(?:user|serviceAccount|group|domain|principal|principalSet):\S+$/;

/** Reads the `gcp` block at `key`, and checks the `service` block (at `serviceKey`) against Cloud Run's rules. */
export function parseGcp(value: unknown, key: string, service: ServiceConfig | undefined, serviceKey: string, problems: Problems): GcpConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "gcp: { region: us-central1 }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, GCP_KEYS, problems);
    const before = problems.count;

    const region = readString(obj, "region", key, problems, { optional: true, example: "region: us-central1" });
    if (region !== undefined && !REGION.test(region)) problems.add(`${key}.region`, `${describe(region)} is not a Cloud Run region name`, "region: us-central1");
    const secretsAs = readEnum(obj, "secretsAs", key, problems, SECRETS_AS, { default: GCP_DEFAULTS.secretsAs, example: "secretsAs: files" });
    const deletionProtection = readBoolean(obj, "deletionProtection", key, problems, {
        default: GCP_DEFAULTS.deletionProtection,
        example: "deletionProtection: true (production), false lets `pulumi destroy` delete the service",
    });

    const sizing = service ? checkCloudRunSizing(obj, key, serviceKey, service, problems) : undefined;
    const access = parseAccess(obj, key, problems);
    const network = readModalBlock(obj.network ?? { mode: GCP_DEFAULTS.network.mode }, `${key}.network`, problems, NETWORK_BLOCK);

    const cloudSqlInstance = readString(obj, "cloudSqlInstance", key, problems, { optional: true, example: "cloudSqlInstance: my-project:us-central1:my-db" });
    if (cloudSqlInstance !== undefined && !CLOUD_SQL_INSTANCE.test(cloudSqlInstance)) {
        problems.add(`${key}.cloudSqlInstance`, `${describe(cloudSqlInstance)} is not a Cloud SQL connection name (project:region:instance)`, "cloudSqlInstance: my-project:us-central1:my-db");
    }
    const loadBalancer = obj.loadBalancer === undefined ? undefined : parseLoadBalancer(obj.loadBalancer, `${key}.loadBalancer`, problems);
    if (!sizing || problems.count > before) return undefined;
    return { region, secretsAs: secretsAs!, deletionProtection: deletionProtection!, ...sizing, ...access!, network: network!, cloudSqlInstance, loadBalancer };
}

/**
 * Checks service.cpu / service.memory against Cloud Run's rules and reads the
 * concurrency and execution environment, whose defaults follow from them.
 */
function checkCloudRunSizing(
    obj: JsonObject,
    key: string,
    serviceKey: string,
    service: ServiceConfig,
    problems: Problems,
): Pick<GcpConfig, "concurrency" | "executionEnvironment"> | undefined {
    const { cpu, memory } = service;
    const fractional = cpu < 1;
    // Below 1 vCPU Cloud Run takes one request at a time and runs gen1 only (https://cloud.google.com/run/docs/configuring/services/cpu).
    const concurrency = readNumber(obj, "concurrency", key, problems, {
        default: fractional ? 1 : GCP_DEFAULTS.concurrency,
        integer: true,
        min: 1,
        max: MAX_CONCURRENCY,
        example: fractional ? "concurrency: 1" : "concurrency: 80",
    });
    const defaultEnvironment: ExecutionEnvironment = fractional || memory < MIN_MEMORY_MIB.gen2 ? "gen1" : "gen2";
    const executionEnvironment = readEnum(obj, "executionEnvironment", key, problems, EXECUTION_ENVIRONMENTS, {
        default: defaultEnvironment,
        example: `executionEnvironment: ${defaultEnvironment}`,
    });
    const before = problems.count;

    if (fractional && concurrency !== undefined && concurrency > 1) {
        problems.add(`${key}.concurrency`, `is ${concurrency}, but with less than 1 vCPU (service.cpu ${cpu}) Cloud Run serves one request at a time`, "concurrency: 1, or service.cpu: 1");
    }
    if (fractional && executionEnvironment === "gen2") {
        problems.add(`${key}.executionEnvironment`, `gen2 needs at least 1 vCPU, and service.cpu is ${cpu}`, "executionEnvironment: gen1, or service.cpu: 1");
    }
    if (!fractional && !WHOLE_CPUS.includes(cpu)) {
        problems.add(`${serviceKey}.cpu`, `${cpu} vCPU is not a Cloud Run size: below 1 any fraction from 0.08, from 1 on ${WHOLE_CPUS.join(", ")}`, "cpu: 1");
    }
    if (memory > MAX_MEMORY_MIB) {
        problems.add(`${serviceKey}.memory`, `${memory} MiB is more than Cloud Run's maximum of ${MAX_MEMORY_MIB} MiB (32 GiB)`, `memory: ${MAX_MEMORY_MIB}`);
    }
    if (executionEnvironment !== undefined && memory < MIN_MEMORY_MIB[executionEnvironment]) {
        problems.add(
            `${serviceKey}.memory`,
            `${memory} MiB is below the ${MIN_MEMORY_MIB[executionEnvironment]} MiB minimum of the ${executionEnvironment} execution environment`,
            executionEnvironment === "gen2" ? "memory: 512, or gcp.executionEnvironment: gen1" : "memory: 128",
        );
    }
    const memoryRule = MEMORY_NEEDS_CPU.find((rule) => memory > rule.aboveMib);
    if (memoryRule && cpu < memoryRule.cpu) {
        problems.add(`${serviceKey}.memory`, `${memory} MiB needs at least ${memoryRule.cpu} vCPU on Cloud Run, and service.cpu is ${cpu}`, `cpu: ${memoryRule.cpu}, or memory: ${memoryRule.aboveMib}`);
    }
    const cpuRule = CPU_NEEDS_MEMORY.find((rule) => cpu >= rule.cpu);
    if (cpuRule && memory < cpuRule.minMib) {
        problems.add(`${serviceKey}.memory`, `${cpu} vCPU needs at least ${cpuRule.minMib} MiB on Cloud Run, and service.memory is ${memory}`, `memory: ${cpuRule.minMib}`);
    }

    if (concurrency === undefined || executionEnvironment === undefined || problems.count > before) return undefined;
    return { concurrency, executionEnvironment };
}

function parseAccess(obj: JsonObject, key: string, problems: Problems): Pick<GcpConfig, "public" | "invokerMembers"> | undefined {
    const before = problems.count;
    const isPublic = readBoolean(obj, "public", key, problems, { default: GCP_DEFAULTS.public, example: "public: true" });
    const invokerMembers = readStringList(obj, "invokerMembers", key, problems, {
        default: [],
        example: "invokerMembers: [serviceAccount:backend@my-project.iam.gserviceaccount.com]",
        check: (member) =>
            member === "allUsers" || member === "allAuthenticatedUsers"
                ? `"${member}" makes the API public: set gcp.public: true instead`
                : IAM_MEMBER.test(member)
                  ? undefined
                  : `${describe(member)} is not an IAM principal such as user:ana@example.com or serviceAccount:backend@my-project.iam.gserviceaccount.com`,
    });
    if (isPublic && invokerMembers && invokerMembers.length > 0) {
        problems.add(`${key}.invokerMembers`, "only applies when gcp.public is false: a public service already lets everyone invoke it", "public: false");
    }
    if (problems.count > before) return undefined;
    return { public: isPublic!, invokerMembers: invokerMembers! };
}

/** The `gcp.network` block: Direct VPC egress, or none. */
const NETWORK_BLOCK: ModalBlock<GcpNetworkMode, GcpNetwork> = {
    example: "network: { mode: existing, subnetwork: my-subnet }",
    modes: GCP_NETWORK_MODES,
    defaultMode: GCP_DEFAULTS.network.mode,
    keysOfMode: { none: [], existing: ["network", "subnetwork"], create: ["ipCidrRange"] },
    read: readNetworkOfMode,
};

function readNetworkOfMode(obj: JsonObject, mode: GcpNetworkMode, key: string, problems: Problems): GcpNetwork {
    switch (mode) {
        case "none":
            return { mode };
        case "existing": {
            const subnetwork = readString(obj, "subnetwork", key, problems, { example: "subnetwork: my-subnet (in the service's region, /26 or larger)" });
            if (subnetwork !== undefined && !SUBNETWORK_REF.test(subnetwork)) {
                problems.add(`${key}.subnetwork`, `${describe(subnetwork)} is not a subnetwork name or projects/P/regions/R/subnetworks/S path`, "subnetwork: my-subnet");
            }
            const network = readString(obj, "network", key, problems, { optional: true, example: "network: my-vpc" });
            if (network !== undefined && !NETWORK_REF.test(network)) {
                problems.add(`${key}.network`, `${describe(network)} is not a network name or projects/P/global/networks/N path`, "network: my-vpc");
            }
            return { mode, subnetwork: subnetwork!, network };
        }
        case "create": {
            const ipCidrRange = readString(obj, "ipCidrRange", key, problems, { default: GCP_DEFAULTS.network.ipCidrRange, example: `ipCidrRange: ${GCP_DEFAULTS.network.ipCidrRange}` });
            const cidrProblem = ipCidrRange === undefined ? undefined : subnetCidrProblem(ipCidrRange);
            if (cidrProblem) problems.add(`${key}.ipCidrRange`, cidrProblem, `ipCidrRange: ${GCP_DEFAULTS.network.ipCidrRange}`);
            return { mode, ipCidrRange: ipCidrRange! };
        }
    }
}


/**
 * Why `cidr` cannot be the created subnetwork's range, or undefined. Direct
 * VPC egress reserves addresses in blocks of 16 and needs a /26 or larger
 * (Cloud Run docs, Direct VPC egress, IP address allocation); a private
 * (RFC 1918) range keeps PRIVATE_RANGES_ONLY egress meaningful.
 */
export function subnetCidrProblem(cidr: string): string | undefined {
    const block = parseIpv4Block(cidr, GCP_DEFAULTS.network.ipCidrRange);
    if (typeof block === "string") return block;
    if (block.prefix < 8 || block.prefix > 26) return `/${block.prefix} is outside /8 to /26: Direct VPC egress needs a /26 or larger subnetwork`;
    const [a, b] = block.octets;
    const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
    if (!isPrivate) return `${cidr} is not a private (RFC 1918) range: use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`;
    return hostBitsProblem(cidr, block);
}

function parseLoadBalancer(value: unknown, key: string, problems: Problems): GcpLoadBalancer | undefined {
    const example = "loadBalancer: { domain: api.example.com, pathPrefix: /rest, defaultBackend: projects/my-project/global/backendServices/web }";
    const obj = readObject(value, key, problems, example);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, LOAD_BALANCER_KEYS, problems);
    const before = problems.count;

    const domain = readString(obj, "domain", key, problems, { example: "domain: api.example.com (the host name the managed certificate is issued for)" });
    // Google-managed SSL certificates take no wildcard domains (Compute Engine docs, Google-managed SSL certificates).
    const domainProblem =
        domain === undefined
            ? undefined
            : domain.includes("*")
              ? "a Google-managed certificate cannot cover a wildcard domain; name one host"
              : isHostName(domain) && domain === domain.toLowerCase()
                ? undefined
                : `${describe(domain)} is not a lower-case host name such as api.example.com`;
    if (domainProblem) problems.add(`${key}.domain`, domainProblem, "domain: api.example.com");

    const pathPrefix = readString(obj, "pathPrefix", key, problems, { default: GCP_DEFAULTS.loadBalancer.pathPrefix, example: "pathPrefix: /rest" });
    const prefixProblem = pathPrefix === undefined ? undefined : pathPrefixProblem(pathPrefix);
    if (prefixProblem) problems.add(`${key}.pathPrefix`, prefixProblem, "pathPrefix: /rest");

    const defaultBackend = readString(obj, "defaultBackend", key, problems, { optional: true, example: "defaultBackend: projects/my-project/global/backendServices/web" });
    if (defaultBackend !== undefined && !DEFAULT_BACKEND_REF.test(defaultBackend)) {
        problems.add(
            `${key}.defaultBackend`,
            `${describe(defaultBackend)} is not a global backend service or bucket path (projects/P/global/backendServices/NAME)`,
            "defaultBackend: projects/my-project/global/backendServices/web",
        );
    }
    if (defaultBackend !== undefined && pathPrefix === "/") {
        problems.add(`${key}.pathPrefix`, "is /, so every path goes to PostgREST and defaultBackend would get nothing", "pathPrefix: /rest");
    }
    if (problems.count > before) return undefined;
    return { domain: domain!, pathPrefix: pathPrefix!, defaultBackend };
}

/** Why `prefix` cannot route to PostgREST, or undefined: "/" or "/segment[/segment...]" without a trailing slash. */
export function pathPrefixProblem(prefix: string): string | undefined {
    if (prefix === "/") return undefined;
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) {
        return `${describe(prefix)} must be "/" or a path such as /rest or /api/data: starting with /, no trailing /, no wildcards`;
    }
    return undefined;
}

/**
 * Instances that can run at once: the service-level scaling.maxInstanceCount
 * caps all revisions that receive traffic together (Cloud Run docs, "Set
 * maximum instances", service-level versus revision-level), and the service
 * sets it to service.maxInstances.
 */
export function gcpPeakInstances(service: Pick<ServiceConfig, "maxInstances">): number {
    return service.maxInstances;
}
