/**
 * PGRST_DB_URI and PGRST_JWT_SECRET in Secret Manager, and the service
 * account the Cloud Run service runs as: it may read exactly these two
 * secrets (secret-level IAM) and nothing else.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { TlsFile } from "../postgrest/tls-files";

export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";
export const CLOUD_SQL_CLIENT_ROLE = "roles/cloudsql.client";

/** The project of a Cloud SQL connection name: everything before region and instance (it may be domain-scoped, a.com:p). */
export function cloudSqlProject(connectionName: string): string {
    return connectionName.split(":").slice(0, -2).join(":");
}

export interface StoredSecret {
    /** Full id, projects/P/secrets/S: for outputs. */
    id: pulumi.Output<string>;
    /** Short name, as Cloud Run references a secret of its own project. */
    name: pulumi.Output<string>;
    /** The stored version's number: pinning it makes a new value roll out a new revision. */
    version: pulumi.Output<string>;
}

export interface SecretsArgs {
    /** The libpq URI with the authenticator's password (a secret Output). @default none, required */
    databaseUri: pulumi.Input<string>;
    /** PostgREST's JWT secret (a secret Output). @default none, required */
    jwtSecret: pulumi.Input<string>;
    /** The database's CA, client certificate and key, for the service's file-writing sidecar (tls-files.ts). @default {} */
    tlsFiles?: Partial<Record<TlsFile, pulumi.Input<string>>>;
    /** Cloud SQL connection name: the account may then also connect to that instance's project (roles/cloudsql.client). @default undefined */
    cloudSqlInstance?: string;
    /** Resources every secret and grant waits for: the enabled APIs. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Secrets extends pulumi.ComponentResource {
    public readonly databaseUri: StoredSecret;
    public readonly jwtSecret: StoredSecret;
    /** The secret of each TLS file. */
    public readonly tlsFiles: Partial<Record<TlsFile, StoredSecret>> = {};
    /** Email of the service's own service account. */
    public readonly serviceAccountEmail: pulumi.Output<string>;
    /** The secret-level grants: the service must not start before it may read its secrets. */
    public readonly accessGrants: pulumi.CustomResource[] = [];
    private readonly childOpts: pulumi.CustomResourceOptions;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:Secrets", name, {}, opts);
        // No fixed accountId or secretId: Pulumi adds a random suffix, so stacks sharing a project never collide.
        this.childOpts = { parent: this, dependsOn: args.dependsOn };
        const account = new gcp.serviceaccount.Account(
            `${name}-run`,
            { displayName: "PostgREST on Cloud Run", description: "Runs the PostgREST service; reads its own secrets and nothing else." },
            this.childOpts,
        );
        this.serviceAccountEmail = account.email;
        this.databaseUri = this.secret(`${name}-db-uri`, args.databaseUri, account.email);
        this.jwtSecret = this.secret(`${name}-jwt-secret`, args.jwtSecret, account.email);
        for (const [file, content] of Object.entries(args.tlsFiles ?? {}) as [TlsFile, pulumi.Input<string>][]) {
            this.tlsFiles[file] = this.secret(`${name}-tls-${file.replace(".", "-")}`, content, account.email);
        }
        if (args.cloudSqlInstance) {
            // The /cloudsql socket needs cloudsql.instances.connect, granted only at project level (Cloud Run docs, connect to
            // Cloud SQL); the project is the instance's own, read from its connection name.
            this.accessGrants.push(
                new gcp.projects.IAMMember(
                    `${name}-cloudsql-client`,
                    { project: cloudSqlProject(args.cloudSqlInstance), role: CLOUD_SQL_CLIENT_ROLE, member: pulumi.interpolate`serviceAccount:${account.email}` },
                    this.childOpts,
                ),
            );
        }
        this.registerOutputs({ serviceAccountEmail: this.serviceAccountEmail, databaseUriId: this.databaseUri.id, jwtSecretId: this.jwtSecret.id });
    }

    private secret(name: string, value: pulumi.Input<string>, readerEmail: pulumi.Output<string>): StoredSecret {
        const secret = new gcp.secretmanager.Secret(name, { replication: { auto: {} } }, this.childOpts);
        const version = new gcp.secretmanager.SecretVersion(name, { secret: secret.id, secretData: pulumi.secret(value) }, this.childOpts);
        this.accessGrants.push(
            new gcp.secretmanager.SecretIamMember(
                `${name}-reader`,
                { secretId: secret.id, role: SECRET_ACCESSOR_ROLE, member: pulumi.interpolate`serviceAccount:${readerEmail}` },
                this.childOpts,
            ),
        );
        return { id: secret.id, name: secret.secretId, version: version.version };
    }
}
