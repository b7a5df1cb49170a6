/**
 * The `gcp` block: settings that only mean something on Cloud Run, and the
 * Cloud Run rules for the `service` block (cpu / memory / concurrency /
 * execution environment). The rules themselves, with their sources, are in
 * rules.ts; the network and load balancer blocks in their own files.
 */
import { GcpLoadBalancer, LOAD_BALANCER_DEFAULTS, parseLoadBalancer } from "./load-balancer";
import { GcpNetwork, NETWORK_BLOCK, NETWORK_DEFAULTS } from "./network";
import {
    CLOUD_SQL_INSTANCE,
    CPU_NEEDS_MEMORY,
    EXECUTION_ENVIRONMENTS,
    ExecutionEnvironment,
    IAM_MEMBER,
    MAX_CONCURRENCY,
    MAX_MEMORY_MIB,
    MEMORY_NEEDS_CPU,
    MIN_MEMORY_MIB,
    REGION,
    WHOLE_CPUS,
    resolveRegion,
    subnetworkRegion,
} from "./rules";
import { ServiceConfig } from "../../config/service";
import {
    JsonObject,
    Problems,
    describeValue,
    readBoolean,
    readEnum,
    readModalBlock,
    readNumber,
    readObject,
    readString,
    readStringList,
    rejectUnknownKeys,
} from "../../config/problems";

/** How PostgREST receives PGRST_DB_URI and PGRST_JWT_SECRET from Secret Manager. */
export const SECRETS_AS = ["files", "env"] as const;
export type SecretsAs = (typeof SECRETS_AS)[number];

/** Defaults of the `gcp` block, in one place for the code, the tests and the docs. */
export const GCP_DEFAULTS = {
    secretsAs: "files",
    /** Requests one instance serves at once when cpu >= 1: Cloud Run's own default (https://cloud.google.com/run/docs/about-concurrency). */
    concurrency: 80,
    public: true,
    network: NETWORK_DEFAULTS,
    loadBalancer: LOAD_BALANCER_DEFAULTS,
} as const;

export interface GcpConfig {
    /** Region of the Cloud Run service: `gcp.region`, else the provider's `gcp:region`, else us-central1 (resolveRegion). */
    region: string;
    secretsAs: SecretsAs;
    /** maxInstanceRequestConcurrency. */
    concurrency: number;
    executionEnvironment: ExecutionEnvironment;
    /** true: anyone may invoke (invokerIamDisabled); false: only `invokerMembers`. */
    public: boolean;
    invokerMembers: string[];
    network: GcpNetwork;
    /** Cloud SQL connection name (project:region:instance); PostgREST connects through /cloudsql/<name>. */
    cloudSqlInstance?: string;
    /** PostgREST logs in as the service account's Cloud SQL IAM user, through the Cloud SQL Auth Proxy sidecar, with no password. */
    cloudSqlIamAuthentication: boolean;
    loadBalancer?: GcpLoadBalancer;
}

const GCP_KEYS = [
    "region",
    "secretsAs",
    "concurrency",
    "executionEnvironment",
    "public",
    "invokerMembers",
    "network",
    "cloudSqlInstance",
    "cloudSqlIamAuthentication",
    "loadBalancer",
];
/** Reads the `gcp` block at `key`, and checks the `service` block (at `serviceKey`) against Cloud Run's rules. */
export function parseGcp(
    value: unknown,
    key: string,
    service: ServiceConfig | undefined,
    serviceKey: string,
    problems: Problems,
    providerRegion?: string,
): GcpConfig | undefined {
    const obj = readObject(value ?? {}, key, problems, "gcp: { region: us-central1 }");
    if (!obj) return undefined;
    // gcp.deletionProtection moved to the top level: refused below with a pointer rather than as an unknown key.
    const { deletionProtection: movedKey, ...known } = obj;
    rejectUnknownKeys(known, key, GCP_KEYS, problems);
    const before = problems.count;

    const region = readString(obj, "region", key, problems, { optional: true, example: "region: us-central1" });
    if (region !== undefined && !REGION.test(region))
        problems.add(`${key}.region`, `${describeValue(region)} is not a Cloud Run region name`, "region: us-central1");
    const secretsAs = readEnum(obj, "secretsAs", key, problems, SECRETS_AS, { default: GCP_DEFAULTS.secretsAs, example: "secretsAs: files" });
    if (movedKey !== undefined) {
        problems.add(
            `${key}.deletionProtection`,
            "has moved to the top-level key deletionProtection, which protects the secrets and the roles on both clouds too",
            "pulumi config set deletionProtection true (and remove gcp.deletionProtection)",
        );
    }

    const sizing = service ? checkCloudRunSizing(obj, key, serviceKey, service, problems) : undefined;
    const access = parseAccess(obj, key, problems);
    const network = readModalBlock(obj.network ?? { mode: GCP_DEFAULTS.network.mode }, `${key}.network`, problems, NETWORK_BLOCK);
    // Direct VPC egress takes a subnetwork of the service's own region (https://cloud.google.com/run/docs/configuring/vpc-direct-vpc).
    const egressRegion = network?.mode === "existing" ? subnetworkRegion(network.subnetwork) : undefined;
    const serviceRegion = resolveRegion(region, providerRegion);
    if (egressRegion !== undefined && egressRegion !== serviceRegion) {
        problems.add(
            `${key}.network.subnetwork`,
            `is in ${egressRegion}, and the service runs in ${serviceRegion}${region === undefined ? " (gcp:region, or the default)" : ""}: Direct VPC egress needs a subnetwork of the service's region`,
            `region: ${egressRegion}, or a subnetwork in ${serviceRegion}`,
        );
    }

    const cloudSqlInstance = readString(obj, "cloudSqlInstance", key, problems, {
        optional: true,
        example: "cloudSqlInstance: my-project:us-central1:my-db",
    });
    if (cloudSqlInstance !== undefined && !CLOUD_SQL_INSTANCE.test(cloudSqlInstance)) {
        problems.add(
            `${key}.cloudSqlInstance`,
            `${describeValue(cloudSqlInstance)} is not a Cloud SQL connection name (project:region:instance)`,
            "cloudSqlInstance: my-project:us-central1:my-db",
        );
    }
    const cloudSqlIamAuthentication = readBoolean(obj, "cloudSqlIamAuthentication", key, problems, {
        default: false,
        example: "cloudSqlIamAuthentication: true",
    });
    const loadBalancer = obj.loadBalancer === undefined ? undefined : parseLoadBalancer(obj.loadBalancer, `${key}.loadBalancer`, problems);
    // Behind the load balancer, Cloud Run IAM would want a Google ID token the load balancer never attaches, and the
    // Authorization header carries PostgREST's JWT (https://cloud.google.com/run/docs/authenticating/service-to-service,
    // X-Serverless-Authorization); ingress is already limited to the load balancer, so the run.app URL stays closed.
    if (access?.public === false && obj.loadBalancer !== undefined) {
        problems.add(
            `${key}.public`,
            "is false with a load balancer: the load balancer attaches no Google ID token, so Cloud Run IAM would refuse every request; ingress already admits only the load balancer",
            "public: true (with loadBalancer), or no loadBalancer and callers send X-Serverless-Authorization",
        );
    }
    if (!sizing || problems.count > before) return undefined;
    return {
        region: serviceRegion,
        secretsAs: secretsAs!,
        ...sizing,
        ...access!,
        network: network!,
        cloudSqlInstance,
        cloudSqlIamAuthentication: cloudSqlIamAuthentication!,
        loadBalancer,
    };
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
        problems.add(
            `${key}.concurrency`,
            `is ${concurrency}, but with less than 1 vCPU (service.cpu ${cpu}) Cloud Run serves one request at a time`,
            "concurrency: 1, or service.cpu: 1",
        );
    }
    if (fractional && executionEnvironment === "gen2") {
        problems.add(
            `${key}.executionEnvironment`,
            `gen2 needs at least 1 vCPU, and service.cpu is ${cpu}`,
            "executionEnvironment: gen1, or service.cpu: 1",
        );
    }
    if (!fractional && !WHOLE_CPUS.includes(cpu)) {
        problems.add(
            `${serviceKey}.cpu`,
            `${cpu} vCPU is not a Cloud Run size: below 1 any fraction from 0.08, from 1 on ${WHOLE_CPUS.join(", ")}`,
            "cpu: 1",
        );
    }
    if (memory > MAX_MEMORY_MIB) {
        problems.add(
            `${serviceKey}.memory`,
            `${memory} MiB is more than Cloud Run's maximum of ${MAX_MEMORY_MIB} MiB (32 GiB)`,
            `memory: ${MAX_MEMORY_MIB}`,
        );
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
        problems.add(
            `${serviceKey}.memory`,
            `${memory} MiB needs at least ${memoryRule.cpu} vCPU on Cloud Run, and service.cpu is ${cpu}`,
            `cpu: ${memoryRule.cpu}, or memory: ${memoryRule.aboveMib}`,
        );
    }
    const cpuRule = CPU_NEEDS_MEMORY.find((rule) => cpu >= rule.cpu);
    if (cpuRule && memory < cpuRule.minMib) {
        problems.add(
            `${serviceKey}.memory`,
            `${cpu} vCPU needs at least ${cpuRule.minMib} MiB on Cloud Run, and service.memory is ${memory}`,
            `memory: ${cpuRule.minMib}`,
        );
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
                  : `${describeValue(member)} is not an IAM principal such as user:ana@example.com or serviceAccount:backend@my-project.iam.gserviceaccount.com`,
    });
    if (isPublic && invokerMembers && invokerMembers.length > 0) {
        problems.add(
            `${key}.invokerMembers`,
            "only applies when gcp.public is false: a public service already lets everyone invoke it",
            "public: false",
        );
    }
    if (problems.count > before) return undefined;
    return { public: isPublic!, invokerMembers: invokerMembers! };
}
