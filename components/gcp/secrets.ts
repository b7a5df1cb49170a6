/**
 * PGRST_DB_URI and PGRST_JWT_SECRET (and the database's TLS files) in Secret
 * Manager, each readable by the service's account alone (secret-level IAM),
 * which may read nothing else.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { TlsFile } from "../postgrest/tls-files";

export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

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
    /** Email of the service account that may read the secrets (identity.ts). @default none, required */
    readerEmail: pulumi.Input<string>;
    /** Resources every secret and grant waits for: the enabled APIs. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Pulumi's `protect` on every secret and stored version. @default false */
    protect?: boolean;
}

export class Secrets extends pulumi.ComponentResource {
    public readonly databaseUri: StoredSecret;
    public readonly jwtSecret: StoredSecret;
    /** The secret of each TLS file. */
    public readonly tlsFiles: Partial<Record<TlsFile, StoredSecret>> = {};
    /** The secret-level grants: the service must not start before it may read its secrets. */
    public readonly accessGrants: pulumi.CustomResource[] = [];
    private readonly childOpts: pulumi.CustomResourceOptions;
    /** The secrets and their versions: protected with the stack's deletionProtection; their grants are not. */
    private readonly storeOpts: pulumi.CustomResourceOptions;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:Secrets", name, {}, opts);
        // No fixed secretId: Pulumi adds a random suffix, so stacks sharing a project never collide.
        this.childOpts = { parent: this, dependsOn: args.dependsOn };
        this.storeOpts = { ...this.childOpts, protect: args.protect ?? false };
        this.databaseUri = this.secret(`${name}-db-uri`, args.databaseUri, args.readerEmail);
        this.jwtSecret = this.secret(`${name}-jwt-secret`, args.jwtSecret, args.readerEmail);
        for (const [file, content] of Object.entries(args.tlsFiles ?? {}) as [TlsFile, pulumi.Input<string>][]) {
            this.tlsFiles[file] = this.secret(`${name}-tls-${file.replace(".", "-")}`, content, args.readerEmail);
        }
        this.registerOutputs({ databaseUriId: this.databaseUri.id, jwtSecretId: this.jwtSecret.id });
    }

    private secret(name: string, value: pulumi.Input<string>, readerEmail: pulumi.Input<string>): StoredSecret {
        const secret = new gcp.secretmanager.Secret(name, { replication: { auto: {} } }, this.storeOpts);
        const version = new gcp.secretmanager.SecretVersion(name, { secret: secret.id, secretData: pulumi.secret(value) }, this.storeOpts);
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
