/** What both clouds' cost models share: a month of hours, cost lines, their sum and how a price prints. */

/** Hours in the month both clouds bill: 365 × 24 / 12. */
export const HOURS_PER_MONTH = 730;

export interface CostLine {
    item: string;
    /** USD per month. */
    monthly: number;
}

export function monthlyTotal(lines: readonly CostLine[]): number {
    return lines.reduce((sum, line) => sum + line.monthly, 0);
}

export const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/** Whether a line is paid by the hour whatever the traffic, or by use (requests, GB). */
export type CostBasis = "fixed" | "usage";

/** One priced thing a stack creates: what it is, which registered resource type pays for it, and its price. */
export interface StackCostLine extends CostLine {
    /** The Pulumi type token of the resource that incurs it, such as aws:lb/loadBalancer:LoadBalancer. */
    resourceType: string;
    basis: CostBasis;
    /** How the amount is reached, such as "0.0225 $/h × 730 h"; for usage, the unit price too. */
    how: string;
}

/** Traffic a stack's report prices its usage lines at; 0 by default, so the total is what the stack costs idle. */
export interface UsageAssumptions {
    requestsPerMonth: number;
    /** Mean bytes of a request and its response together. */
    averageBytesPerRequest: number;
    /** GB of logs written a month. */
    logGbPerMonth: number;
    /** Whether the account's always-free CloudWatch allowance (10 alarm metrics, 3 dashboards) is still unused by other stacks. */
    cloudWatchFreeTier: boolean;
    /**
     * Hours a month a created database that pauses (Aurora Serverless v2 at minCapacity 0) is awake: it bills capacity
     * only then. Each task start, deploy and request after a pause wakes it for at least its secondsUntilAutoPause.
     */
    databaseActiveHours: number;
    /** GB a created database holds: what Aurora bills as storage (RDS and Cloud SQL bill what is allocated), and Cloud SQL's backups. */
    databaseGb: number;
}

/** No traffic: a database that pauses is paused all month; a created database holds 1 GB (a new one holds less). */
export const IDLE: UsageAssumptions = {
    requestsPerMonth: 0,
    averageBytesPerRequest: 4096,
    logGbPerMonth: 0,
    cloudWatchFreeTier: true,
    databaseActiveHours: 0,
    databaseGb: 1,
};

/** A stack's cost report: its lines, the fixed and usage totals, and where the prices come from. */
export interface StackCostReport {
    stack: string;
    cloud: string;
    lines: StackCostLine[];
    fixed: number;
    usage: number;
    total: number;
    usageAssumptions: UsageAssumptions;
    sources: readonly string[];
    /** When the prices were last compared with the pricing pages. */
    pricesAsOf: string;
    /** What the report does not price, in words. */
    notes: readonly string[];
}

export function stackCostReport(parts: Omit<StackCostReport, "fixed" | "usage" | "total">): StackCostReport {
    const sum = (basis: CostBasis) => monthlyTotal(parts.lines.filter((line) => line.basis === basis));
    return { ...parts, fixed: sum("fixed"), usage: sum("usage"), total: monthlyTotal(parts.lines) };
}

/**
 * Secrets a stack stores: the database URI, the JWT secret, and each TLS file of the database connection (the
 * root certificate; the client certificate and its key), as postgrest/tls-files.ts tlsFiles chooses them, which
 * the cost models may not import; tests/costs.test.ts holds the count to the secrets the program registers.
 */
export function storedSecretCount(database: { sslMode: string; sslRootCert?: string; sslCert?: string }): number {
    const tlsFiles = database.sslMode === "disable" ? 0 : (database.sslRootCert ? 1 : 0) + (database.sslCert ? 2 : 0);
    return 2 + tlsFiles;
}
