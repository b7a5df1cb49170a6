/**
 * The service account the Cloud Run service runs as, and, with a Cloud SQL
 * instance, its right to connect to that instance's project. What it may read
 * is granted where the things it reads are made (secrets.ts).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const CLOUD_SQL_CLIENT_ROLE = "roles/cloudsql.client";
/** cloudsql.instances.login: an IAM database user logs in with it (https://cloud.google.com/sql/docs/postgres/iam-logins). */
export const CLOUD_SQL_INSTANCE_USER_ROLE = "roles/cloudsql.instanceUser";

/** The component that made the account and its grant before this one existed: they keep their state under an alias. */
export const FORMER_PARENT_TYPE = "postgrest:gcp:Secrets";

/** The project of a Cloud SQL connection name: everything before region and instance (it may be domain-scoped, a.com:p). */
export function cloudSqlProject(connectionName: string): string {
    return connectionName.split(":").slice(0, -2).join(":");
}

/** The instance's own name: the last part of its connection name. */
export function cloudSqlInstanceName(connectionName: string): string {
    return connectionName.split(":").slice(-1)[0];
}

/**
 * A service account's Cloud SQL IAM database user on PostgreSQL: its email without the .gserviceaccount.com suffix
 * (https://cloud.google.com/sql/docs/postgres/add-manage-iam-users#creating-a-database-user).
 */
export function iamDatabaseUserName(serviceAccountEmail: string): string {
    return serviceAccountEmail.replace(/\.gserviceaccount\.com$/, "");
}

export interface IdentityArgs {
    /** Cloud SQL connection name (gcp.cloudSqlInstance, or a created instance's): the account may then also connect to that instance's project (roles/cloudsql.client). @default undefined */
    cloudSqlInstance?: pulumi.Input<string>;
    /** With cloudSqlInstance: the account's IAM database user on that instance, and its right to log in (roles/cloudsql.instanceUser). @default false */
    iamDatabaseUser?: boolean;
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
    /** With iamDatabaseUser: the database role PostgREST logs in as, an output of the gcp.sql.User that makes it. */
    public readonly iamDatabaseUser?: pulumi.Output<string>;

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
                        project: pulumi.output(args.cloudSqlInstance).apply(cloudSqlProject),
                        role: CLOUD_SQL_CLIENT_ROLE,
                        member: pulumi.interpolate`serviceAccount:${account.email}`,
                    },
                    childOpts("cloudsql-client"),
                ),
            );
            if (args.iamDatabaseUser) this.iamDatabaseUser = this.iamLogin(name, args.cloudSqlInstance, account, args.dependsOn);
        }
        this.registerOutputs({ serviceAccountEmail: this.serviceAccountEmail });
    }

    /** The IAM database user of the account on the instance, and the account's right to log in as it. */
    private iamLogin(
        name: string,
        connectionName: pulumi.Input<string>,
        account: gcp.serviceaccount.Account,
        dependsOn?: pulumi.Input<pulumi.Resource>[],
    ): pulumi.Output<string> {
        const project = pulumi.output(connectionName).apply(cloudSqlProject);
        const opts = { parent: this, dependsOn };
        this.grants.push(
            new gcp.projects.IAMMember(
                `${name}-cloudsql-instance-user`,
                { project, role: CLOUD_SQL_INSTANCE_USER_ROLE, member: pulumi.interpolate`serviceAccount:${account.email}` },
                opts,
            ),
        );
        // Cloud SQL creates the PostgreSQL role itself; the program then only grants it the authenticator (the roles and grants).
        const user = new gcp.sql.User(
            `${name}-cloudsql-iam-user`,
            {
                project,
                instance: pulumi.output(connectionName).apply(cloudSqlInstanceName),
                name: account.email.apply(iamDatabaseUserName),
                type: "CLOUD_IAM_SERVICE_ACCOUNT",
            },
            opts,
        );
        return user.name;
    }
}
