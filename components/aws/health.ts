/**
 * How ECS and the load balancer judge a PostgREST task. Pure: the decision, in one place, for the task definition,
 * the target group and the service.
 *
 * ECS replaces a task whose essential container fails its health check, and a task its target group reports unhealthy
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html). So whatever the checks ask of the
 * database decides whether a database failover replaces every task. The load balancer's check is also what admits a new
 * task to traffic, and what a deploy waits for before it counts the task
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html, minimumHealthyPercent).
 *
 * The choice:
 * - No container health check behind a load balancer. PostgREST's only check command is `postgrest --ready` (v14+, docs/references/cli.rst;
 *   there is no --live), and the image has no shell or HTTP client to ask /live: a --ready check turns a database
 *   outage into task replacement. A crashed process needs no check: the essential container exits and ECS replaces it.
 * - The target group asks /ready, so a new task gets traffic, and a deploy counts it, only once it is connected and
 *   has its schema cache; a target needs one passing check to be healthy after registration
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html).
 * - It marks a target unhealthy only after UNHEALTHY_THRESHOLD failures INTERVAL_SECONDS apart: a database outage
 *   shorter than databaseOutageToleranceSeconds replaces nothing, and PostgREST reconnects by itself. Meanwhile every
 *   target stays healthy and takes requests, which PostgREST answers 503 with Retry-After.
 */
import { READY_PATH, HEALTH_PORT, healthCheckProblem } from "../postgrest/health";

/** ALB limits (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html): interval 5-300 s, thresholds 2-10. */
const MAX_UNHEALTHY_THRESHOLD = 10;

export interface TargetGroupHealthCheck {
    path: string;
    port: string;
    protocol: "HTTP";
    matcher: string;
    interval: number;
    timeout: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
}

/** An ECS container health check (task definition containerDefinitions[].healthCheck). */
export interface ContainerHealthCheck {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
}

/** `postgrest --ready` exists since v14 (PostgREST docs/references/cli.rst, Ready Flag). */
export const FIRST_MAJOR_WITH_READY_FLAG = 14;

/** The target group's check, the same for every major with an admin server: own load balancer or a shared one. */
export const TARGET_GROUP_HEALTH_CHECK: TargetGroupHealthCheck = {
    path: READY_PATH,
    port: String(HEALTH_PORT),
    protocol: "HTTP",
    matcher: "200",
    // 30 s: a new task waits at most this long for its first passing check; ten of them make five minutes of outage.
    interval: 30,
    timeout: 5,
    // Back in rotation one minute after the database returns; while every target is unhealthy the ALB sends to all.
    healthyThreshold: 2,
    unhealthyThreshold: MAX_UNHEALTHY_THRESHOLD,
};

export interface AwsHealthChecks {
    /** The target group's health check. */
    targetGroup: TargetGroupHealthCheck;
    /**
     * The container's check, used only without a load balancer (an HTTP API front door), where it is the only readiness
     * a deploy can wait for: `--ready` with the same five minutes of tolerance (ECS allows 10 retries, 300 s intervals,
     * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html); none before v14.
     */
    containerHealthCheck?: ContainerHealthCheck;
    /** Seconds ECS ignores the checks after a task starts: until its first check can pass. */
    gracePeriodSeconds: number;
}

/** The health checks of a PostgREST `major` task behind the ALB. */
export function awsHealthChecks(major: number): AwsHealthChecks {
    const problem = healthCheckProblem(major);
    if (problem) throw new Error(`service.image ${problem}`);
    return {
        targetGroup: TARGET_GROUP_HEALTH_CHECK,
        ...(major >= FIRST_MAJOR_WITH_READY_FLAG && {
            containerHealthCheck: {
                command: ["CMD", "/bin/postgrest", "--ready"],
                interval: TARGET_GROUP_HEALTH_CHECK.interval,
                timeout: TARGET_GROUP_HEALTH_CHECK.timeout,
                retries: MAX_UNHEALTHY_THRESHOLD,
                startPeriod: 30,
            },
        }),
        gracePeriodSeconds: 30,
    };
}

/** How long the database may be unreachable before the target group reports the tasks unhealthy and ECS replaces them. */
export function databaseOutageToleranceSeconds(checks: Pick<AwsHealthChecks, "targetGroup">): number {
    return checks.targetGroup.interval * checks.targetGroup.unhealthyThreshold;
}

/** The longest a ready task waits before the load balancer sends it traffic and a deploy counts it. */
export function readinessDelaySeconds(checks: Pick<AwsHealthChecks, "targetGroup">): number {
    return checks.targetGroup.interval;
}
