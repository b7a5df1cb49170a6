/**
 * Monthly cost of the GCP layout: Cloud Run with request-based billing (it
 * scales to zero, so idle costs nothing) and the optional load balancer,
 * whose forwarding rules cost the same whether or not anyone calls the API.
 * A pure function, so the docs/costs.md table and its tests share one model.
 */
import type { ParsedConfig } from "../config";
import { CostLine, HOURS_PER_MONTH, IDLE, StackCostLine, UsageAssumptions, storedSecretCount } from "../costs";
import { CLOUD_SQL_PROXY, cloudSqlCustomTier } from "./config/cloud-sql";

/**
 * Tier 1 prices, USD. Cloud Run (request-based billing) and its monthly free
 * tier: https://cloud.google.com/run/pricing. Load balancer: Cloud Load
 * Balancing pricing page (https://cloud.google.com/load-balancing/pricing,
 * Iowa us-central1): the first 5 global forwarding rules $0.025 / hour
 * together, data processed $0.008 / GiB in and out.
 */
export const TIER_1_PRICES = {
    vcpuSecond: 0.000024,
    gibSecond: 0.0000025,
    perMillionRequests: 0.4,
    free: { vcpuSeconds: 180_000, gibSeconds: 360_000, requests: 2_000_000 },
    forwardingRulesFirstFiveHour: 0.025,
    loadBalancerGibProcessed: 0.008,
} as const;

/**
 * Cloud Monitoring, USD (https://cloud.google.com/stackdriver/pricing): an alerting policy condition $0.10 a month plus
 * $0.35 per million time series its query returns; uptime-check executions $0.30 per thousand past the free million a
 * month of the billing account. Cloud Run's metrics, notification channels and dashboards cost nothing.
 */
export const MONITORING_PRICES = {
    conditionMonth: 0.1,
    timeSeriesPerMillion: 0.35,
    uptimeExecutionsPerThousand: 0.3,
    freeUptimeExecutions: 1_000_000,
} as const;

/** An alerting condition runs every 30 seconds (Google's alerting pricing examples) and each of ours returns one time series. */
const CONDITION_RUNS_PER_MONTH = (HOURS_PER_MONTH * 3600) / 30;

/** The alerting the program sets up (components/gcp/monitoring.ts): its conditions and its uptime check's executions. */
export interface GcpMonitoringAssumptions {
    /** Alert policy conditions, one per policy; 0 with monitoring.enabled false. */
    alertConditions: number;
    /** Uptime-check executions a month: checker regions × probes. */
    uptimeExecutions: number;
}

/** Four conditions (5xx ratio, p95 latency, instances at max, uptime), three checkers every 300 s. */
export const DEFAULT_MONITORING: GcpMonitoringAssumptions = {
    alertConditions: 4,
    uptimeExecutions: 3 * ((HOURS_PER_MONTH * 3600) / 300),
};

export function monitoringCostLines(m: GcpMonitoringAssumptions, prices = MONITORING_PRICES): CostLine[] {
    if (m.alertConditions === 0) return [];
    return [
        {
            item: `Alerting: ${m.alertConditions} conditions`,
            monthly: m.alertConditions * (prices.conditionMonth + (CONDITION_RUNS_PER_MONTH / 1_000_000) * prices.timeSeriesPerMillion),
        },
        {
            item: `Uptime check: ${m.uptimeExecutions.toLocaleString("en-US")} executions (${(prices.freeUptimeExecutions / 1_000_000).toFixed(0)} M free)`,
            monthly: (Math.max(0, m.uptimeExecutions - prices.freeUptimeExecutions) / 1000) * prices.uptimeExecutionsPerThousand,
        },
    ];
}

export interface GcpCostAssumptions {
    requestsPerMonth: number;
    /** Mean time to answer one request, seconds. */
    averageRequestSeconds: number;
    /** Requests an instance serves at once on average (at most gcp.concurrency): they share its billable time. */
    averageConcurrentRequests: number;
    /** service.cpu, vCPU. */
    cpu: number;
    /** service.memory, MiB. */
    memory: number;
    loadBalancer: boolean;
    /** GiB through the load balancer a month, requests and responses together. */
    loadBalancerGib: number;
    /** The alerting; undefined: none (monitoring.enabled false). */
    monitoring?: GcpMonitoringAssumptions;
}

/**
 * Cost lines for a month with minInstances 0: an instance is billed only
 * while it serves at least one request (request-based billing), so its
 * billable seconds are requests × duration ÷ requests served together, and
 * the free tier is taken off first.
 */
export function monthlyCostLines(a: GcpCostAssumptions, prices = TIER_1_PRICES): CostLine[] {
    const instanceSeconds = (a.requestsPerMonth * a.averageRequestSeconds) / Math.max(1, a.averageConcurrentRequests);
    const vcpuSeconds = instanceSeconds * a.cpu;
    const gibSeconds = instanceSeconds * (a.memory / 1024);
    const lines: CostLine[] = [
        { item: `Cloud Run CPU: ${round(vcpuSeconds)} vCPU-s`, monthly: Math.max(0, vcpuSeconds - prices.free.vcpuSeconds) * prices.vcpuSecond },
        { item: `Cloud Run memory: ${round(gibSeconds)} GiB-s`, monthly: Math.max(0, gibSeconds - prices.free.gibSeconds) * prices.gibSecond },
        {
            item: `Cloud Run requests: ${a.requestsPerMonth.toLocaleString("en-US")}`,
            monthly: (Math.max(0, a.requestsPerMonth - prices.free.requests) / 1_000_000) * prices.perMillionRequests,
        },
    ];
    if (a.loadBalancer) {
        // Two forwarding rules (HTTPS and the HTTP redirect), both within the first five.
        lines.push({ item: "Load balancer: 2 forwarding rules", monthly: prices.forwardingRulesFirstFiveHour * HOURS_PER_MONTH });
        lines.push({ item: `Load balancer data: ${a.loadBalancerGib} GiB`, monthly: a.loadBalancerGib * prices.loadBalancerGibProcessed });
    }
    if (a.monitoring) lines.push(...monitoringCostLines(a.monitoring));
    return lines;
}

function round(n: number): string {
    return Math.round(n).toLocaleString("en-US");
}

/** Secret Manager: per active secret version a month (https://cloud.google.com/secret-manager/pricing), its free tier being per billing account. */
export const SECRET_VERSION_MONTH = 0.06;

/** The pages every GCP price comes from. */
export const GCP_PRICE_SOURCES = [
    "https://cloud.google.com/run/pricing",
    "https://cloud.google.com/load-balancing/pricing",
    "https://cloud.google.com/secret-manager/pricing",
    "https://cloud.google.com/functions/pricing",
    "https://cloud.google.com/sql/pricing",
] as const;

export const GCP_PRICES_AS_OF = "2026-12-02";

type GcpStack = Pick<ParsedConfig & { cloud: "gcp" }, "gcp" | "service" | "database">;

/** One part of a GCP stack that costs money; each is listed in GCP_COST_PARTS. */
export type GcpCostPart = (stack: GcpStack, usage: UsageAssumptions) => StackCostLine[];

const G = {
    service: "gcp:cloudrunv2/service:Service",
    forwardingRule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
    secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
    function: "gcp:cloudfunctionsv2/function:Function",
    sqlInstance: "gcp:sql/databaseInstance:DatabaseInstance",
} as const;

/** Whether a registered GCP resource costs money; the report's lines must name exactly these types. */
export const GCP_PRICED_RESOURCES: Readonly<Record<string, (inputs: Record<string, any>) => boolean>> = {
    [G.service]: () => true,
    [G.forwardingRule]: () => true,
    [G.secretVersion]: () => true,
    [G.function]: () => true,
    [G.sqlInstance]: () => true,
};

/**
 * Cloud Run, request-based: the usage model above, at the stack's size, one request at a time per instance. An instance
 * is billed for all its containers' limits together (https://cloud.google.com/run/pricing): with
 * gcp.cloudSqlIamAuthentication the Auth Proxy sidecar's are added to PostgREST's.
 */
const cloudRun: GcpCostPart = ({ service, gcp }, usage) => {
    const proxy = gcp.cloudSqlIamAuthentication ? CLOUD_SQL_PROXY : undefined;
    const how = `after the monthly free tier, 50 ms a request${proxy ? `; with the Auth Proxy sidecar's ${proxy.cpu} vCPU and ${proxy.memoryMib} MiB` : ""}`;
    return monthlyCostLines({
        requestsPerMonth: usage.requestsPerMonth,
        averageRequestSeconds: 0.05,
        averageConcurrentRequests: 1,
        cpu: service.cpu + (proxy?.cpu ?? 0),
        memory: service.memory + (proxy?.memoryMib ?? 0),
        loadBalancer: false,
        loadBalancerGib: 0,
    }).map((line) => ({ ...line, resourceType: G.service, basis: "usage" as const, how }));
};

/** The load balancer's forwarding rules (fixed) and the data it processes (usage). */
const loadBalancer: GcpCostPart = ({ gcp }, usage) => {
    if (!gcp.loadBalancer) return [];
    const gib = (usage.requestsPerMonth * usage.averageBytesPerRequest) / 2 ** 30;
    return [
        {
            resourceType: G.forwardingRule,
            item: "Load balancer: forwarding rules (the first 5 together)",
            monthly: TIER_1_PRICES.forwardingRulesFirstFiveHour * HOURS_PER_MONTH,
            basis: "fixed",
            how: `${TIER_1_PRICES.forwardingRulesFirstFiveHour} $/h`,
        },
        {
            resourceType: G.forwardingRule,
            item: `Load balancer data: ${gib.toFixed(2)} GiB`,
            monthly: gib * TIER_1_PRICES.loadBalancerGibProcessed,
            basis: "usage",
            how: `${TIER_1_PRICES.loadBalancerGibProcessed} $/GiB`,
        },
    ];
};

/** Secret Manager: one active version per secret (database URI, JWT secret, each TLS file, a created database's admin credentials). */
const secrets: GcpCostPart = ({ database }) => {
    const count = storedSecretCount(database) + (database.create ? 1 : 0);
    return [
        {
            resourceType: G.secretVersion,
            item: `Secret Manager: ${count} active versions`,
            monthly: count * SECRET_VERSION_MONTH,
            basis: "fixed",
            how: `${SECRET_VERSION_MONTH} $/version-month, before the account's free tier`,
        },
    ];
};

/** The in-network roles/grants function: a few calls per deploy. */
const inNetworkAdmin: GcpCostPart = ({ database }) =>
    database.adminAccess === "in-network"
        ? [
              {
                  resourceType: G.function,
                  item: "In-network roles/grants function: a few calls per deploy",
                  monthly: 0,
                  basis: "usage",
                  how: "within the free tier",
              },
          ]
        : [];

/** database.create: the Cloud SQL instance, its storage and backups (its admin secret is counted with the others). */
const createdDatabase: GcpCostPart = ({ database }, usage) =>
    database.create?.engine === "cloud-sql"
        ? cloudSqlCostLines({ tier: database.create.tier, diskSizeGb: database.create.storageGb, backupGb: usage.databaseGb })
        : [];

export const GCP_COST_PARTS: readonly GcpCostPart[] = [cloudRun, loadBalancer, secrets, inNetworkAdmin, createdDatabase];

export function gcpStackCostLines(stack: GcpStack, usage: UsageAssumptions = IDLE): StackCostLine[] {
    return GCP_COST_PARTS.flatMap((part) => part(stack, usage));
}

/** What a GCP stack's report says besides its lines. */
export function gcpReportNotes(stack: GcpStack, usage: UsageAssumptions = IDLE): string[] {
    return [
        "Tier 1 prices (such as us-central1); Cloud Run's free tier is per billing account, taken here as unused.",
        "Cloud Logging's first 50 GiB a month are free; the function's source bucket and image repository hold a few MB.",
        ...(stack.service.minInstances > 0
            ? [`service.minInstances ${stack.service.minInstances} keeps instances warm; their idle time is billed and not counted here.`]
            : []),
        ...(stack.database.create?.engine === "cloud-sql"
            ? [
                  `The Cloud SQL instance runs all month whatever the traffic; automatic storage increases (up to ${stack.database.create.maxStorageGb} GB) bill what the disk grows to; backups are priced at ${usage.databaseGb} GB (--db-gb N).`,
              ]
            : []),
    ];
}

/**
 * Cloud SQL for PostgreSQL, Enterprise edition, us-central1, USD (https://cloud.google.com/sql/pricing): shared-core
 * tiers by the hour, custom tiers by vCPU-hour and GiB-hour, SSD storage and backups by GB-month. A private IP costs
 * nothing; the admin credentials are one more active secret version, counted with the stack's secrets.
 */
export const CLOUD_SQL_US_CENTRAL_1_PRICES = {
    sharedCoreHour: { "db-f1-micro": 0.0105, "db-g1-small": 0.035 } as Record<string, number>,
    vcpuHour: 0.0413,
    gibHour: 0.007,
    ssdGbMonth: 0.17,
    backupGbMonth: 0.08,
} as const;

export interface CloudSqlCostAssumptions {
    /** The instance's tier (components/gcp/config/cloud-sql.ts). */
    tier: string;
    /** SSD storage, GB (what automatic increases have grown it to). */
    diskSizeGb: number;
    /** GB the backups hold, a month. */
    backupGb: number;
}

/** The monthly cost lines of a created Cloud SQL instance: it runs all month, whatever the traffic. */
export function cloudSqlCostLines(a: CloudSqlCostAssumptions, prices = CLOUD_SQL_US_CENTRAL_1_PRICES): StackCostLine[] {
    const custom = cloudSqlCustomTier(a.tier);
    const hourly = custom ? custom.vcpus * prices.vcpuHour + (custom.mib / 1024) * prices.gibHour : prices.sharedCoreHour[a.tier];
    const instance = (item: string, monthly: number, how: string): StackCostLine => ({
        resourceType: G.sqlInstance,
        item,
        monthly,
        basis: "fixed",
        how,
    });
    return [
        instance(`Cloud SQL ${a.tier}, zonal`, hourly * HOURS_PER_MONTH, `${Number(hourly.toFixed(5))} $/h × ${HOURS_PER_MONTH} h`),
        instance(`Cloud SQL SSD storage: ${a.diskSizeGb} GB`, a.diskSizeGb * prices.ssdGbMonth, `${prices.ssdGbMonth} $/GB-month allocated`),
        {
            resourceType: G.sqlInstance,
            item: `Cloud SQL backups: ${a.backupGb} GB`,
            monthly: a.backupGb * prices.backupGbMonth,
            basis: "usage",
            how: `${prices.backupGbMonth} $/GB-month`,
        },
    ];
}
