/**
 * Which CloudWatch alarms a stack gets, as data: the front door's alarms are a
 * function of the front door (an Application Load Balancer, the stack's own or
 * a shared one, or an HTTP API), the service's alarms of the ECS service. Pure: the Monitoring component turns
 * each spec into a MetricAlarm, the cost model counts its metrics.
 */
import * as pulumi from "@pulumi/pulumi";
import { MonitoringThresholds } from "../../config/monitoring";

/** What clients reach PostgREST through; each kind has its own metrics and so its own alarms. */
export type FrontDoor =
    | {
          kind: "alb";
          /** The load balancer's ARN suffix, `app/<name>/<id>`: its CloudWatch dimension `LoadBalancer`. */
          loadBalancer: pulumi.Input<string>;
          /** The target group's ARN suffix, `targetgroup/<name>/<id>`: its dimension `TargetGroup`. */
          targetGroup: pulumi.Input<string>;
      }
    | {
          kind: "http-api";
          /** The API's id: its CloudWatch dimension `ApiId`. */
          apiId: pulumi.Input<string>;
      };

/** The ECS service, by its CloudWatch dimensions. */
export interface EcsServiceDimensions {
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
}

export interface MetricSpec {
    /** Id within the alarm, as metric math names it: lowercase first. */
    id: string;
    namespace: string;
    metricName: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /** Sum, Average, Minimum, Maximum or a percentile such as p95. */
    stat: string;
}

export interface AlarmSpec {
    /** Suffix of the alarm's name, such as `target-5xx-rate`. */
    name: string;
    /** What it means and where to look: the alarm's description, in the notification. */
    description: string;
    metrics: MetricSpec[];
    /** Metric math over the metrics' ids; undefined: the alarm watches its one metric. */
    expression?: string;
    comparison: "GreaterThanThreshold" | "LessThanThreshold";
    threshold: number;
    /** Seconds per datapoint. */
    period: number;
    /** Datapoints looked at, and how many of them must breach. */
    evaluationPeriods: number;
    datapointsToAlarm: number;
    /** No traffic means no ALB datapoints: that is no error, so missing data does not breach. */
    treatMissingData: "notBreaching" | "breaching" | "missing";
}

/** Every alarm of a stack: the front door's, then the service's. */
export function alarmPlan(
    frontDoor: FrontDoor | undefined,
    service: EcsServiceDimensions,
    thresholds: MonitoringThresholds,
    minTasks: number,
): AlarmSpec[] {
    return [...(frontDoor ? frontDoorAlarms(frontDoor, thresholds, minTasks) : []), ...serviceAlarms(service, thresholds)];
}

/**
 * The ALB front door of a target group's RequestCountPerTarget label, `app/<lb>/<id>/targetgroup/<tg>/<id>`
 * (ALBRequestCountPerTarget's resource label): its two CloudWatch dimensions, for the stack's own or a shared ALB.
 */
export function albFrontDoor(requestCountResourceLabel: pulumi.Input<string>): FrontDoor {
    const label = pulumi.output(requestCountResourceLabel);
    return {
        kind: "alb",
        loadBalancer: label.apply((text) => text.slice(0, text.indexOf("/targetgroup/"))),
        targetGroup: label.apply((text) => text.slice(text.indexOf("/targetgroup/") + 1)),
    };
}

/** Alarm metrics are billed per metric, a metric-math alarm for each metric it reads (https://aws.amazon.com/cloudwatch/pricing/). */
export function alarmMetricCount(alarms: readonly AlarmSpec[]): number {
    return alarms.reduce((sum, alarm) => sum + alarm.metrics.length, 0);
}

// ALB metrics, their dimensions and statistics: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
const ALB = "AWS/ApplicationELB";
// ECS service CPUUtilization and MemoryUtilization, by ClusterName and ServiceName, without Container Insights:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
const ECS = "AWS/ECS";

/** Three of five one-minute datapoints: a minute's blip does not page, five bad minutes do. */
const SUSTAINED = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 } as const;

/** The front door's alarms; a new kind of front door adds its case here. */
export function frontDoorAlarms(frontDoor: FrontDoor, thresholds: MonitoringThresholds, minTasks: number): AlarmSpec[] {
    switch (frontDoor.kind) {
        case "alb":
            return albAlarms(frontDoor, thresholds, minTasks);
        case "http-api":
            return httpApiAlarms(frontDoor, thresholds);
    }
}

// HTTP API metrics (5xx, Count, Latency in milliseconds) by ApiId: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
const API_GATEWAY = "AWS/ApiGateway";

/**
 * An HTTP API's 5xx rate and p95 latency. It has no target group, so no healthy-task count: the service's CPU and
 * memory alarms and the 5xx rate (the VPC link answers 503 when no task is registered) stand for it.
 */
function httpApiAlarms(door: FrontDoor & { kind: "http-api" }, thresholds: MonitoringThresholds): AlarmSpec[] {
    const dimensions = { ApiId: door.apiId };
    const metric = (id: string, metricName: string, stat: string): MetricSpec => ({ id, namespace: API_GATEWAY, metricName, dimensions, stat });
    return [
        {
            name: "api-5xx-rate",
            description:
                `More than ${thresholds.errorRatePercent}% of requests got a 5xx at the HTTP API: PostgREST failed, no task is registered ` +
                "in Cloud Map, or the 30-second integration timeout passed. Look at the PostgREST log group and the service's events.",
            metrics: [metric("api5xx", "5xx", "Sum"), metric("requests", "Count", "Sum")],
            expression: "IF(FILL(requests, 0) > 0, 100 * FILL(api5xx, 0) / FILL(requests, 0), 0)",
            comparison: "GreaterThanThreshold",
            threshold: thresholds.errorRatePercent,
            ...SUSTAINED,
            treatMissingData: "notBreaching",
        },
        {
            name: "p95-latency",
            description: `The slowest 5% of requests take more than ${thresholds.p95LatencyMs} ms at the HTTP API: slow queries, a busy database or a full pool.`,
            // Latency is in milliseconds here.
            metrics: [metric("latency", "Latency", "p95")],
            comparison: "GreaterThanThreshold",
            threshold: thresholds.p95LatencyMs,
            ...SUSTAINED,
            treatMissingData: "notBreaching",
        },
    ];
}

function albAlarms(door: FrontDoor & { kind: "alb" }, thresholds: MonitoringThresholds, minTasks: number): AlarmSpec[] {
    const ofLoadBalancer = { LoadBalancer: door.loadBalancer };
    const ofTargets = { LoadBalancer: door.loadBalancer, TargetGroup: door.targetGroup };
    const metric = (id: string, metricName: string, dimensions: MetricSpec["dimensions"], stat: string): MetricSpec => ({
        id,
        namespace: ALB,
        metricName,
        dimensions,
        stat,
    });
    return [
        {
            name: "lb-5xx-rate",
            description:
                `More than ${thresholds.errorRatePercent}% of requests got a 5xx from the load balancer itself (502, 503, 504): no healthy task, ` +
                "or tasks that do not answer in time. Look at the target group's health and the service's events.",
            metrics: [metric("lb5xx", "HTTPCode_ELB_5XX_Count", ofLoadBalancer, "Sum"), metric("requests", "RequestCount", ofLoadBalancer, "Sum")],
            // RequestCount leaves out requests refused before a target was chosen (a 503 with no healthy target), so the
            // load balancer's own 5xx are added to it: the rate stays at most 100%.
            expression: "IF(FILL(requests, 0) + FILL(lb5xx, 0) > 0, 100 * FILL(lb5xx, 0) / (FILL(requests, 0) + FILL(lb5xx, 0)), 0)",
            comparison: "GreaterThanThreshold",
            threshold: thresholds.errorRatePercent,
            ...SUSTAINED,
            treatMissingData: "notBreaching",
        },
        {
            name: "target-5xx-rate",
            description:
                `More than ${thresholds.errorRatePercent}% of requests got a 5xx from PostgREST: the database refuses or is unreachable, ` +
                "or the pool is exhausted. Look at the PostgREST log group.",
            metrics: [metric("target5xx", "HTTPCode_Target_5XX_Count", ofTargets, "Sum"), metric("requests", "RequestCount", ofTargets, "Sum")],
            expression: "IF(FILL(requests, 0) > 0, 100 * FILL(target5xx, 0) / FILL(requests, 0), 0)",
            comparison: "GreaterThanThreshold",
            threshold: thresholds.errorRatePercent,
            ...SUSTAINED,
            treatMissingData: "notBreaching",
        },
        {
            name: "unhealthy-targets",
            description: "A task fails the load balancer's health check, and has for three minutes. Look at the target group's health reasons.",
            metrics: [metric("unhealthy", "UnHealthyHostCount", ofTargets, "Maximum")],
            comparison: "GreaterThanThreshold",
            threshold: 0,
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "notBreaching",
        },
        {
            name: "p95-latency",
            description: `The slowest 5% of requests take more than ${thresholds.p95LatencyMs} ms at PostgREST: slow queries, a busy database or a full pool.`,
            metrics: [metric("latency", "TargetResponseTime", ofTargets, "p95")],
            // TargetResponseTime is in seconds.
            comparison: "GreaterThanThreshold",
            threshold: thresholds.p95LatencyMs / 1000,
            ...SUSTAINED,
            treatMissingData: "notBreaching",
        },
        // Healthy targets stand for running tasks without Container Insights (RunningTaskCount is a Container Insights metric,
        // billed as custom metrics), and say more: a task that runs but fails its health check serves nobody.
        {
            name: "healthy-tasks-below-minimum",
            description: `Fewer than ${minTasks} healthy task${minTasks === 1 ? "" : "s"} (service.minInstances) behind the load balancer for three minutes: tasks are crashing, failing their health check, or cannot start (image pull, secrets).`,
            metrics: [metric("healthy", "HealthyHostCount", ofTargets, "Minimum")],
            comparison: "LessThanThreshold",
            threshold: minTasks,
            period: 60,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // Health checks run with or without traffic, so no datapoint means no healthy target reported at all.
            treatMissingData: "breaching",
        },
    ];
}

/** The ECS service's alarms: whatever the front door, the tasks' CPU and memory. */
export function serviceAlarms(service: EcsServiceDimensions, thresholds: MonitoringThresholds): AlarmSpec[] {
    const dimensions = { ClusterName: service.clusterName, ServiceName: service.serviceName };
    return [
        {
            name: "cpu-high",
            description: `The tasks average more than ${thresholds.cpuPercent}% of their CPU: autoscaling is at service.maxInstances or cannot keep up.`,
            metrics: [{ id: "cpu", namespace: ECS, metricName: "CPUUtilization", dimensions, stat: "Average" }],
            comparison: "GreaterThanThreshold",
            threshold: thresholds.cpuPercent,
            ...SUSTAINED,
            treatMissingData: "missing",
        },
        {
            name: "memory-high",
            description: `A task uses more than ${thresholds.memoryPercent}% of its memory: near the limit ECS stops it at. Give the task more memory.`,
            // Maximum: the most loaded task, the one that would be stopped, not the average that hides it.
            metrics: [{ id: "memory", namespace: ECS, metricName: "MemoryUtilization", dimensions, stat: "Maximum" }],
            comparison: "GreaterThanThreshold",
            threshold: thresholds.memoryPercent,
            ...SUSTAINED,
            treatMissingData: "missing",
        },
    ];
}

/** A CloudWatch dashboard name from the project and stack: letters, digits, - and _ only. */
export function dashboardName(project: string, stack: string): string {
    return `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}

/**
 * The dashboard's body: the alarms' states at the top, then one graph per alarm (a metric widget annotated with the
 * alarm draws the alarm's metric and threshold: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 */
export function dashboardBody(region: string, alarms: readonly { title: string; arn: string }[]): string {
    const width = 12;
    const height = 6;
    return JSON.stringify({
        widgets: [
            { type: "alarm", x: 0, y: 0, width: 24, height: 3, properties: { title: "Alarms", alarms: alarms.map((a) => a.arn) } },
            ...alarms.map((alarm, i) => ({
                type: "metric",
                x: (i % 2) * width,
                y: 3 + Math.floor(i / 2) * height,
                width,
                height,
                properties: { title: alarm.title, region, view: "timeSeries", annotations: { alarms: [alarm.arn] } },
            })),
        ],
    });
}
