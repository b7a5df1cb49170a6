import * as assert from "assert";
import { alarmMetricCount, alarmPlan, dashboardBody, dashboardName } from "../../../components/aws/config/alarms";
import { MONITORING_DEFAULTS } from "../../../components/config/monitoring";

describe("aws: the alarm plan", () => {
    const dims = { clusterName: "c", serviceName: "s" };
    const alb = { kind: "alb" as const, loadBalancer: "app/lb/1", targetGroup: "targetgroup/tg/2" };

    it("counts the metrics CloudWatch bills: one per metric, each metric of a metric-math alarm", () => {
        const plan = alarmPlan(alb, dims, MONITORING_DEFAULTS.thresholds, 1);
        assert.deepStrictEqual(
            plan.map((a) => [a.name, a.metrics.length]),
            [
                ["lb-5xx-rate", 2],
                ["target-5xx-rate", 2],
                ["unhealthy-targets", 1],
                ["p95-latency", 1],
                ["healthy-tasks-below-minimum", 1],
                ["cpu-high", 1],
                ["memory-high", 1],
            ],
        );
        assert.strictEqual(alarmMetricCount(plan), 9);
    });

    it("an HTTP API front door: its 5xx rate and p95 latency (in ms) by ApiId, then the service's alarms", () => {
        const plan = alarmPlan({ kind: "http-api", apiId: "a1b2c3" }, dims, { ...MONITORING_DEFAULTS.thresholds, p95LatencyMs: 800 }, 1);
        assert.deepStrictEqual(
            plan.map((a) => [a.name, a.metrics.map((m) => `${m.namespace} ${m.metricName} ${JSON.stringify(m.dimensions)} ${m.stat}`)]),
            [
                ["api-5xx-rate", ['AWS/ApiGateway 5xx {"ApiId":"a1b2c3"} Sum', 'AWS/ApiGateway Count {"ApiId":"a1b2c3"} Sum']],
                ["p95-latency", ['AWS/ApiGateway Latency {"ApiId":"a1b2c3"} p95']],
                ["cpu-high", ['AWS/ECS CPUUtilization {"ClusterName":"c","ServiceName":"s"} Average']],
                ["memory-high", ['AWS/ECS MemoryUtilization {"ClusterName":"c","ServiceName":"s"} Maximum']],
            ],
        );
        assert.strictEqual(plan.find((a) => a.name === "p95-latency")!.threshold, 800);
    });

    it("no front door: the service's alarms only", () => {
        assert.deepStrictEqual(
            alarmPlan(undefined, dims, MONITORING_DEFAULTS.thresholds, 1).map((a) => a.name),
            ["cpu-high", "memory-high"],
        );
    });

    it("gives metric ids metric math accepts: a lowercase letter, then letters, digits and _", () => {
        for (const spec of [alb, { kind: "http-api" as const, apiId: "x" }].flatMap((door) =>
            alarmPlan(door, dims, MONITORING_DEFAULTS.thresholds, 1),
        )) {
            for (const metric of spec.metrics) assert.match(metric.id, /^[a-z][a-zA-Z0-9_]*$/, spec.name);
        }
    });

    it("names the dashboard after the project and stack, in the characters CloudWatch allows", () => {
        assert.strictEqual(dashboardName("postgrest", "prod"), "postgrest-prod");
        assert.strictEqual(dashboardName("postgrest", "team.prod"), "postgrest-team-prod");
    });

    it("lays the dashboard out two graphs a row under the alarm states", () => {
        const body = JSON.parse(
            dashboardBody(
                "eu-west-1",
                ["a", "b", "c"].map((n) => ({ title: n, arn: `arn:${n}` })),
            ),
        );
        assert.deepStrictEqual(
            body.widgets.map((w: any) => [w.type, w.x, w.y]),
            [
                ["alarm", 0, 0],
                ["metric", 0, 3],
                ["metric", 12, 3],
                ["metric", 0, 9],
            ],
        );
        assert.ok(body.widgets.slice(1).every((w: any) => w.properties.region === "eu-west-1"));
    });
});
