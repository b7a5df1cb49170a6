/**
 * Alerting for PostgREST on Cloud Run: email notification channels, alert
 * policies on the service's built-in metrics (5xx ratio, p95 latency,
 * instances at the ceiling), an uptime check of the API's URL with its own
 * policy, and one dashboard per stack. The policies' conditions are pure
 * functions, so tests read the filters without a Pulumi run.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringConfig, MonitoringThresholds } from "../config/monitoring";

type Condition = gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold;

export interface CloudRunTarget {
    serviceName: string;
    region: string;
}

/** One alert policy: its name suffix, what it means, and its one threshold condition, on the service it watches. */
export interface PolicySpec {
    name: string;
    displayName: string;
    documentation: string;
    condition: (target: CloudRunTarget) => Condition;
}

// Cloud Run metrics and their labels: https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run
// Filter syntax: https://cloud.google.com/monitoring/api/v3/filters
export function cloudRunFilter(target: CloudRunTarget, metric: string, extra = ""): string {
    return (
        `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${target.serviceName}" AND ` +
        `resource.labels.location = "${target.region}" AND metric.type = "run.googleapis.com/${metric}"${extra}`
    );
}

/** Every revision of the service together: a rollout's two revisions count as one service. */
const perService = (perSeriesAligner: string, crossSeriesReducer: string) => [
    { alignmentPeriod: "60s", perSeriesAligner, crossSeriesReducer, groupByFields: ["resource.labels.service_name"] },
];

/** The policies on the service's metrics; no ceiling policy when the service always runs at its maximum. */
export function servicePolicies(thresholds: MonitoringThresholds, instances: { min: number; max: number }): PolicySpec[] {
    const policies: PolicySpec[] = [
        {
            name: "5xx-ratio",
            displayName: `PostgREST: more than ${thresholds.errorRatePercent}% of requests fail with 5xx`,
            documentation:
                "PostgREST (or Cloud Run in front of it) answers 5xx: the database refuses or is unreachable, the pool is exhausted, " +
                "or instances fail to start. Look at the service's logs.",
            condition: (target) => ({
                // A ratio condition: the 5xx class over all requests (https://cloud.google.com/monitoring/alerts/policies-in-json#json-ratio).
                filter: cloudRunFilter(target, "request_count", ' AND metric.labels.response_code_class = "5xx"'),
                denominatorFilter: cloudRunFilter(target, "request_count"),
                aggregations: perService("ALIGN_RATE", "REDUCE_SUM"),
                denominatorAggregations: perService("ALIGN_RATE", "REDUCE_SUM"),
                comparison: "COMPARISON_GT",
                thresholdValue: thresholds.errorRatePercent / 100,
                duration: "300s",
                trigger: { count: 1 },
            }),
        },
        {
            name: "p95-latency",
            displayName: `PostgREST: p95 latency above ${thresholds.p95LatencyMs} ms`,
            documentation: "The slowest 5% of requests are slow: slow queries, a busy database, a full pool, or cold starts.",
            condition: (target) => ({
                // request_latencies is a distribution in milliseconds; its 95th percentile across revisions.
                filter: cloudRunFilter(target, "request_latencies"),
                aggregations: perService("ALIGN_DELTA", "REDUCE_PERCENTILE_95"),
                comparison: "COMPARISON_GT",
                thresholdValue: thresholds.p95LatencyMs,
                duration: "300s",
                trigger: { count: 1 },
            }),
        },
    ];
    if (instances.max > instances.min) {
        policies.push({
            name: "instances-at-max",
            displayName: `PostgREST: at service.maxInstances (${instances.max}) for 5 minutes`,
            documentation:
                `Cloud Run runs service.maxInstances instances, the ceiling the database's connection budget allows ` +
                "(maxInstances × dbPool): requests queue, then fail with 429. Raise maxInstances only with database.maxConnections.",
            condition: (target) => ({
                // Every instance, active or idle, holds its pool's connections.
                filter: cloudRunFilter(target, "container/instance_count"),
                aggregations: perService("ALIGN_MAX", "REDUCE_SUM"),
                comparison: "COMPARISON_GT",
                thresholdValue: instances.max - 0.5,
                duration: "300s",
                trigger: { count: 1 },
            }),
        });
    }
    return policies;
}

/** Seconds between uptime probes; each probe is one execution per checker region, and executions are billed. */
export const UPTIME_CHECK_PERIOD_SECONDS = 300;
/** Three checkers, the fewest an uptime check takes, on three continents (https://cloud.google.com/monitoring/uptime-checks). */
export const UPTIME_CHECK_REGIONS = ["USA_VIRGINIA", "EUROPE", "ASIA_PACIFIC"];

/**
 * The uptime check's request: GET the API's root, the one path the URL serves (the admin server's /live and /ready
 * are not reachable from outside). PostgREST answers it with its OpenAPI document, or 401/404 when anonymous access
 * or the document is off: any answer below 500 means PostgREST answered.
 */
export function uptimeRequest(url: string): { host: string; path: string } {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname || "/" };
}

/** The uptime check's policy: fails from more than one checker region (https://cloud.google.com/monitoring/alerts/policies-in-json#json-uptime). */
export function uptimePolicyCondition(checkId: string, host: string): Condition {
    return {
        filter: `metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND resource.type = "uptime_url" AND metric.labels.check_id = "${checkId}" AND resource.labels.host = "${host}"`,
        aggregations: [
            {
                alignmentPeriod: `${2 * UPTIME_CHECK_PERIOD_SECONDS}s`,
                perSeriesAligner: "ALIGN_NEXT_OLDER",
                crossSeriesReducer: "REDUCE_COUNT_FALSE",
                groupByFields: ["resource.labels.host"],
            },
        ],
        comparison: "COMPARISON_GT",
        thresholdValue: 1,
        duration: "0s",
        trigger: { count: 1 },
    };
}

/** The dashboard: the service's traffic, latency and instances, then each policy's incidents (mosaicLayout, 48 columns). */
export function dashboardJson(title: string, target: CloudRunTarget, policyNames: readonly string[]): string {
    const chart = (chartTitle: string, metric: string, aligner: string, reducer: string, groupBy: string[]) => ({
        title: chartTitle,
        xyChart: {
            dataSets: [
                {
                    plotType: "LINE",
                    timeSeriesQuery: {
                        timeSeriesFilter: {
                            filter: cloudRunFilter(target, metric),
                            aggregation: { alignmentPeriod: "60s", perSeriesAligner: aligner, crossSeriesReducer: reducer, groupByFields: groupBy },
                        },
                    },
                },
            ],
        },
    });
    const widgets = [
        chart("Requests by response class", "request_count", "ALIGN_RATE", "REDUCE_SUM", ["metric.labels.response_code_class"]),
        chart("Latency p95 (ms)", "request_latencies", "ALIGN_DELTA", "REDUCE_PERCENTILE_95", []),
        chart("Instances by state", "container/instance_count", "ALIGN_MAX", "REDUCE_SUM", ["metric.labels.state"]),
        ...policyNames.map((name) => ({ title: "Incidents", alertChart: { name } })),
    ];
    return JSON.stringify({
        displayName: title,
        mosaicLayout: {
            columns: 48,
            tiles: widgets.map((widget, i) => ({ xPos: (i % 2) * 24, yPos: Math.floor(i / 2) * 16, width: 24, height: 16, widget })),
        },
    });
}

export interface MonitoringArgs {
    /** The validated `monitoring` block. @default none, required */
    monitoring: MonitoringConfig;
    /** The Cloud Run service's name. @default none, required */
    serviceName: pulumi.Input<string>;
    /** Region of the service. @default none, required */
    region: string;
    /** The API's public base URL, which the uptime check requests. @default none, required */
    url: pulumi.Input<string>;
    /** Anyone may invoke the service (gcp.public); false: the uptime check signs its requests. @default none, required */
    public: boolean;
    /** service.minInstances and service.maxInstances. @default none, required */
    instances: { min: number; max: number };
    /** Resources to wait for: the Monitoring API. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Monitoring extends pulumi.ComponentResource {
    /** Every notification channel the policies notify. */
    public readonly channels: pulumi.Output<string[]>;
    public readonly dashboardId: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:Monitoring", name, {}, opts);
        const childOpts = { parent: this, dependsOn: args.dependsOn };
        const { monitoring } = args;

        const emailChannels = monitoring.alertEmails.map(
            (email) =>
                new gcp.monitoring.NotificationChannel(
                    `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
                    { displayName: `PostgREST alerts: ${email}`, type: "email", labels: { email_address: email } },
                    childOpts,
                ).name,
        );
        const channels = pulumi.all([...emailChannels, ...monitoring.notificationChannels]);
        if (emailChannels.length + monitoring.notificationChannels.length === 0) {
            pulumi.log.warn(
                "The alert policies notify nobody (incidents show in the console only): set monitoring.alertEmails or monitoring.notificationChannels.",
                this,
            );
        }

        const policy = (name: string, spec: Omit<PolicySpec, "name" | "condition">, condition: pulumi.Input<Condition>) =>
            new gcp.monitoring.AlertPolicy(
                `${name}`,
                {
                    displayName: `${spec.displayName} (${pulumi.getStack()})`,
                    combiner: "OR",
                    conditions: [{ displayName: spec.displayName, conditionThreshold: condition }],
                    notificationChannels: channels,
                    documentation: { content: spec.documentation, mimeType: "text/markdown" },
                    // An incident whose metric stops reporting (no traffic: no requests to count) closes after 30 minutes, not the default 7 days.
                    alertStrategy: { autoClose: "1800s" },
                },
                childOpts,
            );

        const target = pulumi.output(args.serviceName).apply((serviceName): CloudRunTarget => ({ serviceName, region: args.region }));
        const servicePolicyResources = servicePolicies(monitoring.thresholds, args.instances).map((spec) =>
            policy(`${name}-${spec.name}`, spec, target.apply(spec.condition)),
        );

        const request = pulumi.output(args.url).apply(uptimeRequest);
        if (!args.public) {
            // A private service answers unsigned requests with Cloud Run's own 403, which would pass for PostgREST's answer: the
            // check sends an ID token of the Monitoring service agent, which may invoke the service
            // (https://cloud.google.com/monitoring/uptime-checks#cloud-run, service agent authentication).
            const project = gcp.organizations.getProjectOutput({}, { parent: this });
            new gcp.cloudrunv2.ServiceIamMember(
                `${name}-uptime-invoker`,
                {
                    name: args.serviceName,
                    location: args.region,
                    role: "roles/run.invoker",
                    member: pulumi.interpolate`serviceAccount:service-${project.number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`,
                },
                childOpts,
            );
        }
        const uptimeCheck = new gcp.monitoring.UptimeCheckConfig(
            `${name}-uptime`,
            {
                displayName: "PostgREST API answers",
                timeout: "10s",
                period: `${UPTIME_CHECK_PERIOD_SECONDS}s`,
                selectedRegions: UPTIME_CHECK_REGIONS,
                httpCheck: {
                    path: request.path,
                    port: 443,
                    useSsl: true,
                    validateSsl: true,
                    serviceAgentAuthentication: args.public ? undefined : { type: "OIDC_TOKEN" },
                    acceptedResponseStatusCodes: [
                        { statusClass: "STATUS_CLASS_2XX" },
                        { statusClass: "STATUS_CLASS_3XX" },
                        { statusClass: "STATUS_CLASS_4XX" },
                    ],
                },
                monitoredResource: { type: "uptime_url", labels: { project_id: gcp.config.project!, host: request.host } },
            },
            childOpts,
        );
        const uptimePolicy = policy(
            `${name}-uptime`,
            {
                displayName: "PostgREST: the API does not answer",
                documentation: "The API's URL fails its uptime check from more than one region: no answer, a TLS error, or a 5xx.",
            },
            pulumi.all([uptimeCheck.uptimeCheckId, request.host]).apply(([id, host]) => uptimePolicyCondition(id, host)),
        );

        const dashboard = new gcp.monitoring.Dashboard(
            `${name}`,
            {
                dashboardJson: pulumi
                    .all([target, pulumi.all([...servicePolicyResources, uptimePolicy].map((p) => p.name))])
                    .apply(([t, names]) => dashboardJson(`PostgREST ${pulumi.getStack()}`, t, names)),
            },
            childOpts,
        );

        this.channels = channels;
        this.dashboardId = dashboard.id;
        this.registerOutputs({ channels: this.channels, dashboardId: this.dashboardId });
    }
}
