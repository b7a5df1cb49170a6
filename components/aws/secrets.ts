/**
 * PGRST_DB_URI and PGRST_JWT_SECRET in Secrets Manager: the only place their
 * values are stored on AWS. Tasks receive them as ECS `secrets` (valueFrom).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TlsFile } from "../postgrest/tls-files";

export interface SecretsArgs {
    /** The libpq URI with the authenticator's password (a secret Output). @default none, required */
    databaseUri: pulumi.Input<string>;
    /** PostgREST's JWT secret (a secret Output). @default none, required */
    jwtSecret: pulumi.Input<string>;
    /** The database's CA, client certificate and key, for the task's file-writing container (tls-files.ts). @default {} */
    tlsFiles?: Partial<Record<TlsFile, pulumi.Input<string>>>;
    /** Pulumi's `protect` on every secret and stored version. @default false */
    protect?: boolean;
}

export class Secrets extends pulumi.ComponentResource {
    public readonly databaseUriArn: pulumi.Output<string>;
    public readonly jwtSecretArn: pulumi.Output<string>;
    /** The ARN of each TLS file's secret. */
    public readonly tlsFileArns: Partial<Record<TlsFile, pulumi.Output<string>>> = {};
    /** The stored versions' ids: they change with a value, and a changed value needs new tasks to be read. */
    public readonly versionIds: pulumi.Output<string>[] = [];
    private readonly childOpts: pulumi.CustomResourceOptions;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:Secrets", name, {}, opts);
        this.childOpts = { parent: this, protect: args.protect ?? false };
        this.databaseUriArn = this.secret(`${name}-db-uri`, "PGRST_DB_URI: PostgREST's connection to the database", args.databaseUri);
        this.jwtSecretArn = this.secret(`${name}-jwt-secret`, "PGRST_JWT_SECRET: verifies the API's JWTs", args.jwtSecret);
        for (const [file, content] of Object.entries(args.tlsFiles ?? {}) as [TlsFile, pulumi.Input<string>][]) {
            this.tlsFileArns[file] = this.secret(
                `${name}-tls-${file.replace(".", "-")}`,
                `${file}: PostgREST's database TLS file, written at task start`,
                content,
            );
        }
        this.registerOutputs({ databaseUriArn: this.databaseUriArn, jwtSecretArn: this.jwtSecretArn });
    }

    private secret(name: string, description: string, value: pulumi.Input<string>): pulumi.Output<string> {
        // No fixed `name`: Pulumi adds a random suffix, so a destroy/up cycle never collides with the old
        // secret, which Secrets Manager keeps (recoverable) for its recovery window.
        const secret = new aws.secretsmanager.Secret(name, { description }, this.childOpts);
        const version = new aws.secretsmanager.SecretVersion(name, { secretId: secret.id, secretString: pulumi.secret(value) }, this.childOpts);
        this.versionIds.push(version.versionId);
        // The version's ARN (the secret's), so that whatever reads it waits until a value is stored.
        return version.arn;
    }
}
