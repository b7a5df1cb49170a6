/**
 * Alarms for PostgREST on AWS: the CloudWatch alarms of alarms.ts, each telling
 * an SNS topic when it fires and when it clears, the topic's email
 * subscriptions, and one dashboard per stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringConfig } from "../config/monitoring";
import { EcsServiceDimensions, FrontDoor, alarmPlan, dashboardBody, dashboardName } from "./config/alarms";

export interface MonitoringArgs {
    /** The validated `monitoring` block. @default none, required */
    monitoring: MonitoringConfig;
    /** What clients reach PostgREST through: it decides the front door's alarms. @default undefined (no front-door alarms, the service's only) */
    frontDoor?: FrontDoor;
    /** The ECS service's CloudWatch dimensions. @default none, required */
    service: EcsServiceDimensions;
    /** Tasks that should always be healthy: service.minInstances, at least 1 on AWS. @default none, required */
    minTasks: number;
}

export class Monitoring extends pulumi.ComponentResource {
    /** The SNS topic every alarm notifies: the one given, or the one created here. */
    public readonly topicArn: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;
    public readonly alarmArns: pulumi.Output<string[]>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:Monitoring", name, {}, opts);
        const parent = { parent: this };
        const { monitoring } = args;

        const topicArn = monitoring.snsTopicArn
            ? pulumi.output(monitoring.snsTopicArn)
            : new aws.sns.Topic(`${name}-alerts`, { displayName: "PostgREST alarms" }, parent).arn;
        for (const email of monitoring.alertEmails) {
            // SNS mails each address a confirmation link; nothing is delivered until it is followed
            // (https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html).
            new aws.sns.TopicSubscription(
                `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
                { topic: topicArn, protocol: "email", endpoint: email },
                parent,
            );
        }
        if (!monitoring.snsTopicArn && monitoring.alertEmails.length === 0) {
            pulumi.log.warn(
                "The alarms notify an SNS topic nobody subscribes to: set monitoring.alertEmails, or subscribe to the topic (details.alertTopicArn).",
                this,
            );
        }

        const plan = alarmPlan(args.frontDoor, args.service, monitoring.thresholds, args.minTasks);
        const alarms = plan.map(
            (spec) =>
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${spec.name}`,
                    {
                        alarmDescription: spec.description,
                        comparisonOperator: spec.comparison,
                        threshold: spec.threshold,
                        evaluationPeriods: spec.evaluationPeriods,
                        datapointsToAlarm: spec.datapointsToAlarm,
                        treatMissingData: spec.treatMissingData,
                        metricQueries: [
                            ...spec.metrics.map((metric) => ({
                                id: metric.id,
                                // A metric-math alarm returns its expression; a plain one its only metric.
                                returnData: spec.expression === undefined,
                                metric: {
                                    namespace: metric.namespace,
                                    metricName: metric.metricName,
                                    dimensions: metric.dimensions,
                                    stat: metric.stat,
                                    period: spec.period,
                                },
                            })),
                            ...(spec.expression === undefined
                                ? []
                                : [{ id: "rate", expression: spec.expression, label: spec.name, returnData: true }]),
                        ],
                        // Told when it fires and when it clears, so nobody has to look whether it is over.
                        alarmActions: [topicArn],
                        okActions: [topicArn],
                    },
                    parent,
                ),
        );

        const region = aws.getRegionOutput({}, parent).region;
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}`,
            {
                dashboardName: dashboardName(pulumi.getProject(), pulumi.getStack()),
                dashboardBody: pulumi.all([region, pulumi.all(alarms.map((alarm) => alarm.arn))]).apply(([regionName, arns]) =>
                    dashboardBody(
                        regionName,
                        arns.map((arn, i) => ({ arn, title: plan[i].name })),
                    ),
                ),
            },
            parent,
        );

        this.topicArn = topicArn;
        this.dashboardName = dashboard.dashboardName;
        this.alarmArns = pulumi.all(alarms.map((alarm) => alarm.arn));
        this.registerOutputs({ topicArn: this.topicArn, dashboardName: this.dashboardName, alarmArns: this.alarmArns });
    }
}
