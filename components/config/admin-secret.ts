/** database.adminSecret as the stack config may name it: a secret of the stack's own cloud (components/model/admin-secret.ts). */
import * as pulumi from "@pulumi/pulumi";
import type { AdminSecretReference } from "../model/admin-secret";
import type { DatabaseConfig } from "./database";

// Secrets Manager ARNs: arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-6RANDOM
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources); names are
// letters, digits and /_+=.@-, and the secrets RDS manages are named rds!db-... or rds!cluster-...
// (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
const AWS_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:(rds!)?[A-Za-z0-9/_+=.@-]+$/;
// Secret ids are letters, digits, hyphens and underscores, up to 255 (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create);
// a version is a number or the alias "latest" (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access).
const GCP_SECRET = /^projects\/[^/\s]+\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|[1-9][0-9]*))?$/;

export const ADMIN_SECRET_EXAMPLES = {
    aws: "database.adminSecret: arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1a2b3c4d-AbCdEf",
    gcp: "database.adminSecret: projects/my-project/secrets/db-admin (or .../versions/3)",
} as const;

/** Why `secret` cannot be read on `cloud`, or undefined when it can. */
export function adminSecretProblem(secret: string, cloud: "aws" | "gcp"): string | undefined {
    if (cloud === "aws" && !AWS_SECRET_ARN.test(secret))
        return "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)";
    if (cloud === "gcp" && !GCP_SECRET.test(secret))
        return "must be a Secret Manager secret: projects/PROJECT/secrets/SECRET, or .../versions/VERSION";
    return undefined;
}

/**
 * Where the provider reads the admin credentials (database.adminSecret, or the secret of the database the stack
 * created), and the database they are for; undefined with neither.
 */
export function adminSecretReference(
    database: Pick<DatabaseConfig, "adminSecret" | "host" | "port" | "name">,
    created?: { host: pulumi.Input<string>; adminSecret: pulumi.Input<string> },
): pulumi.Input<AdminSecretReference> | undefined {
    const place = { port: database.port, database: database.name };
    if (created) return pulumi.all([created.adminSecret, created.host]).apply(([secret, host]) => ({ secret, host, ...place }));
    return database.adminSecret === undefined ? undefined : { secret: database.adminSecret, host: database.host!, ...place };
}
