/**
 * Monthly cost of the GCP layout: Cloud Run with request-based billing (it
 * scales to zero, so idle costs nothing) and the optional load balancer,
 * whose forwarding rules cost the same whether or not anyone calls the API.
 * A pure function, so the docs/costs.md table and its tests share one model.
 */
import { CostLine, HOURS_PER_MONTH } from "../costs";

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
    return lines;
}

function round(n: number): string {
    return Math.round(n).toLocaleString("en-US");
}
