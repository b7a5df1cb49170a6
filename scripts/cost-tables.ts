/** The cost tables docs/costs.md shows, printed by `npm run costs:aws` and `npm run costs:gcp` from the clouds' cost models. */
import { CostAssumptions, DEFAULT_COST_ASSUMPTIONS, natCostLines, sharedCostLines } from "../components/aws/costs";
import { NAT_OPTIONS } from "../components/aws/config/network";
import { monthlyTotal, usd } from "../components/costs";
import { DEFAULT_MONITORING, GcpCostAssumptions, monthlyCostLines } from "../components/gcp/costs";

/** docs/costs.md's AWS table: one row per NAT option, with its distinct lines and the total. */
export function awsCostTable(assumptions: Omit<CostAssumptions, "nat"> = DEFAULT_COST_ASSUMPTIONS): string {
    const shared = sharedCostLines(assumptions);
    const rows = NAT_OPTIONS.map((nat) => {
        const own = natCostLines({ ...assumptions, nat });
        const total = monthlyTotal([...shared, ...own]);
        return `| \`${nat}\` | ${usd(monthlyTotal(shared))} | ${own.map((l) => `${l.item} ${usd(l.monthly)}`).join("; ")} | **${usd(total)}** |`;
    });
    return [
        `Shared by every option (${usd(monthlyTotal(shared))}): ${shared.map((l) => `${l.item} ${usd(l.monthly)}`).join("; ")}.`,
        "",
        "| `aws.network.nat` | shared | NAT and addresses | total / month |",
        "| --- | ---: | --- | ---: |",
        ...rows,
    ].join("\n");
}

/** Usage levels for docs/costs.md's GCP table, on the default size (1 vCPU, 512 MiB), with the default alerting. */
export const COST_SCENARIOS: { name: string; assumptions: Omit<GcpCostAssumptions, "loadBalancer"> }[] = [
    {
        name: "idle",
        assumptions: {
            requestsPerMonth: 0,
            averageRequestSeconds: 0.05,
            averageConcurrentRequests: 1,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 0,
            monitoring: DEFAULT_MONITORING,
        },
    },
    {
        name: "light: 1 M requests, 50 ms",
        assumptions: {
            requestsPerMonth: 1_000_000,
            averageRequestSeconds: 0.05,
            averageConcurrentRequests: 1,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 5,
            monitoring: DEFAULT_MONITORING,
        },
    },
    {
        name: "busy: 20 M requests, 100 ms, 4 at once",
        assumptions: {
            requestsPerMonth: 20_000_000,
            averageRequestSeconds: 0.1,
            averageConcurrentRequests: 4,
            cpu: 1,
            memory: 512,
            loadBalancerGib: 100,
            monitoring: DEFAULT_MONITORING,
        },
    },
];

/** docs/costs.md's GCP table: each scenario without and with the load balancer. */
export function gcpCostTable(): string {
    const rows = COST_SCENARIOS.map(({ name, assumptions }) => {
        const plain = monthlyTotal(monthlyCostLines({ ...assumptions, loadBalancer: false }));
        const withLb = monthlyTotal(monthlyCostLines({ ...assumptions, loadBalancer: true }));
        return `| ${name} | ${usd(plain)} | ${usd(withLb)} |`;
    });
    return ["| usage / month | Cloud Run only | with load balancer |", "| --- | ---: | ---: |", ...rows].join("\n");
}
