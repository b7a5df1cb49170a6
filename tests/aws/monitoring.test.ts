import * as assert from "assert";
import { MONITORING_DEFAULTS } from "../../components/config/monitoring";
import { baseConfig, RegisteredResource } from "../../testing/harness";
import { AwsRun, runAws } from "../../testing/run-component";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    monitoring: "postgrest:aws:Monitoring",
};

// What the mocks answer for the load balancer, target group, cluster and service the program names (testing/mocks/aws.ts).
const LOAD_BALANCER = "app/postgrest-lb/50dc6c495c0c9188";
const TARGET_GROUP = "targetgroup/postgrest-lb-tasks/73e2d6bc24d8a067";
const CLUSTER = "postgrest-service";
const SERVICE = "postgrest-service";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

const stack = (monitoring?: Record<string, unknown>, service: Record<string, unknown> = { maxInstances: 2 }) => ({
    ...baseConfig("aws"),
    service,
    ...(monitoring ? { monitoring } : {}),
});

/** The alarm named `<component>-<suffix>`. */
function alarm(run: AwsRun, suffix: string): RegisteredResource {
    const found = run.byType(T.alarm).find((a) => a.name === `postgrest-monitoring-${suffix}`);
    assert.ok(found, `no alarm ${suffix}: ${run.byType(T.alarm).map((a) => a.name)}`);
    return found;
}

/** Each metric an alarm reads, as "namespace metric stat {dimensions}". */
function metricsOf(resource: RegisteredResource): string[] {
    return resource.inputs.metricQueries
        .filter((q: any) => q.metric)
        .map((q: any) => `${q.metric.namespace} ${q.metric.metricName} ${q.metric.stat} ${JSON.stringify(q.metric.dimensions)}`);
}

describe("aws: monitoring", () => {
    describe("by default", () => {
        let run: AwsRun;
        before(async () => {
            run = await runAws(stack({ alertEmails: ["ops@example.com", "On-Call@example.com"] }));
        });

        it("reads every metric with exactly the dimensions CloudWatch publishes it under", () => {
            const lb = JSON.stringify({ LoadBalancer: LOAD_BALANCER });
            const targets = JSON.stringify({ LoadBalancer: LOAD_BALANCER, TargetGroup: TARGET_GROUP });
            const service = JSON.stringify({ ClusterName: CLUSTER, ServiceName: SERVICE });
            const table = Object.fromEntries(run.byType(T.alarm).map((a) => [a.name.replace("postgrest-monitoring-", ""), metricsOf(a)]));
            assert.deepStrictEqual(table, {
                "lb-5xx-rate": [`AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum ${lb}`, `AWS/ApplicationELB RequestCount Sum ${lb}`],
                "target-5xx-rate": [`AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum ${targets}`, `AWS/ApplicationELB RequestCount Sum ${targets}`],
                "unhealthy-targets": [`AWS/ApplicationELB UnHealthyHostCount Maximum ${targets}`],
                "p95-latency": [`AWS/ApplicationELB TargetResponseTime p95 ${targets}`],
                "healthy-tasks-below-minimum": [`AWS/ApplicationELB HealthyHostCount Minimum ${targets}`],
                "cpu-high": [`AWS/ECS CPUUtilization Average ${service}`],
                "memory-high": [`AWS/ECS MemoryUtilization Maximum ${service}`],
            });
        });

        it("has every alarm tell the topic when it fires and when it clears", () => {
            const topicArn = "arn:aws:sns:us-east-1:123456789012:postgrest-monitoring-alerts";
            assert.strictEqual(run.byType(T.topic).length, 1);
            for (const resource of run.byType(T.alarm)) {
                assert.deepStrictEqual(resource.inputs.alarmActions, [topicArn], resource.name);
                assert.deepStrictEqual(resource.inputs.okActions, [topicArn], resource.name);
                assert.ok(resource.inputs.alarmDescription.length > 40, `${resource.name} says what it means`);
            }
            assert.deepStrictEqual(
                run
                    .byType(T.subscription)
                    .map((s) => [s.inputs.topic, s.inputs.protocol, s.inputs.endpoint])
                    .sort(),
                [
                    [topicArn, "email", "On-Call@example.com"],
                    [topicArn, "email", "ops@example.com"],
                ],
            );
            assert.strictEqual(run.outputs.details.alertTopicArn, topicArn);
        });

        it("computes the 5xx rates by metric math over the metrics it reads, returning only the rate", () => {
            for (const suffix of ["lb-5xx-rate", "target-5xx-rate"]) {
                const queries: any[] = alarm(run, suffix).inputs.metricQueries;
                const expression = queries.find((q) => q.expression);
                const ids = queries.filter((q) => q.metric).map((q) => q.id);
                const referenced = [...new Set<string>(expression.expression.match(/\b[a-z][a-z0-9]*\b/gi))]
                    .filter((word) => !/^(IF|FILL)$/.test(word))
                    .sort();
                assert.deepStrictEqual(referenced, [...ids].sort(), `${suffix}: ${expression.expression}`);
                assert.deepStrictEqual(
                    queries.filter((q) => q.returnData).map((q) => q.id),
                    [expression.id],
                );
                // A metric-math alarm takes its period from its metrics, never from the alarm.
                assert.strictEqual(alarm(run, suffix).inputs.period, undefined);
                for (const q of queries.filter((q) => q.metric)) assert.strictEqual(q.metric.period, 60);
            }
        });

        it("uses the default thresholds, the latency in seconds as CloudWatch reports it", () => {
            const d = MONITORING_DEFAULTS.thresholds;
            assert.strictEqual(alarm(run, "lb-5xx-rate").inputs.threshold, d.errorRatePercent);
            assert.strictEqual(alarm(run, "target-5xx-rate").inputs.threshold, d.errorRatePercent);
            assert.strictEqual(alarm(run, "p95-latency").inputs.threshold, d.p95LatencyMs / 1000);
            assert.strictEqual(alarm(run, "cpu-high").inputs.threshold, d.cpuPercent);
            assert.strictEqual(alarm(run, "memory-high").inputs.threshold, d.memoryPercent);
            assert.strictEqual(alarm(run, "healthy-tasks-below-minimum").inputs.threshold, 1);
            assert.strictEqual(alarm(run, "healthy-tasks-below-minimum").inputs.comparisonOperator, "LessThanThreshold");
        });

        it("builds one dashboard for the stack, showing every alarm", () => {
            const dashboard = run.one(T.dashboard);
            assert.strictEqual(dashboard.inputs.dashboardName, "postgrest-test");
            const body = JSON.parse(dashboard.inputs.dashboardBody);
            const arns = run
                .byType(T.alarm)
                .map((a) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${a.name}`)
                .sort();
            assert.deepStrictEqual([...body.widgets[0].properties.alarms].sort(), arns);
            assert.deepStrictEqual(
                body.widgets
                    .slice(1)
                    .map((w: any) => w.properties.annotations.alarms[0])
                    .sort(),
                arns,
            );
            assert.strictEqual(run.outputs.details.dashboard, "postgrest-test");
        });
    });

    it("takes the thresholds and the minimum from config", async () => {
        const run = await runAws(
            stack(
                { thresholds: { errorRatePercent: 1, p95LatencyMs: 250, cpuPercent: 90, memoryPercent: 70 } },
                { minInstances: 2, maxInstances: 4 },
            ),
        );
        assert.strictEqual(alarm(run, "lb-5xx-rate").inputs.threshold, 1);
        assert.strictEqual(alarm(run, "target-5xx-rate").inputs.threshold, 1);
        assert.strictEqual(alarm(run, "p95-latency").inputs.threshold, 0.25);
        assert.strictEqual(alarm(run, "cpu-high").inputs.threshold, 90);
        assert.strictEqual(alarm(run, "memory-high").inputs.threshold, 70);
        assert.strictEqual(alarm(run, "healthy-tasks-below-minimum").inputs.threshold, 2);
        assert.match(alarm(run, "healthy-tasks-below-minimum").inputs.alarmDescription, /Fewer than 2 healthy tasks/);
    });

    it("notifies an existing topic, creating none and subscribing nobody", async () => {
        const run = await runAws(stack({ snsTopicArn: TOPIC }));
        assert.deepStrictEqual(run.byType(T.topic), []);
        assert.deepStrictEqual(run.byType(T.subscription), []);
        assert.strictEqual(run.byType(T.alarm).length, 7);
        for (const resource of run.byType(T.alarm)) {
            assert.deepStrictEqual([resource.inputs.alarmActions, resource.inputs.okActions], [[TOPIC], [TOPIC]], resource.name);
        }
    });

    it("creates no alarm, topic or dashboard when switched off", async () => {
        const run = await runAws(stack({ enabled: false, alertEmails: ["ops@example.com"] }));
        for (const type of Object.values(T)) assert.deepStrictEqual(run.byType(type), [], type);
        assert.strictEqual(run.outputs.details.alertTopicArn, undefined);
    });
});
