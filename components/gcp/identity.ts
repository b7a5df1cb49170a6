/**
 * The service account the Cloud Run service runs as, and, with a Cloud SQL
 * instance, its right to connect to that instance's project. What it may read
 * is granted where the things it reads are made (secrets.ts).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const CLOUD_SQL_CLIENT_ROLE = "roles/cloudsql.client";

/** The component that made the account and its grant before this one existed: they keep their state under an alias. */
export const FORMER_PARENT_TYPE = "postgrest:gcp:Secrets";

/** The project of a Cloud SQL connection name: everything before region and instance (it may be domain-scoped, a.com:p). */
export function cloudSqlProject(connectionName: string): string {
    return connectionName.split(":").slice(0, -2).join(":");
}

export interface IdentityArgs {
    /** Cloud SQL connection name: the account may then also connect to that instance's project (roles/cloudsql.client). @default undefined */
    cloudSqlInstance?: string;
    /** Name of the Secrets component that held the account and its grant in earlier versions; they are aliased to it, so a stack made then keeps them. @default undefined: no alias */
    formerSecretsName?: string;
    /** Resources the account and its grant wait for: the enabled APIs. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class Identity extends pulumi.ComponentResource {
    /** Email of the service's own service account. */
    public readonly serviceAccountEmail: pulumi.Output<string>;
    /** The project-level grants the service needs before it starts (Cloud SQL's connect), if any. */
    public readonly grants: pulumi.CustomResource[] = [];

    constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:Identity", name, {}, opts);
        const formerParent = args.formerSecretsName ? pulumi.createUrn(args.formerSecretsName, FORMER_PARENT_TYPE, opts?.parent) : undefined;
        // The former name and parent; without the alias a stack would replace the account, and the service with it. An alias
        // keeps the resource, updated in place (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
        const childOpts = (formerName: string): pulumi.CustomResourceOptions => ({
            parent: this,
            dependsOn: args.dependsOn,
            aliases: formerParent ? [{ name: `${args.formerSecretsName}-${formerName}`, parent: formerParent }] : undefined,
        });

        // No fixed accountId: Pulumi adds a random suffix, so stacks sharing a project never collide.
        const account = new gcp.serviceaccount.Account(
            `${name}-run`,
            { displayName: "PostgREST on Cloud Run", description: "Runs the PostgREST service; reads its own secrets and nothing else." },
            childOpts("run"),
        );
        this.serviceAccountEmail = account.email;
        if (args.cloudSqlInstance) {
            // The /cloudsql socket needs cloudsql.instances.connect, granted only at project level (Cloud Run docs, connect to
            // Cloud SQL); the project is the instance's own, read from its connection name.
            this.grants.push(
                new gcp.projects.IAMMember(
                    `${name}-cloudsql-client`,
                    {
                        project: cloudSqlProject(args.cloudSqlInstance),
                        role: CLOUD_SQL_CLIENT_ROLE,
                        member: pulumi.interpolate`serviceAccount:${account.email}`,
                    },
                    childOpts("cloudsql-client"),
                ),
            );
        }
        this.registerOutputs({ serviceAccountEmail: this.serviceAccountEmail });
    }
}
