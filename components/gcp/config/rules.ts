/**
 * Google Cloud's documented rules that the `gcp` and `service` blocks must
 * respect: Cloud Run sizes and limits, resource and principal name formats,
 * and how many instances run at once. Each cites its public page.
 */
import { ServiceConfig } from "../../config/service";

export const EXECUTION_ENVIRONMENTS = ["gen1", "gen2"] as const;
export type ExecutionEnvironment = (typeof EXECUTION_ENVIRONMENTS)[number];

// Cloud Run limits (https://cloud.google.com/run/docs/configuring/services/cpu,
// https://cloud.google.com/run/docs/configuring/services/memory-limits, https://cloud.google.com/run/docs/configuring/concurrency).
export const MAX_CONCURRENCY = 1000;
export const WHOLE_CPUS = [1, 2, 4, 6, 8];
export const MAX_MEMORY_MIB = 32 * 1024;
export const MIN_MEMORY_MIB: Record<ExecutionEnvironment, number> = { gen1: 128, gen2: 512 };
/** Memory above `aboveMib` needs at least `cpu` vCPU. */
export const MEMORY_NEEDS_CPU = [
    { aboveMib: 24 * 1024, cpu: 8 },
    { aboveMib: 16 * 1024, cpu: 6 },
    { aboveMib: 8 * 1024, cpu: 4 },
    { aboveMib: 4 * 1024, cpu: 2 },
    { aboveMib: 1024, cpu: 1 },
    { aboveMib: 512, cpu: 0.5 },
];
/** `cpu` vCPU needs at least `minMib` of memory. */
export const CPU_NEEDS_MEMORY = [
    { cpu: 8, minMib: 4 * 1024 },
    { cpu: 6, minMib: 4 * 1024 },
    { cpu: 4, minMib: 2 * 1024 },
];

/** The region when neither `gcp.region` nor the provider's is set: tier 1, whose prices components/gcp/costs.ts uses (https://cloud.google.com/run/pricing). */
export const FALLBACK_REGION = "us-central1";

/** The region: `gcp.region`, else the provider's (`gcp:region` or its environment variables), else FALLBACK_REGION. */
export function resolveRegion(configured: string | undefined, providerRegion: string | undefined): string {
    return configured ?? providerRegion ?? FALLBACK_REGION;
}

/** The region named in a subnetwork path (projects/P/regions/R/subnetworks/S), or undefined for a bare name. */
export function subnetworkRegion(subnetwork: string): string | undefined {
    return /\/regions\/([^/]+)\/subnetworks\//.exec(subnetwork)?.[1];
}

// Cloud Run regions are named like us-central1, europe-west1, northamerica-northeast2 (Cloud Run locations).
export const REGION = /^[a-z]+-[a-z]+\d+$/;
// Compute resource names (RFC 1035 labels, Compute Engine naming convention), or a path / URL to one.
export const RESOURCE_NAME = "[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?";
export const RESOURCE_PATH_PREFIX = "(?:https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta)/)?projects/[^/\\s]+";
export const NETWORK_REF = new RegExp(`^(?:${RESOURCE_NAME}|${RESOURCE_PATH_PREFIX}/global/networks/${RESOURCE_NAME})$`);
export const SUBNETWORK_REF = new RegExp(`^(?:${RESOURCE_NAME}|${RESOURCE_PATH_PREFIX}/regions/[a-z]+-[a-z]+\\d+/subnetworks/${RESOURCE_NAME})$`);
export const DEFAULT_BACKEND_REF = new RegExp(`^${RESOURCE_PATH_PREFIX}/global/(?:backendServices|backendBuckets)/${RESOURCE_NAME}$`);
// Cloud SQL connection names: project:region:instance, the project optionally domain-scoped (Cloud SQL docs, instance connection name).
export const CLOUD_SQL_INSTANCE = /^(?:[a-z0-9.-]+:)?[a-z][-a-z0-9]{4,28}[a-z0-9]:[a-z]+-[a-z]+\d+:[a-z][-a-z0-9]*$/;
// IAM principals (IAM docs, principal identifiers).
export const IAM_MEMBER = /^(?:user|serviceAccount|group|domain|principal|principalSet):\S+$/;

/**
 * Instances that can run at once: the service-level scaling.maxInstanceCount
 * caps all revisions that receive traffic together (Cloud Run docs, "Set
 * maximum instances", service-level versus revision-level), and the service
 * sets it to service.maxInstances.
 */
export function gcpPeakInstances(service: Pick<ServiceConfig, "maxInstances">): number {
    return service.maxInstances;
}
