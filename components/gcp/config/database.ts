/**
 * database.create on GCP: the Cloud SQL for PostgreSQL instance the program creates (components/gcp/database.ts), what
 * Cloud SQL would refuse in it, and the connection budget its tier allows. Pure.
 */
import { CloudSqlDatabaseSpec } from "../../model/created-database";
import { JsonObject, Problems, readEnum, readNumber, readString, rejectUnknownKeys } from "../../config/problems";
import { readCreatedDatabaseLifecycle, readPostgresMajor } from "../../config/created-database";
import { DEFAULT_TIER, cloudSqlMaxConnections, cloudSqlTierProblem } from "./cloud-sql";

export const DEFAULT_POSTGRES_MAJOR = 17;
/** Majors Cloud SQL offers as POSTGRES_<major> (https://cloud.google.com/sql/docs/db-versions). */
export const CLOUD_SQL_POSTGRES_MAJORS = [14, 15, 16, 17] as const;

const KEYS = ["engine", "tier", "postgresMajor", "storageGb", "maxStorageGb", "backupRetentionDays", "deletionProtection", "finalSnapshot"];
const EXAMPLE = "create: { engine: cloud-sql, tier: db-g1-small }";

/**
 * Reads database.create on GCP. `protection` (the stack's deletionProtection) is the default of deletionProtection and
 * finalSnapshot, as on AWS.
 */
export function parseGcpCreatedDatabase(obj: JsonObject, key: string, problems: Problems, protection: boolean): CloudSqlDatabaseSpec | undefined {
    const before = problems.count;
    rejectUnknownKeys(obj, key, KEYS, problems);
    readEnum(obj, "engine", key, problems, ["cloud-sql"] as const, { default: "cloud-sql", example: EXAMPLE });
    const tier = readString(obj, "tier", key, problems, { default: DEFAULT_TIER, example: `tier: ${DEFAULT_TIER}` });
    const tierProblem = tier === undefined ? undefined : cloudSqlTierProblem(tier);
    if (tierProblem) problems.add(`${key}.tier`, tierProblem, `tier: ${DEFAULT_TIER}`);
    const postgresMajor = readPostgresMajor(obj, key, problems, CLOUD_SQL_POSTGRES_MAJORS, DEFAULT_POSTGRES_MAJOR);
    // SSD storage from 10 GB (https://cloud.google.com/sql/docs/postgres/instance-settings#storage-capacity-2ndgen).
    const storageGb = readNumber(obj, "storageGb", key, problems, { default: 10, integer: true, min: 10, max: 65536, example: "storageGb: 10" });
    const maxStorageGb = readNumber(obj, "maxStorageGb", key, problems, {
        default: 100,
        integer: true,
        min: 10,
        max: 65536,
        example: "maxStorageGb: 100",
    });
    if (storageGb !== undefined && maxStorageGb !== undefined && maxStorageGb < storageGb)
        problems.add(
            `${key}.maxStorageGb`,
            `${maxStorageGb} is below storageGb (${storageGb}): automatic increases never shrink the disk`,
            `maxStorageGb: ${storageGb * 10}`,
        );
    // Automated backups kept: 1 to 365 (https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#retention).
    const lifecycle = readCreatedDatabaseLifecycle(obj, key, problems, { protection, maxBackupDays: 365 });
    if (problems.count > before) return undefined;
    return {
        engine: "cloud-sql",
        tier: tier!,
        postgresMajor: postgresMajor!,
        storageGb: storageGb!,
        maxStorageGb: maxStorageGb!,
        ...lifecycle!,
        maxConnections: cloudSqlMaxConnections(tier!),
    };
}
