/**
 * database.create on AWS: which RDS or Aurora Serverless v2 database the program creates (components/aws/database.ts,
 * components/aws/aurora.ts), what AWS would refuse in it, and the connection budget its size allows. Pure.
 */
import { AuroraDatabaseSpec, RdsDatabaseSpec } from "../../model/created-database";
import { JsonObject, Problems, readEnum, readNumber, readString, rejectUnknownKeys } from "../../config/problems";
import { readCreatedDatabaseLifecycle, readPostgresMajor } from "../../config/created-database";
import { DEFAULT_AURORA_VERSION, auroraMaxConnections, auroraScalingProblems } from "./aurora";

export const AWS_DATABASE_ENGINES = ["rds", "aurora-serverless"] as const;

/** The smallest Graviton burstable class: the cheapest that runs every supported PostgreSQL major. */
export const DEFAULT_INSTANCE_CLASS = "db.t4g.micro";
export const DEFAULT_POSTGRES_MAJOR = 17;
/** Majors RDS supports under standard support (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html). */
export const RDS_POSTGRES_MAJORS = [14, 15, 16, 17] as const;

// Memory of the instance classes this product suggests, in GiB (https://aws.amazon.com/rds/instance-types/).
export const CLASS_MEMORY_GIB: Record<string, number> = {
    "db.t4g.micro": 1,
    "db.t4g.small": 2,
    "db.t4g.medium": 4,
    "db.t4g.large": 8,
    "db.m7g.large": 8,
    "db.m7g.xlarge": 16,
    "db.r7g.large": 16,
};

/**
 * The connections the API may plan on, from RDS PostgreSQL's default max_connections, LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections). DBInstanceClassMemory is the
 * class's memory less what the OS and RDS keep, which AWS does not publish: 85% of the formula on the nominal memory stays under
 * it, and 3 connections stay free for the admin connection. Throws for a class not in the table.
 */
export function rdsMaxConnections(instanceClass: string): number {
    const gib = CLASS_MEMORY_GIB[instanceClass];
    if (gib === undefined) throw new Error(`no memory known for ${instanceClass}: use one of ${Object.keys(CLASS_MEMORY_GIB).join(", ")}`);
    return Math.min(Math.floor((0.85 * gib * 1024 ** 3) / 9531392), 5000) - 3;
}

const COMMON_KEYS = ["engine", "backupRetentionDays", "deletionProtection", "finalSnapshot"];
const KEYS_OF_ENGINE: Record<(typeof AWS_DATABASE_ENGINES)[number], string[]> = {
    rds: ["instanceClass", "postgresMajor", "storageGb", "maxStorageGb"],
    "aurora-serverless": ["engineVersion", "minCapacity", "maxCapacity", "secondsUntilAutoPause"],
};
const EXAMPLE = "create: { engine: rds, instanceClass: db.t4g.micro }";

/**
 * Reads database.create on AWS. `protection` (the stack's deletionProtection) is the default of deletionProtection and
 * finalSnapshot: a production stack keeps its database unless told otherwise, a dev stack lets `pulumi destroy` remove it.
 */
export function parseAwsCreatedDatabase(
    obj: JsonObject,
    key: string,
    problems: Problems,
    protection: boolean,
): RdsDatabaseSpec | AuroraDatabaseSpec | undefined {
    const before = problems.count;
    const engine = readEnum(obj, "engine", key, problems, AWS_DATABASE_ENGINES, { default: "rds", example: EXAMPLE });
    rejectUnknownKeys(obj, key, [...COMMON_KEYS, ...(engine ? KEYS_OF_ENGINE[engine] : [])], problems);
    // Automated backups: 1 to 35 days; 0 would turn them off (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html).
    const common = readCreatedDatabaseLifecycle(obj, key, problems, { protection, maxBackupDays: 35 });

    if (engine === "aurora-serverless") {
        const engineVersion = readString(obj, "engineVersion", key, problems, {
            default: DEFAULT_AURORA_VERSION,
            example: `engineVersion: "${DEFAULT_AURORA_VERSION}"`,
        });
        const minCapacity = readNumber(obj, "minCapacity", key, problems, { default: 0, example: "minCapacity: 0" });
        const maxCapacity = readNumber(obj, "maxCapacity", key, problems, { default: 2, example: "maxCapacity: 2" });
        const secondsUntilAutoPause = readNumber(obj, "secondsUntilAutoPause", key, problems, {
            default: 300,
            integer: true,
            example: "secondsUntilAutoPause: 300",
        });
        if (problems.count > before) return undefined;
        const scaling = { minCapacity: minCapacity!, maxCapacity: maxCapacity!, secondsUntilAutoPause: secondsUntilAutoPause! };
        for (const problem of auroraScalingProblems(engineVersion!, scaling))
            problems.add(key, problem, "create: { engine: aurora-serverless, minCapacity: 0, maxCapacity: 2 }");
        if (problems.count > before) return undefined;
        return {
            engine,
            engineVersion: engineVersion!,
            ...scaling,
            ...common!,
            maxConnections: auroraMaxConnections(scaling.minCapacity, scaling.maxCapacity),
        };
    }

    const instanceClass = readString(obj, "instanceClass", key, problems, {
        default: DEFAULT_INSTANCE_CLASS,
        example: `instanceClass: ${DEFAULT_INSTANCE_CLASS}`,
    });
    if (instanceClass !== undefined && !(instanceClass in CLASS_MEMORY_GIB))
        problems.add(
            `${key}.instanceClass`,
            `"${instanceClass}" is not one of ${Object.keys(CLASS_MEMORY_GIB).join(", ")}`,
            `instanceClass: ${DEFAULT_INSTANCE_CLASS}`,
        );
    const postgresMajor = readPostgresMajor(obj, key, problems, RDS_POSTGRES_MAJORS, DEFAULT_POSTGRES_MAJOR);
    // gp3 for RDS PostgreSQL: 20 GiB to 64 TiB (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage).
    const storageGb = readNumber(obj, "storageGb", key, problems, { default: 20, integer: true, min: 20, max: 65536, example: "storageGb: 20" });
    const maxStorageGb = readNumber(obj, "maxStorageGb", key, problems, {
        default: 100,
        integer: true,
        min: 20,
        max: 65536,
        example: "maxStorageGb: 100",
    });
    // Storage autoscaling needs a ceiling at least 10% above the allocated storage (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html).
    // In whole numbers: storageGb * 1.1 is 110.00000000000001 for 100, which would refuse the 110 AWS accepts.
    if (storageGb !== undefined && maxStorageGb !== undefined && maxStorageGb * 10 < storageGb * 11)
        problems.add(
            `${key}.maxStorageGb`,
            `${maxStorageGb} must be at least 10% above storageGb (${storageGb}) for storage autoscaling`,
            `maxStorageGb: ${Math.ceil((storageGb * 11) / 10)}`,
        );
    if (problems.count > before) return undefined;
    return {
        engine: "rds",
        instanceClass: instanceClass!,
        postgresMajor: postgresMajor!,
        storageGb: storageGb!,
        maxStorageGb: maxStorageGb!,
        ...common!,
        maxConnections: rdsMaxConnections(instanceClass!),
    };
}
