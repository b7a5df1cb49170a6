/**
 * The health-check decision on AWS: a database outage of a few minutes replaces no task, a deploy admits a task only
 * once PostgREST is ready, and the checks stay inside the load balancer's limits, for every PostgREST major with an
 * admin server.
 */
import * as assert from "assert";
import { awsHealthChecks, databaseOutageToleranceSeconds, readinessDelaySeconds } from "../../components/aws/health";
import { ADMIN_SERVER_PORT } from "../../components/postgrest/ports";

/** An RDS Multi-AZ failover takes about a minute; "a few minutes" of outage is what the service must ride out. */
const FAILOVER_SECONDS = 60;
const FEW_MINUTES_SECONDS = 180;

describe("aws: health checks", () => {
    for (const major of [10, 12, 13, 14, 16, 17]) {
        describe(`PostgREST v${major}`, () => {
            const checks = awsHealthChecks(major);

            it("admits a task to traffic only once /ready on the admin server answers 200", () => {
                assert.deepStrictEqual(
                    [checks.targetGroup.path, checks.targetGroup.port, checks.targetGroup.matcher],
                    ["/ready", String(ADMIN_SERVER_PORT), "200"],
                );
                assert.ok(readinessDelaySeconds(checks) <= 30, `a ready task waits ${readinessDelaySeconds(checks)} s`);
            });

            it("rides out a failover and an outage of a few minutes without reporting a task unhealthy", () => {
                const tolerance = databaseOutageToleranceSeconds(checks);
                assert.ok(tolerance > FAILOVER_SECONDS + checks.targetGroup.interval, `tolerates ${tolerance} s`);
                assert.ok(tolerance >= FEW_MINUTES_SECONDS, `tolerates ${tolerance} s`);
            });

            it("stays inside the ALB's limits: interval 5-300 s, timeout below the interval, thresholds 2-10", () => {
                const { interval, timeout, healthyThreshold, unhealthyThreshold } = checks.targetGroup;
                assert.ok(interval >= 5 && interval <= 300);
                assert.ok(timeout >= 2 && timeout < interval);
                for (const threshold of [healthyThreshold, unhealthyThreshold]) assert.ok(threshold >= 2 && threshold <= 10);
            });

            it("without a load balancer, asks --ready (v14+) with the same tolerance, or nothing before v14", () => {
                const check = checks.containerHealthCheck;
                if (major < 14) return assert.strictEqual(check, undefined);
                assert.deepStrictEqual(check?.command, ["CMD", "/bin/postgrest", "--ready"]);
                // ECS's limits: interval 5-300 s, timeout 2-60 s, retries 1-10 (API_HealthCheck).
                assert.ok(check!.interval >= 5 && check!.interval <= 300 && check!.timeout < check!.interval && check!.retries <= 10);
                assert.ok(check!.interval * check!.retries >= FEW_MINUTES_SECONDS, `tolerates ${check!.interval * check!.retries} s`);
            });

            it("gives a new task until its first check before ECS looks", () => {
                assert.ok(checks.gracePeriodSeconds >= checks.targetGroup.interval);
            });
        });
    }

    for (const major of [8, 9]) {
        it(`refuses v${major}, which has no admin server to check`, () => {
            assert.throws(() => awsHealthChecks(major), /service\.image pins PostgREST v\d+, which has no admin server/);
        });
    }
});
