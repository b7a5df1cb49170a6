/**
 * Monthly cost of the AWS layout, per NAT option: a pure function, so the
 * docs/costs.md table, the scripts and the tests share one model.
 */
import { CpuArchitecture } from "./config";
import { NatOption } from "./config/network";
import { CostLine, HOURS_PER_MONTH } from "../costs";

/**
 * us-east-1 on-demand prices, USD, from the pricing pages: https://aws.amazon.com/fargate/pricing/,
 * https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4), https://aws.amazon.com/elasticloadbalancing/pricing/,
 * https://aws.amazon.com/ec2/pricing/on-demand/ (t4g.nano), https://aws.amazon.com/ebs/pricing/ (gp3) and
 * https://aws.amazon.com/secrets-manager/pricing/.
 */
export const US_EAST_1_PRICES = {
    fargateVcpuHour: { ARM64: 0.03238, X86_64: 0.04048 },
    fargateGbHour: { ARM64: 0.00356, X86_64: 0.004445 },
    publicIpv4Hour: 0.005,
    natGatewayHour: 0.045,
    natGatewayGb: 0.045,
    albHour: 0.0225,
    albLcuHour: 0.008,
    t4gNanoHour: 0.0042,
    gp3GbMonth: 0.08,
    secretMonth: 0.4,
} as const;

export interface CostAssumptions {
    nat: NatOption;
    /** Tasks running all month (service.minInstances). */
    tasks: number;
    /** vCPU per task (service.cpu). */
    cpu: number;
    /** MiB per task (service.memory). */
    memory: number;
    architecture: CpuArchitecture;
    availabilityZones: number;
    /** Average load balancer capacity units used; 1 covers a lightly used API. */
    albLcu: number;
    /** GB a month through the NAT (image pulls, logs, Secrets Manager calls). */
    natGbPerMonth: number;
}

export const DEFAULT_COST_ASSUMPTIONS: Omit<CostAssumptions, "nat"> = {
    tasks: 1,
    cpu: 0.25,
    memory: 512,
    architecture: "ARM64",
    availabilityZones: 2,
    albLcu: 1,
    natGbPerMonth: 5,
};

/** Size of the NAT instance's root volume (Amazon Linux 2023 AMI default), GB. */
const NAT_INSTANCE_VOLUME_GB = 8;

/** The monthly cost lines of one layout; usage-priced items (logs, data out) are left out. */
export function monthlyCostLines(a: CostAssumptions, prices = US_EAST_1_PRICES): CostLine[] {
    return [...sharedCostLines(a, prices), ...natCostLines(a, prices)];
}

/** What every NAT option pays: tasks, load balancer, secrets. */
export function sharedCostLines(a: Omit<CostAssumptions, "nat">, prices = US_EAST_1_PRICES): CostLine[] {
    const h = HOURS_PER_MONTH;
    return [
        {
            item: `Fargate: ${a.tasks} × ${a.cpu} vCPU / ${a.memory} MiB ${a.architecture}`,
            monthly: a.tasks * (a.cpu * prices.fargateVcpuHour[a.architecture] + (a.memory / 1024) * prices.fargateGbHour[a.architecture]) * h,
        },
        { item: "Application Load Balancer", monthly: prices.albHour * h },
        { item: `ALB capacity: ${a.albLcu} LCU`, monthly: a.albLcu * prices.albLcuHour * h },
        // An internet-facing ALB holds one public IPv4 address per AZ.
        { item: `ALB public IPv4 × ${a.availabilityZones}`, monthly: a.availabilityZones * prices.publicIpv4Hour * h },
        { item: "Secrets Manager: 2 secrets", monthly: 2 * prices.secretMonth },
    ];
}

/** What the NAT option adds: the way tasks reach the internet, and its public addresses. */
export function natCostLines(a: CostAssumptions, prices = US_EAST_1_PRICES): CostLine[] {
    const h = HOURS_PER_MONTH;
    const lines: CostLine[] = [];
    switch (a.nat) {
        case "none":
            lines.push({ item: `Task public IPv4 × ${a.tasks}`, monthly: a.tasks * prices.publicIpv4Hour * h });
            break;
        case "gateway":
        case "gateway-per-az": {
            const gateways = a.nat === "gateway" ? 1 : a.availabilityZones;
            lines.push({ item: `NAT gateway × ${gateways}`, monthly: gateways * prices.natGatewayHour * h });
            lines.push({ item: `NAT gateway Elastic IP × ${gateways}`, monthly: gateways * prices.publicIpv4Hour * h });
            lines.push({ item: `NAT data processing: ${a.natGbPerMonth} GB`, monthly: a.natGbPerMonth * prices.natGatewayGb });
            break;
        }
        case "instance":
            lines.push({ item: "NAT instance: t4g.nano", monthly: prices.t4gNanoHour * h });
            lines.push({ item: `NAT instance volume: ${NAT_INSTANCE_VOLUME_GB} GB gp3`, monthly: NAT_INSTANCE_VOLUME_GB * prices.gp3GbMonth });
            lines.push({ item: "NAT instance public IPv4", monthly: prices.publicIpv4Hour * h });
            break;
    }
    return lines;
}
