/**
 * The rules of an Aurora Serverless v2 cluster the program creates (components/aws/aurora.ts): which scaling Aurora
 * refuses, the connection budget, and what PostgREST must be told so that the cluster can pause. Pure, so the config,
 * the cost model and the component share them.
 */

export const DEFAULT_AURORA_VERSION = "16.6";

/**
 * The first Aurora PostgreSQL minor of each major that scales to 0 ACUs; every 17.x does
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity).
 */
export const AUTO_PAUSE_MINIMUM_VERSIONS: Record<number, number> = { 13: 15, 14: 12, 15: 7, 16: 3, 17: 0 };

export interface AuroraScaling {
    minCapacity: number;
    maxCapacity: number;
    secondsUntilAutoPause: number;
}

/**
 * What Aurora would refuse in the scaling configuration: capacities in half-ACU steps from 0 to 256, minimum not above
 * maximum, secondsUntilAutoPause 300 to 86,400, and 0 ACUs only on a version that supports auto-pause
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html).
 */
export function auroraScalingProblems(engineVersion: string, scaling: AuroraScaling): string[] {
    const problems: string[] = [];
    const version = /^(\d+)\.(\d+)$/.exec(engineVersion);
    if (!version) problems.push(`engineVersion "${engineVersion}" is not an Aurora PostgreSQL version such as ${DEFAULT_AURORA_VERSION}`);
    for (const [field, value] of [
        ["minCapacity", scaling.minCapacity],
        ["maxCapacity", scaling.maxCapacity],
    ] as const) {
        if (!(value >= 0 && value <= 256 && Number.isInteger(value * 2))) problems.push(`${field} ${value} must be 0 to 256 ACUs in steps of 0.5`);
    }
    if (scaling.minCapacity > scaling.maxCapacity) problems.push(`minCapacity ${scaling.minCapacity} is above maxCapacity ${scaling.maxCapacity}`);
    if (scaling.maxCapacity < 1) problems.push(`maxCapacity ${scaling.maxCapacity} must be at least 1 ACU`);
    if (scaling.minCapacity === 0) {
        if (!(Number.isInteger(scaling.secondsUntilAutoPause) && scaling.secondsUntilAutoPause >= 300 && scaling.secondsUntilAutoPause <= 86_400))
            problems.push(`secondsUntilAutoPause ${scaling.secondsUntilAutoPause} must be a whole number from 300 to 86400`);
        if (version) {
            const [major, minor] = [Number(version[1]), Number(version[2])];
            const fromMinor = AUTO_PAUSE_MINIMUM_VERSIONS[major];
            if (fromMinor === undefined || minor < fromMinor) {
                const supported = Object.entries(AUTO_PAUSE_MINIMUM_VERSIONS)
                    .map(([m, n]) => `${m}.${n}`)
                    .join(", ");
                problems.push(
                    `engineVersion ${engineVersion} cannot scale to 0 ACUs: use ${supported} or later in the same major, or minCapacity 0.5`,
                );
            }
        }
    }
    return problems;
}

/**
 * The connections the API may plan on: Aurora PostgreSQL's default max_connections, LEAST({DBInstanceClassMemory/9531392}, 5000),
 * taken at maxCapacity (2 GiB per ACU), and at most 2,000 when the minimum is 0 or 0.5 ACUs
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html). As for RDS, 85% of
 * the nominal memory stays under what the instance reports, and 3 connections stay free for the admin connection.
 */
export function auroraMaxConnections(minCapacity: number, maxCapacity: number): number {
    const ceiling = minCapacity <= 0.5 ? 2000 : 5000;
    return Math.min(Math.floor((0.85 * maxCapacity * 2 * 1024 ** 3) / 9531392), ceiling) - 3;
}

export interface AuroraPostgrestSettings {
    /** service.dbChannelEnabled, when it must be off. */
    dbChannelEnabled?: false;
    /** service.settings PostgREST needs. */
    settings: Record<string, string>;
}

/** Seconds PostgREST keeps an idle pool connection (db-pool-max-idletime); far below the shortest pause delay, 300 s. */
export const PAUSABLE_POOL_IDLE_SECONDS = 30;
/** Seconds a request may wait for a pool connection (db-pool-acquisition-timeout): above the 30 s a long-paused instance may take to resume. */
export const PAUSABLE_ACQUISITION_SECONDS = 40;

/**
 * What PostgREST must be told for a cluster that pauses (minCapacity 0): no LISTEN connection, which is held open for
 * good (https://docs.postgrest.org/en/v12/references/listener.html), pool connections closed once idle, and a request
 * that arrives while the instance resumes left to wait rather than fail at the 10 s default
 * (https://docs.postgrest.org/en/v12/references/configuration.html#db-pool-acquisition-timeout). Without the channel
 * NOTIFY pgrst reaches no one: PostgREST reloads its schema cache on SIGUSR1, or when a new task starts. A cluster that
 * never pauses needs nothing.
 */
export function auroraPostgrestSettings(minCapacity: number): AuroraPostgrestSettings {
    if (minCapacity > 0) return { settings: {} };
    return {
        dbChannelEnabled: false,
        settings: {
            "db-pool-max-idletime": String(PAUSABLE_POOL_IDLE_SECONDS),
            "db-pool-acquisition-timeout": String(PAUSABLE_ACQUISITION_SECONDS),
        },
    };
}
