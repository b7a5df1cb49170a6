import * as assert from "assert";
import { MONITORING_DEFAULTS } from "../../components/config/monitoring";
import { UPTIME_CHECK_REGIONS, dashboardJson, servicePolicies, uptimeRequest } from "../../components/gcp/monitoring";
import { ProgramRun, RegisteredResource, runProgram } from "../../testing/harness";
import { MOCK_PROJECT } from "../../testing/mocks/gcp";
import { gcpStack } from "../../testing/stack-configs";

const T = {
    channel: "gcp:monitoring/notificationChannel:NotificationChannel",
    policy: "gcp:monitoring/alertPolicy:AlertPolicy",
    uptime: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
    dashboard: "gcp:monitoring/dashboard:Dashboard",
    invoker: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    api: "gcp:projects/service:Service",
};
const CHANNEL = "projects/my-project/notificationChannels/1234567890123456789";
// The mocked Cloud Run service's name and URL (testing/mocks/gcp.ts).
const SERVICE = "postgrest-service";
const SERVICE_FILTER = `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${SERVICE}" AND resource.labels.location = "us-central1"`;

function policy(run: ProgramRun, suffix: string): RegisteredResource {
    const found = run.byType(T.policy).find((p) => p.name === `postgrest-monitoring-${suffix}`);
    assert.ok(found, `no policy ${suffix}: ${run.byType(T.policy).map((p) => p.name)}`);
    return found;
}
const conditionOf = (resource: RegisteredResource) => resource.inputs.conditions[0].conditionThreshold;

describe("gcp: monitoring", () => {
    describe("by default, with emails and an existing channel", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runProgram({
                config: gcpStack(
                    {},
                    {
                        service: { minInstances: 1, maxInstances: 3 },
                        monitoring: { alertEmails: ["ops@example.com"], notificationChannels: [CHANNEL] },
                    },
                ),
            });
        });

        it("watches the service's 5xx ratio, p95 latency and instance ceiling, with exactly Cloud Run's metric names and labels", () => {
            const ratio = conditionOf(policy(run, "5xx-ratio"));
            assert.strictEqual(
                ratio.filter,
                `${SERVICE_FILTER} AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"`,
            );
            assert.strictEqual(ratio.denominatorFilter, `${SERVICE_FILTER} AND metric.type = "run.googleapis.com/request_count"`);
            assert.deepStrictEqual(ratio.aggregations, ratio.denominatorAggregations);
            assert.strictEqual(ratio.thresholdValue, MONITORING_DEFAULTS.thresholds.errorRatePercent / 100);

            const latency = conditionOf(policy(run, "p95-latency"));
            assert.strictEqual(latency.filter, `${SERVICE_FILTER} AND metric.type = "run.googleapis.com/request_latencies"`);
            assert.strictEqual(latency.aggregations[0].crossSeriesReducer, "REDUCE_PERCENTILE_95");
            assert.strictEqual(latency.thresholdValue, MONITORING_DEFAULTS.thresholds.p95LatencyMs);

            const ceiling = conditionOf(policy(run, "instances-at-max"));
            assert.strictEqual(ceiling.filter, `${SERVICE_FILTER} AND metric.type = "run.googleapis.com/container/instance_count"`);
            assert.deepStrictEqual([ceiling.comparison, ceiling.thresholdValue], ["COMPARISON_GT", 2.5]);
        });

        it("has every policy notify the email channels it creates and the channels it is given", () => {
            const channel = run.one(T.channel);
            assert.deepStrictEqual([channel.inputs.type, channel.inputs.labels], ["email", { email_address: "ops@example.com" }]);
            const created = `projects/${MOCK_PROJECT}/notificationChannels/`;
            assert.strictEqual(run.byType(T.policy).length, 4);
            for (const resource of run.byType(T.policy)) {
                const channels: string[] = resource.inputs.notificationChannels;
                assert.strictEqual(channels.length, 2, resource.name);
                assert.ok(channels[0].startsWith(created) && channels[1] === CHANNEL, `${resource.name}: ${channels}`);
                assert.ok(resource.inputs.documentation.content.length > 40, `${resource.name} says what it means`);
            }
        });

        it("checks the public URL's root from three regions and alerts when more than one fails", () => {
            const check = run.one(T.uptime);
            assert.deepStrictEqual(check.inputs.monitoredResource, {
                type: "uptime_url",
                labels: { project_id: MOCK_PROJECT, host: "postgrest-service-a1b2c3d4e5-uc.a.run.app" },
            });
            assert.deepStrictEqual([check.inputs.httpCheck.path, check.inputs.httpCheck.port, check.inputs.httpCheck.useSsl], ["/", 443, true]);
            assert.deepStrictEqual(
                check.inputs.httpCheck.acceptedResponseStatusCodes.map((c: { statusClass: string }) => c.statusClass),
                ["STATUS_CLASS_2XX", "STATUS_CLASS_3XX", "STATUS_CLASS_4XX"],
            );
            assert.deepStrictEqual(check.inputs.selectedRegions, UPTIME_CHECK_REGIONS);
            // A public service needs no signed requests, and no one is granted invoke.
            assert.strictEqual(check.inputs.httpCheck.serviceAgentAuthentication, undefined);
            assert.deepStrictEqual(run.byType(T.invoker), []);

            const uptime = conditionOf(policy(run, "uptime"));
            assert.match(uptime.filter, /metric\.type = "monitoring\.googleapis\.com\/uptime_check\/check_passed" AND resource\.type = "uptime_url"/);
            assert.match(uptime.filter, /metric\.labels\.check_id = "postgrest-monitoring-uptime-4f2a9c"/);
            assert.deepStrictEqual(
                [uptime.aggregations[0].crossSeriesReducer, uptime.comparison, uptime.thresholdValue],
                ["REDUCE_COUNT_FALSE", "COMPARISON_GT", 1],
            );
        });

        it("builds one dashboard, with a chart of every policy's incidents, and enables the Monitoring API", () => {
            const body = JSON.parse(run.one(T.dashboard).inputs.dashboardJson);
            const policies = run.byType(T.policy);
            const incidents = body.mosaicLayout.tiles.filter((t: any) => t.widget.alertChart).map((t: any) => t.widget.alertChart.name);
            assert.strictEqual(incidents.length, policies.length);
            assert.ok(incidents.every((name: string) => name.startsWith(`projects/${MOCK_PROJECT}/alertPolicies/`)));
            assert.ok(run.byType(T.api).some((api) => api.inputs.service === "monitoring.googleapis.com"));
        });
    });

    it("signs the uptime check's requests on a private service, and lets the Monitoring service agent invoke it", async () => {
        const run = await runProgram({
            config: gcpStack({ public: false, invokerMembers: ["serviceAccount:app@my-project.iam.gserviceaccount.com"] }),
        });
        assert.deepStrictEqual(run.one(T.uptime).inputs.httpCheck.serviceAgentAuthentication, { type: "OIDC_TOKEN" });
        const agent = run.byType(T.invoker).find((m) => m.name === "postgrest-monitoring-uptime-invoker");
        assert.ok(
            agent,
            run
                .byType(T.invoker)
                .map((m) => m.name)
                .join(", "),
        );
        assert.deepStrictEqual(
            [agent.inputs.role, agent.inputs.member],
            ["roles/run.invoker", "serviceAccount:service-123456789012@gcp-sa-monitoring-notification.iam.gserviceaccount.com"],
        );
    });

    it("checks the load balancer's URL and prefix when there is one, since the run.app URL is closed", async () => {
        const run = await runProgram({ config: gcpStack({ loadBalancer: { domain: "api.example.com", pathPrefix: "/rest" } }) });
        const check = run.one(T.uptime);
        assert.strictEqual(check.inputs.monitoredResource.labels.host, "api.example.com");
        assert.strictEqual(check.inputs.httpCheck.path, "/rest");
    });

    it("takes the thresholds from config, and has no ceiling policy when the service always runs at its maximum", async () => {
        const run = await runProgram({
            config: gcpStack(
                {},
                { service: { minInstances: 2, maxInstances: 2 }, monitoring: { thresholds: { errorRatePercent: 1, p95LatencyMs: 250 } } },
            ),
        });
        assert.strictEqual(conditionOf(policy(run, "5xx-ratio")).thresholdValue, 0.01);
        assert.strictEqual(conditionOf(policy(run, "p95-latency")).thresholdValue, 250);
        assert.deepStrictEqual(
            run
                .byType(T.policy)
                .map((p) => p.name)
                .sort(),
            ["postgrest-monitoring-5xx-ratio", "postgrest-monitoring-p95-latency", "postgrest-monitoring-uptime"],
        );
    });

    it("creates nothing to alert with when switched off, nor enables the Monitoring API", async () => {
        const run = await runProgram({ config: gcpStack({}, { monitoring: { enabled: false } }) });
        for (const type of [T.channel, T.policy, T.uptime, T.dashboard]) assert.deepStrictEqual(run.byType(type), [], type);
        assert.ok(!run.byType(T.api).some((api) => api.inputs.service === "monitoring.googleapis.com"));
    });
});

describe("gcp: the policy plan", () => {
    it("reads the uptime check's host and path from the API's URL", () => {
        assert.deepStrictEqual(uptimeRequest("https://x-uc.a.run.app"), { host: "x-uc.a.run.app", path: "/" });
        assert.deepStrictEqual(uptimeRequest("https://api.example.com/data/v1"), { host: "api.example.com", path: "/data/v1" });
    });

    it("lays the dashboard out two tiles a row within the 48 columns", () => {
        const body = JSON.parse(dashboardJson("t", { serviceName: "s", region: "r" }, ["p1", "p2"]));
        const tiles = body.mosaicLayout.tiles;
        assert.strictEqual(tiles.length, 5);
        assert.ok(tiles.every((t: any) => t.xPos + t.width <= body.mosaicLayout.columns));
        assert.deepStrictEqual(
            tiles.map((t: any) => [t.xPos, t.yPos]),
            [
                [0, 0],
                [24, 0],
                [0, 16],
                [24, 16],
                [0, 32],
            ],
        );
    });

    it("plans the ceiling policy only when the service can scale", () => {
        const names = (min: number, max: number) => servicePolicies(MONITORING_DEFAULTS.thresholds, { min, max }).map((p) => p.name);
        assert.deepStrictEqual(names(0, 3), ["5xx-ratio", "p95-latency", "instances-at-max"]);
        assert.deepStrictEqual(names(3, 3), ["5xx-ratio", "p95-latency"]);
    });
});
