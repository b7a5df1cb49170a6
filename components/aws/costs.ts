/**
 * Monthly cost of the AWS layout: per NAT option (docs/costs.md's table), and of
 * the stack one config describes (`npm run costs -- <stack>`). Pure functions
 * with no SDK, so the scripts, the docs and the tests share one model.
 */
import type { ParsedConfig } from "../config";
import { CpuArchitecture } from "./config";
import { NatOption } from "./config/network";
import { DEFAULT_INSTANCE_CLASS } from "./config/database";
import { CostLine, HOURS_PER_MONTH, IDLE, StackCostLine, UsageAssumptions, storedSecretCount } from "../costs";
import { MONITORING_DEFAULTS } from "../config/monitoring";
import { alarmMetricCount, alarmPlan } from "./config/alarms";

/**
 * us-east-1 on-demand prices, USD, from the pricing pages: https://aws.amazon.com/fargate/pricing/,
 * https://aws.amazon.com/vpc/pricing/ (NAT gateway, public IPv4), https://aws.amazon.com/elasticloadbalancing/pricing/,
 * https://aws.amazon.com/ec2/pricing/on-demand/ (t4g.nano), https://aws.amazon.com/ebs/pricing/ (gp3) and
 * https://aws.amazon.com/secrets-manager/pricing/ and https://aws.amazon.com/cloudwatch/pricing/ (a standard-resolution alarm
 * metric, each metric of a metric-math alarm counting; a dashboard). The account's CloudWatch free tier (10 alarm metrics,
 * 3 dashboards) is left out: it is shared by everything else in the account.
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
    alarmMetricMonth: 0.1,
    dashboardMonth: 3,
} as const;

/** The metrics the default alarms read (components/aws/config/alarms.ts), as CloudWatch bills them. */
export const DEFAULT_ALARM_METRICS = alarmMetricCount(
    alarmPlan({ kind: "alb", loadBalancer: "", targetGroup: "" }, { clusterName: "", serviceName: "" }, MONITORING_DEFAULTS.thresholds, 1),
);

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
    /** Metrics the alarms read; 0 with monitoring.enabled false. */
    alarmMetrics: number;
    /** CloudWatch dashboards: 1 per stack, 0 with monitoring.enabled false. */
    dashboards: number;
}

export const DEFAULT_COST_ASSUMPTIONS: Omit<CostAssumptions, "nat"> = {
    tasks: 1,
    cpu: 0.25,
    memory: 512,
    architecture: "ARM64",
    availabilityZones: 2,
    albLcu: 1,
    natGbPerMonth: 5,
    alarmMetrics: DEFAULT_ALARM_METRICS,
    dashboards: 1,
};

/** Size of the NAT instance's root volume (Amazon Linux 2023 AMI default), GB. */
const NAT_INSTANCE_VOLUME_GB = 8;

/** The monthly cost lines of one layout; usage-priced items (logs, data out) are left out. */
export function monthlyCostLines(a: CostAssumptions, prices = US_EAST_1_PRICES): CostLine[] {
    return [...sharedCostLines(a, prices), ...natCostLines(a, prices)];
}

/** What every NAT option pays: tasks, load balancer, secrets, alarms. */
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
        ...monitoringCostLines(a, prices),
    ];
}

/** The alarms and the dashboard (monitoring.enabled): none when there are none. */
export function monitoringCostLines(a: Pick<CostAssumptions, "alarmMetrics" | "dashboards">, prices = US_EAST_1_PRICES): CostLine[] {
    const lines: CostLine[] = [];
    if (a.alarmMetrics > 0) lines.push({ item: `CloudWatch alarms: ${a.alarmMetrics} metrics`, monthly: a.alarmMetrics * prices.alarmMetricMonth });
    if (a.dashboards > 0) lines.push({ item: `CloudWatch dashboard × ${a.dashboards}`, monthly: a.dashboards * prices.dashboardMonth });
    return lines;
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

/**
 * A created database, us-east-1, USD: RDS for PostgreSQL Single-AZ on-demand and its gp3 storage
 * (https://aws.amazon.com/rds/postgresql/pricing/), Aurora Serverless v2 on Aurora Standard: ACU-hours, storage and I/O
 * (https://aws.amazon.com/rds/aurora/pricing/); the master password's secret, kept by RDS in Secrets Manager and billed as
 * any other (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html). Not yet compared with the
 * pricing pages themselves: the RDS classes and gp3, and Aurora's ACU-hour (docs/costs.md says which).
 */
export const DATABASE_US_EAST_1_PRICES = {
    rdsInstanceHour: { "db.t4g.micro": 0.016, "db.t4g.small": 0.032, "db.t4g.medium": 0.065, "db.t4g.large": 0.129 } as Record<string, number>,
    rdsGp3GbMonth: 0.115,
    auroraAcuHour: 0.12,
    auroraStorageGbMonth: 0.1,
    auroraPerMillionIos: 0.2,
    secretMonth: US_EAST_1_PRICES.secretMonth,
} as const;

/**
 * Prices the stack report adds to US_EAST_1_PRICES, USD, us-east-1: Fargate Spot (https://aws.amazon.com/fargate/pricing/:
 * Linux/X86 only, its price moves with spare capacity, "up to 70%" off; this is 70% off, the best case), Cloud Map
 * (https://aws.amazon.com/cloud-map/pricing/: per registered instance), the namespace's Route 53 private hosted zone
 * (https://aws.amazon.com/route53/pricing/), HTTP APIs (https://aws.amazon.com/api-gateway/pricing/: first 300 M
 * requests a month, metered per 512 KB), CloudWatch Logs (https://aws.amazon.com/cloudwatch/pricing/: ingestion,
 * standard class) and ALB capacity units (https://aws.amazon.com/elasticloadbalancing/pricing/: an LCU-hour covers
 * 25 new connections a second or 1 GB processed an hour, whichever is used more).
 */
export const US_EAST_1_STACK_PRICES = {
    ...US_EAST_1_PRICES,
    fargateSpotVcpuHour: 0.04048 * 0.3,
    fargateSpotGbHour: 0.004445 * 0.3,
    cloudMapInstanceMonth: 0.1,
    route53HostedZoneMonth: 0.5,
    httpApiPerMillionRequests: 1.0,
    logsIngestedGb: 0.5,
    lcuNewConnectionsPerSecond: 25,
    lcuGbPerHour: 1,
    lambdaPerMillionRequests: 0.2,
    database: DATABASE_US_EAST_1_PRICES,
} as const;

/** The pages every AWS price above comes from. */
export const AWS_PRICE_SOURCES = [
    "https://aws.amazon.com/fargate/pricing/",
    "https://aws.amazon.com/vpc/pricing/",
    "https://aws.amazon.com/elasticloadbalancing/pricing/",
    "https://aws.amazon.com/api-gateway/pricing/",
    "https://aws.amazon.com/cloud-map/pricing/",
    "https://aws.amazon.com/route53/pricing/",
    "https://aws.amazon.com/ec2/pricing/on-demand/",
    "https://aws.amazon.com/ebs/pricing/",
    "https://aws.amazon.com/secrets-manager/pricing/",
    "https://aws.amazon.com/cloudwatch/pricing/",
    "https://aws.amazon.com/lambda/pricing/",
    "https://aws.amazon.com/rds/postgresql/pricing/",
    "https://aws.amazon.com/rds/aurora/pricing/",
] as const;

/** When the figures above were last compared with those pages. */
export const AWS_PRICES_AS_OF = "2026-12-02";

type StackPrices = typeof US_EAST_1_STACK_PRICES;
type AwsStack = Pick<ParsedConfig & { cloud: "aws" }, "aws" | "service" | "database" | "monitoring">;

/** One part of a stack that costs money; each is listed in AWS_COST_PARTS. */
export type AwsCostPart = (stack: AwsStack, usage: UsageAssumptions, prices: StackPrices) => StackCostLine[];

const h = HOURS_PER_MONTH;
const T = {
    service: "aws:ecs/service:Service",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    httpApi: "aws:apigatewayv2/api:Api",
    discovery: "aws:servicediscovery/service:Service",
    namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    vpc: "awsx:ec2:Vpc",
    natInstance: "aws:ec2/instance:Instance",
    secret: "aws:secretsmanager/secret:Secret",
    function: "aws:lambda/function:Function",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    rdsInstance: "aws:rds/instance:Instance",
    auroraCluster: "aws:rds/cluster:Cluster",
    auroraInstance: "aws:rds/clusterInstance:ClusterInstance",
} as const;

/**
 * Whether a registered resource costs money, by type and inputs: the test that holds the report to the program
 * compares the resources this accepts with the report's lines. A created VPC costs only with NAT gateways.
 */
export const AWS_PRICED_RESOURCES: Readonly<Record<string, (inputs: Record<string, any>) => boolean>> = {
    [T.service]: () => true,
    [T.loadBalancer]: () => true,
    [T.listenerRule]: () => true,
    [T.httpApi]: () => true,
    [T.discovery]: () => true,
    [T.namespace]: () => true,
    [T.vpc]: (inputs) => (inputs.natGateways?.strategy ?? "None") !== "None",
    [T.natInstance]: () => true,
    [T.secret]: () => true,
    [T.function]: () => true,
    [T.logGroup]: () => true,
    [T.alarm]: () => true,
    [T.dashboard]: () => true,
    [T.rdsInstance]: () => true,
    [T.auroraCluster]: () => true,
    [T.auroraInstance]: () => true,
};

/** Fargate, per capacity type and architecture: spot tasks beyond onDemandBase, the rest on-demand. */
const compute: AwsCostPart = ({ aws, service }, _usage, prices) => {
    const tasks = service.minInstances;
    const onDemandTasks = service.capacity === "spot" ? Math.min(tasks, service.onDemandBase) : tasks;
    const spotTasks = tasks - onDemandTasks;
    const gb = service.memory / 1024;
    const size = `${service.cpu} vCPU / ${service.memory} MiB ${aws.cpuArchitecture}`;
    const lines: StackCostLine[] = [];
    if (onDemandTasks > 0) {
        const hourly = service.cpu * prices.fargateVcpuHour[aws.cpuArchitecture] + gb * prices.fargateGbHour[aws.cpuArchitecture];
        lines.push(fixed(T.service, `Fargate on-demand: ${onDemandTasks} × ${size}`, onDemandTasks * hourly * h, `${round(hourly, 5)} $/h × ${h} h`));
    }
    if (spotTasks > 0) {
        const hourly = service.cpu * prices.fargateSpotVcpuHour + gb * prices.fargateSpotGbHour;
        lines.push(
            fixed(T.service, `Fargate Spot: ${spotTasks} × ${size}`, spotTasks * hourly * h, `${round(hourly, 5)} $/h × ${h} h (Spot price varies)`),
        );
    }
    return lines;
};

/** Public IPv4 of tasks that reach the internet without a NAT (a public IP each). */
const taskAddresses: AwsCostPart = ({ aws, service }, _usage, prices) => {
    const network = aws.network;
    const publicIp = network.mode === "create" ? network.nat === "none" : network.assignPublicIp;
    if (!publicIp) return [];
    const tasks = service.minInstances;
    return [fixed(T.service, `Task public IPv4 × ${tasks}`, tasks * prices.publicIpv4Hour * h, `${prices.publicIpv4Hour} $/h each`)];
};

/** The front door: the stack's ALB, its share of a shared one, or the HTTP API with its Cloud Map service and zone. */
const frontDoor: AwsCostPart = ({ aws, service }, usage, prices) => {
    const lcuHours = albCapacityUnitHours(usage, prices);
    switch (aws.ingress.type) {
        case "load-balancer": {
            const zones = aws.network.mode === "create" ? aws.network.availabilityZoneCount : aws.network.publicSubnetIds.length;
            return [
                fixed(T.loadBalancer, "Application Load Balancer", prices.albHour * h, `${prices.albHour} $/h`),
                // An internet-facing ALB holds one public IPv4 address per Availability Zone.
                fixed(T.loadBalancer, `ALB public IPv4 × ${zones}`, zones * prices.publicIpv4Hour * h, `${prices.publicIpv4Hour} $/h each`),
                usageLine(T.loadBalancer, `ALB capacity: ${round(lcuHours, 1)} LCU-h`, lcuHours * prices.albLcuHour, `${prices.albLcuHour} $/LCU-h`),
            ];
        }
        case "shared-load-balancer":
            // The shared ALB's hours and addresses are its owner's; this API's traffic adds to its capacity units.
            return [
                usageLine(
                    T.listenerRule,
                    `Shared ALB capacity for this API: ${round(lcuHours, 1)} LCU-h (the ALB itself not counted)`,
                    lcuHours * prices.albLcuHour,
                    `${prices.albLcuHour} $/LCU-h`,
                ),
            ];
        case "http-api": {
            const tasks = service.minInstances;
            return [
                fixed(
                    T.discovery,
                    `Cloud Map: ${tasks} registered task${tasks === 1 ? "" : "s"}`,
                    tasks * prices.cloudMapInstanceMonth,
                    `${prices.cloudMapInstanceMonth} $/instance-month`,
                ),
                fixed(
                    T.namespace,
                    "Route 53 private hosted zone (Cloud Map namespace)",
                    prices.route53HostedZoneMonth,
                    `${prices.route53HostedZoneMonth} $/month`,
                ),
                usageLine(
                    T.httpApi,
                    `HTTP API: ${usage.requestsPerMonth.toLocaleString("en-US")} requests`,
                    (usage.requestsPerMonth / 1_000_000) * prices.httpApiPerMillionRequests,
                    `${prices.httpApiPerMillionRequests} $/million requests`,
                ),
            ];
        }
    }
};

/** NAT of a created VPC; an existing VPC's NAT is its owner's. */
const nat: AwsCostPart = ({ aws, service }, usage, prices) => {
    const network = aws.network;
    if (network.mode !== "create" || network.nat === "none") return [];
    // What leaves through a NAT gateway is mostly the logs (image pulls and secret reads are small), so its data is priced at those.
    const a = {
        ...DEFAULT_COST_ASSUMPTIONS,
        nat: network.nat,
        tasks: service.minInstances,
        availabilityZones: network.availabilityZoneCount,
        natGbPerMonth: usage.logGbPerMonth,
    };
    const type = network.nat === "instance" ? T.natInstance : T.vpc;
    return natCostLines(a, prices).map((line) => ({
        ...line,
        resourceType: type,
        basis: line.item.includes("data processing") ? ("usage" as const) : ("fixed" as const),
        how: line.item.includes("data processing") ? `${prices.natGatewayGb} $/GB` : "hourly",
    }));
};

/** Secrets Manager: the database URI, the JWT secret and each TLS file of the database connection. */
const secrets: AwsCostPart = ({ database }, _usage, prices) => {
    const count = storedSecretCount(database);
    return [fixed(T.secret, `Secrets Manager: ${count} secrets`, count * prices.secretMonth, `${prices.secretMonth} $/secret-month`)];
};

/** The in-network roles/grants function runs only during deploys: a few invocations, within Lambda's free tier for most accounts. */
const inNetworkAdmin: AwsCostPart = ({ database }, _usage, prices) =>
    database.adminAccess === "in-network"
        ? [
              usageLine(
                  T.function,
                  "In-network roles/grants function: a few calls per deploy",
                  0,
                  `${prices.lambdaPerMillionRequests} $/million calls + GB-s`,
              ),
          ]
        : [];

/** CloudWatch Logs: PostgREST's, and the in-network function's, billed per GB written. */
const logs: AwsCostPart = (_stack, usage, prices) => [
    usageLine(
        T.logGroup,
        `CloudWatch Logs: ${usage.logGbPerMonth} GB written`,
        usage.logGbPerMonth * prices.logsIngestedGb,
        `${prices.logsIngestedGb} $/GB`,
    ),
];

/** The alarms and the dashboard (monitoring.enabled), counted from the alarm plan the Monitoring component builds. */
const alarms: AwsCostPart = ({ aws, service, monitoring }, usage, prices) => {
    if (!monitoring.enabled) return [];
    const door =
        aws.ingress.type === "http-api" ? ({ kind: "http-api", apiId: "" } as const) : ({ kind: "alb", loadBalancer: "", targetGroup: "" } as const);
    const metrics = alarmMetricCount(alarmPlan(door, { clusterName: "", serviceName: "" }, monitoring.thresholds, service.minInstances));
    // CloudWatch's always-free tier, per account: 10 alarm metrics and 3 dashboards (https://aws.amazon.com/cloudwatch/pricing/).
    const free = usage.cloudWatchFreeTier ? { metrics: 10, dashboards: 3 } : { metrics: 0, dashboards: 0 };
    const freeNote = usage.cloudWatchFreeTier ? ", less the account's free tier (--list-price to ignore it)" : "";
    return [
        fixed(
            T.alarm,
            `CloudWatch alarms: ${metrics} metrics`,
            Math.max(0, metrics - free.metrics) * prices.alarmMetricMonth,
            `${prices.alarmMetricMonth} $/alarm metric-month${freeNote}`,
        ),
        fixed(
            T.dashboard,
            "CloudWatch dashboard",
            Math.max(0, 1 - free.dashboards) * prices.dashboardMonth,
            `${prices.dashboardMonth} $/dashboard-month${freeNote}`,
        ),
    ];
};

/** database.create: the RDS instance or the Aurora Serverless v2 cluster, with the master password's secret. */
const createdDatabase: AwsCostPart = ({ database }, usage, prices) => {
    const spec = database.create;
    switch (spec?.engine) {
        case "rds": {
            if (spec.instanceClass in prices.database.rdsInstanceHour)
                return rdsDatabaseCostLines({ instanceClass: spec.instanceClass, storageGb: spec.storageGb }, prices.database);
            // A class the config admits but the price table lacks is shown unpriced rather than guessed.
            const [, ...storageAndSecret] = rdsDatabaseCostLines(
                { instanceClass: DEFAULT_INSTANCE_CLASS, storageGb: spec.storageGb },
                prices.database,
            );
            return [
                fixed(
                    T.rdsInstance,
                    `RDS ${spec.instanceClass}, Single-AZ: not priced here`,
                    0,
                    "see https://aws.amazon.com/rds/postgresql/pricing/",
                ),
                ...storageAndSecret,
            ];
        }
        case "aurora-serverless": {
            // A cluster at minCapacity 0 runs at 0.5 ACU or more while awake; one that never pauses, at minCapacity at least.
            const pauses = spec.minCapacity === 0;
            return auroraCostLines(
                {
                    activeHours: pauses ? usage.databaseActiveHours : HOURS_PER_MONTH,
                    averageAcu: pauses ? AURORA_AWAKE_MIN_ACU : spec.minCapacity,
                    storageGb: usage.databaseGb,
                    millionIos: 0,
                },
                prices.database,
            );
        }
        default:
            return [];
    }
};

/** Every priced part of an AWS stack, in the order the report prints them. */
export const AWS_COST_PARTS: readonly AwsCostPart[] = [
    compute,
    taskAddresses,
    frontDoor,
    nat,
    secrets,
    inNetworkAdmin,
    logs,
    alarms,
    createdDatabase,
];

/** The monthly cost lines of the stack a validated config describes. */
export function awsStackCostLines(stack: AwsStack, usage: UsageAssumptions = IDLE, prices: StackPrices = US_EAST_1_STACK_PRICES): StackCostLine[] {
    return AWS_COST_PARTS.flatMap((part) => part(stack, usage, prices));
}

/** What every AWS stack's report says besides its lines. */
export const AWS_REPORT_NOTES = [
    "Prices of us-east-1; other Regions differ.",
    "Data transfer out to the internet, and a NAT or database of an existing VPC, are not counted.",
    "Fargate Spot is priced at 70% off on-demand, the best case AWS advertises; its price varies.",
    "During a rolling deploy up to twice the tasks run for a few minutes.",
] as const;

/** What an AWS stack's report says besides its lines: AWS_REPORT_NOTES, and what the created database's lines assume. */
export function awsReportNotes(stack: Pick<AwsStack, "database">, usage: UsageAssumptions = IDLE): string[] {
    const spec = stack.database.create;
    const notes: string[] = [...AWS_REPORT_NOTES];
    if (spec?.engine === "rds")
        notes.push(
            `The RDS instance (Single-AZ) runs all month whatever the traffic; storage autoscaling (up to ${spec.maxStorageGb} GB) bills what it grows to; automated backups are free up to the allocated storage.`,
        );
    if (spec?.engine === "aurora-serverless") {
        notes.push(
            spec.minCapacity === 0
                ? `Aurora at minCapacity 0 bills ACUs only while awake, priced at ${usage.databaseActiveHours} h a month (--db-hours N) at ${AURORA_AWAKE_MIN_ACU} ACU, the least an awake instance runs at; paused, it bills storage (priced at ${usage.databaseGb} GB, --db-gb N) and the master password's secret only. Each task start, deploy and request after a pause wakes it for at least ${spec.secondsUntilAutoPause} s.`
                : `Aurora at minCapacity ${spec.minCapacity} never pauses: ${spec.minCapacity} ACU all month is its floor, and load scales it up to ${spec.maxCapacity} ACU, billed per ACU-hour.`,
            "Aurora I/O (0.20 $ per million requests to storage) is not estimated from traffic; automated backups are free up to the cluster's storage.",
        );
    }
    return notes;
}

/**
 * ALB capacity units used by `usage`, summed over the month's hours for an even load: the larger of new
 * connections (one per request, no keep-alive: the upper bound) and bytes processed.
 */
export function albCapacityUnitHours(
    usage: UsageAssumptions,
    prices: Pick<StackPrices, "lcuNewConnectionsPerSecond" | "lcuGbPerHour"> = US_EAST_1_STACK_PRICES,
): number {
    const byConnections = usage.requestsPerMonth / (prices.lcuNewConnectionsPerSecond * 3600);
    const byBytes = (usage.requestsPerMonth * usage.averageBytesPerRequest) / 1e9 / prices.lcuGbPerHour;
    return Math.max(byConnections, byBytes);
}

/**
 * Requests a month above which the stack's own ALB costs less than an HTTP API in front of the same tasks: the
 * ALB's fixed hours and addresses against the HTTP API's price per request (less the ALB's own per-request LCUs),
 * with the HTTP API's Cloud Map and zone on its side.
 */
export function httpApiAlbCrossoverRequests(
    tasks = 1,
    availabilityZones = 2,
    averageBytesPerRequest = IDLE.averageBytesPerRequest,
    prices: StackPrices = US_EAST_1_STACK_PRICES,
): number {
    const albFixed = prices.albHour * h + availabilityZones * prices.publicIpv4Hour * h;
    const apiFixed = tasks * prices.cloudMapInstanceMonth + prices.route53HostedZoneMonth;
    const perMillion = (requests: number) =>
        albCapacityUnitHours({ ...IDLE, requestsPerMonth: requests, averageBytesPerRequest }, prices) * prices.albLcuHour;
    const albPerRequest = perMillion(1_000_000) / 1_000_000;
    const apiPerRequest = prices.httpApiPerMillionRequests / 1_000_000;
    return (albFixed - apiFixed) / (apiPerRequest - albPerRequest);
}

function fixed(resourceType: string, item: string, monthly: number, how: string): StackCostLine {
    return { resourceType, item, monthly, basis: "fixed", how };
}

function usageLine(resourceType: string, item: string, monthly: number, how: string): StackCostLine {
    return { resourceType, item, monthly, basis: "usage", how };
}

function round(n: number, digits: number): string {
    return String(Number(n.toFixed(digits)));
}

/** The least capacity an awake Aurora Serverless v2 instance runs at: 0 ACUs is the paused state (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html). */
export const AURORA_AWAKE_MIN_ACU = 0.5;

/** The monthly cost lines of a created RDS instance: it runs all month, whatever the traffic. */
export function rdsDatabaseCostLines(a: { instanceClass: string; storageGb: number }, prices = DATABASE_US_EAST_1_PRICES): StackCostLine[] {
    const hourly = prices.rdsInstanceHour[a.instanceClass];
    if (hourly === undefined)
        throw new Error(`no price known for ${a.instanceClass}: the cost model prices ${Object.keys(prices.rdsInstanceHour).join(", ")}`);
    return [
        fixed(T.rdsInstance, `RDS ${a.instanceClass}, Single-AZ`, hourly * HOURS_PER_MONTH, `${hourly} $/h × ${HOURS_PER_MONTH} h`),
        fixed(
            T.rdsInstance,
            `RDS gp3 storage: ${a.storageGb} GB`,
            a.storageGb * prices.rdsGp3GbMonth,
            `${prices.rdsGp3GbMonth} $/GB-month allocated`,
        ),
        fixed(T.rdsInstance, "Secrets Manager: the master password", prices.secretMonth, `${prices.secretMonth} $/secret-month, kept by RDS`),
    ];
}

export interface AuroraCostAssumptions {
    /** Hours a month the instance is awake (not paused): at most HOURS_PER_MONTH. */
    activeHours: number;
    /** Average ACUs while awake. */
    averageAcu: number;
    /** GB the cluster stores: Aurora bills what is used. */
    storageGb: number;
    /** Millions of I/O requests a month. */
    millionIos: number;
}

/**
 * The monthly cost lines of a created Aurora Serverless v2 cluster: its capacity while awake, by use unless it is awake
 * all month; a paused instance bills no capacity, only the cluster's storage and the secret.
 */
export function auroraCostLines(a: AuroraCostAssumptions, prices = DATABASE_US_EAST_1_PRICES): StackCostLine[] {
    const hours = Math.min(a.activeHours, HOURS_PER_MONTH);
    const acuHours = hours * a.averageAcu;
    const capacity = `${round(acuHours, 1)} ACU-h (${round(hours, 1)} h awake × ${a.averageAcu} ACU)`;
    const capacityHow = `${prices.auroraAcuHour} $/ACU-h`;
    return [
        hours < HOURS_PER_MONTH
            ? usageLine(T.auroraInstance, `Aurora Serverless v2: ${capacity}`, acuHours * prices.auroraAcuHour, `${capacityHow}; paused, none`)
            : fixed(T.auroraInstance, `Aurora Serverless v2: ${capacity}`, acuHours * prices.auroraAcuHour, capacityHow),
        usageLine(
            T.auroraCluster,
            `Aurora storage: ${a.storageGb} GB`,
            a.storageGb * prices.auroraStorageGbMonth,
            `${prices.auroraStorageGbMonth} $/GB-month used`,
        ),
        usageLine(
            T.auroraCluster,
            `Aurora I/O: ${a.millionIos} million requests`,
            a.millionIos * prices.auroraPerMillionIos,
            `${prices.auroraPerMillionIos} $/million`,
        ),
        fixed(T.auroraCluster, "Secrets Manager: the master password", prices.secretMonth, `${prices.secretMonth} $/secret-month, kept by RDS`),
    ];
}
