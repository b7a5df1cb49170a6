/**
 * The Cloud SQL for PostgreSQL machine types a created database may use (components/gcp/database.ts), and the connection
 * budget each implies: pure, so the config, the cost model and the component share them.
 */

/**
 * The smallest shared-core tier whose default connection budget (47) fits two PostgREST instances with the default pool
 * and LISTEN; db-f1-micro costs less but allows 22.
 */
export const DEFAULT_TIER = "db-g1-small";

const SHARED_CORE_MEMORY_GIB: Record<string, number> = { "db-f1-micro": 0.6, "db-g1-small": 1.7 };
const CUSTOM_TIER = /^db-custom-(\d+)-(\d+)$/;

/**
 * Why Cloud SQL for PostgreSQL (Enterprise edition) would refuse `tier`, or undefined. PostgreSQL takes the shared-core
 * tiers and custom ones, db-custom-<vCPUs>-<MiB>: 1 or an even number of vCPUs up to 96, memory a multiple of 256 MiB,
 * 0.9 to 6.5 GB per vCPU and at least 3.75 GB (https://cloud.google.com/sql/docs/postgres/create-instance#machine-types).
 */
export function cloudSqlTierProblem(tier: string): string | undefined {
    if (tier in SHARED_CORE_MEMORY_GIB) return undefined;
    const custom = CUSTOM_TIER.exec(tier);
    if (!custom) return `"${tier}" is not a PostgreSQL tier: use db-f1-micro, db-g1-small or db-custom-<vCPUs>-<MiB> such as db-custom-1-3840`;
    const [cpus, mib] = [Number(custom[1]), Number(custom[2])];
    if (!(cpus === 1 || (cpus % 2 === 0 && cpus >= 2 && cpus <= 96))) return `"${tier}" has ${cpus} vCPUs: use 1 or an even number up to 96`;
    if (mib % 256 !== 0) return `"${tier}" has ${mib} MiB: memory must be a multiple of 256 MiB`;
    const perCpuMib = mib / cpus;
    if (mib < 3840 || perCpuMib < 0.9 * 1024 || perCpuMib > 6.5 * 1024)
        return `"${tier}" has ${mib} MiB for ${cpus} vCPUs: memory must be at least 3840 MiB and 0.9 to 6.5 GB per vCPU`;
    return undefined;
}

/** The vCPUs and MiB of a custom tier, or undefined for a shared-core one; throws for a tier Cloud SQL refuses. */
export function cloudSqlCustomTier(tier: string): { vcpus: number; mib: number } | undefined {
    const problem = cloudSqlTierProblem(tier);
    if (problem) throw new Error(problem);
    const custom = CUSTOM_TIER.exec(tier);
    return custom ? { vcpus: Number(custom[1]), mib: Number(custom[2]) } : undefined;
}

/** The tier's memory in GiB, as the connection table counts it. */
export function cloudSqlTierMemoryGib(tier: string): number {
    const custom = cloudSqlCustomTier(tier);
    return custom ? custom.mib / 1024 : SHARED_CORE_MEMORY_GIB[tier];
}

// Cloud SQL for PostgreSQL's default max_connections by memory, GiB: each row holds from its bound up to the next
// (https://cloud.google.com/sql/docs/postgres/quotas#maximum_concurrent_connections).
const DEFAULT_MAX_CONNECTIONS: readonly [fromGib: number, connections: number][] = [
    [120, 1000],
    [60, 800],
    [30, 600],
    [15, 500],
    [7.5, 400],
    [6, 200],
    [3.75, 100],
    [1.7, 50],
    [0, 25],
];

/**
 * The connections the API may plan on: the tier's default max_connections less PostgreSQL's superuser_reserved_connections
 * (3), which only Cloud SQL's own superuser may use: the admin user is a cloudsqlsuperuser, not a superuser
 * (https://cloud.google.com/sql/docs/postgres/users#superuser_restrictions).
 */
export function cloudSqlMaxConnections(tier: string): number {
    const gib = cloudSqlTierMemoryGib(tier);
    return DEFAULT_MAX_CONNECTIONS.find(([fromGib]) => gib >= fromGib)![1] - 3;
}

/**
 * The Cloud SQL Auth Proxy sidecar of gcp.cloudSqlIamAuthentication (service.ts wires it, costs.ts counts it). v2, pinned:
 * the image and its flags as the proxy's README and `cloud-sql-proxy --help` give them
 * (https://github.com/GoogleCloudPlatform/cloud-sql-proxy#configuring-iam-database-authentication).
 */
export const CLOUD_SQL_PROXY = {
    image: "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.25.3",
    /** Where PostgREST reaches the instance: the proxy listens on 127.0.0.1 (its default --address), which the containers of an instance share. */
    port: 5432,
    /** Its health check server (--health-check): /startup answers 200 once the proxy has started. */
    healthPort: 9090,
    /** vCPU and MiB: TLS 1.3 to the instance for PostgREST's pool, a few connections per instance. */
    cpu: 0.25,
    memoryMib: 256,
} as const;

// A service account id has at most 30 characters (https://cloud.google.com/iam/docs/service-accounts-create), and a
// PostgreSQL role name at most 63 bytes (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS),
// which Cloud SQL truncates an IAM user's name to (https://github.com/GoogleCloudPlatform/cloud-sql-proxy#configuring-iam-database-authentication).
const MAX_ACCOUNT_ID = 30;
const MAX_ROLE_NAME = 63;

/**
 * Why the service account's IAM database user, `<account id>@<project>.iam`, could be longer than PostgreSQL takes, or
 * undefined: the program would then grant the authenticator to a name Cloud SQL had truncated.
 */
export function iamUserNameProblem(project: string): string | undefined {
    const longest = MAX_ACCOUNT_ID + `@${project}.iam`.length;
    if (longest <= MAX_ROLE_NAME) return undefined;
    return (
        `the service account's IAM database user would be <account id>@${project}.iam, up to ${longest} characters, and Cloud SQL ` +
        `truncates PostgreSQL user names to ${MAX_ROLE_NAME}: the project id must have at most ${MAX_ROLE_NAME - MAX_ACCOUNT_ID - 5} characters`
    );
}
