/**
 * database.create: the PostgreSQL server the program creates instead of taking database.host. One engine per cloud's
 * offer (RDS or Aurora Serverless v2 on AWS, Cloud SQL on GCP); what each accepts is its cloud's config
 * (aws/config/database.ts, gcp/config/database.ts), what each creates its cloud's component.
 */

/** What every created database has: its backups, and what `pulumi destroy` may do to it. */
interface CreatedDatabaseCommon {
    /** Days of automated backups (Cloud SQL: daily backups kept). */
    backupRetentionDays: number;
    /** The cloud refuses to delete the database until this is turned off. */
    deletionProtection: boolean;
    /** Deleting the database leaves a final snapshot (Cloud SQL: a final backup). */
    finalSnapshot: boolean;
    /** Connections the API may plan on at this size: the default max_connections less what is reserved. */
    maxConnections: number;
}

/** RDS for PostgreSQL, one instance. */
export interface RdsDatabaseSpec extends CreatedDatabaseCommon {
    engine: "rds";
    instanceClass: string;
    postgresMajor: number;
    storageGb: number;
    maxStorageGb: number;
}

/** Aurora Serverless v2 for PostgreSQL, one writer; minCapacity 0 lets it pause. */
export interface AuroraDatabaseSpec extends CreatedDatabaseCommon {
    engine: "aurora-serverless";
    engineVersion: string;
    minCapacity: number;
    maxCapacity: number;
    secondsUntilAutoPause: number;
}

/** Cloud SQL for PostgreSQL, one zonal instance. */
export interface CloudSqlDatabaseSpec extends CreatedDatabaseCommon {
    engine: "cloud-sql";
    tier: string;
    postgresMajor: number;
    storageGb: number;
    maxStorageGb: number;
}

export type CreatedDatabaseSpec = RdsDatabaseSpec | AuroraDatabaseSpec | CloudSqlDatabaseSpec;

/** What `pulumi destroy` does to a created database, for the stack's details and `npm run check`. */
export function onDestroy(spec: CreatedDatabaseSpec): string {
    if (spec.deletionProtection)
        return "protected: `pulumi destroy` refuses until database.create.deletionProtection is false and `pulumi up` has run";
    return `deleted by \`pulumi destroy\`, ${spec.finalSnapshot ? "leaving a final snapshot" : "with no final snapshot"}`;
}
