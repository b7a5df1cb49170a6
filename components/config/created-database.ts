/**
 * What every engine's database.create block reads alike (aws/config/database.ts, gcp/config/database.ts): the
 * PostgreSQL major from the cloud's list, the backups kept, and what `pulumi destroy` may do. The limits are each
 * cloud's, given by its reader with their sources.
 */
import { JsonObject, Problems, readBoolean, readNumber } from "./problems";

/** The PostgreSQL major, one of `majors` (the cloud's), defaulting to `defaultMajor`. */
export function readPostgresMajor(
    obj: JsonObject,
    key: string,
    problems: Problems,
    majors: readonly number[],
    defaultMajor: number,
): number | undefined {
    const major = readNumber(obj, "postgresMajor", key, problems, {
        default: defaultMajor,
        integer: true,
        example: `postgresMajor: ${defaultMajor}`,
    });
    if (major !== undefined && !majors.includes(major))
        problems.add(`${key}.postgresMajor`, `${major} is not one of ${majors.join(", ")}`, `postgresMajor: ${defaultMajor}`);
    return major;
}

export interface CreatedDatabaseLifecycle {
    backupRetentionDays: number;
    deletionProtection: boolean;
    finalSnapshot: boolean;
}

/**
 * Backups (1 to `maxBackupDays`, 7 by default) and what destroy may do. `protection`, the stack's deletionProtection,
 * is the default of deletionProtection and finalSnapshot: a production stack keeps its database unless told otherwise.
 * Undefined after adding its problems.
 */
export function readCreatedDatabaseLifecycle(
    obj: JsonObject,
    key: string,
    problems: Problems,
    options: { protection: boolean; maxBackupDays: number },
): CreatedDatabaseLifecycle | undefined {
    const backupRetentionDays = readNumber(obj, "backupRetentionDays", key, problems, {
        default: 7,
        integer: true,
        min: 1,
        max: options.maxBackupDays,
        example: "backupRetentionDays: 7",
    });
    const deletionProtection = readBoolean(obj, "deletionProtection", key, problems, {
        default: options.protection,
        example: "deletionProtection: true",
    });
    const finalSnapshot = readBoolean(obj, "finalSnapshot", key, problems, { default: options.protection, example: "finalSnapshot: true" });
    if (backupRetentionDays === undefined || deletionProtection === undefined || finalSnapshot === undefined) return undefined;
    return { backupRetentionDays, deletionProtection, finalSnapshot };
}
