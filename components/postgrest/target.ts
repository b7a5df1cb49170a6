/**
 * The contract between index.ts and a cloud target: what every cloud is given
 * and what it must return, so that switching `cloud` changes nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { AdminTransport } from "../model/admin-transport";

/** What a cloud module exports as `target`: index.ts looks it up by the `cloud` key and calls nothing else of it. */
export interface CloudTarget<C extends StackConfig = StackConfig, F extends Foundation = Foundation> {
    /** The cloud this target deploys to: the `cloud` value that selects it. */
    cloud: C["cloud"];
    /** Makes what must exist before roles and grants are applied: with database.create, the network and the database; else nothing. */
    foundation(name: string, config: C): F;
    /** Builds the function inside the database's network that applies roles and grants (database.adminAccess in-network). */
    inNetworkAdmin(name: string, config: C, foundation: F): pulumi.Output<AdminTransport>;
    /** With the login the cloud makes for PostgREST instead of the authenticator's password (GCP: gcp.cloudSqlIamAuthentication), that login; else undefined. */
    passwordlessLogin?(config: C): PasswordlessLogin | undefined;
    /** Deploys PostgREST and returns the stack outputs every cloud shares. */
    deploy(name: string, inputs: TargetInputs<C, F>): TargetOutputs;
}

/** What every cloud's foundation tells the rest of the program; each cloud adds what its own deploy needs. */
export interface Foundation {
    /** The database the stack created (database.create); undefined when the config names the server. */
    createdDatabase?: CreatedDatabaseEndpoint;
}

/** Where a created database is, known once it exists. */
export interface CreatedDatabaseEndpoint {
    /** Its host name or private IP: database.host's role. */
    host: pulumi.Output<string>;
    /** The cloud secret holding its admin {username, password}: database.adminSecret's role. */
    adminSecret: pulumi.Output<string>;
}

/** What a cloud target is given, beyond its own slice of the config. */
export interface TargetInputs<C extends StackConfig, F extends Foundation = Foundation> {
    config: C;
    /** What its foundation made. */
    foundation: F;
    /** Secret JWT secret: from config, or generated. */
    jwtSecret: pulumi.Output<string>;
    /** The login role PostgREST connects as. */
    authenticatorRole: pulumi.Output<string>;
    /** Its password (secret); undefined with a passwordless login. */
    authenticatorPassword?: pulumi.Output<string>;
    /** What passwordlessLogin returned: deploy makes the login and resolves it. @default undefined */
    login?: PasswordlessLogin;
    /** The image the service runs: by digest unless service.resolveDigest is false (image.ts). */
    image: pulumi.Output<string>;
    /** Resources the service waits for: the roles and grants must exist before PostgREST starts. */
    dependsOn: pulumi.Resource[];
}

/**
 * A database login the cloud makes and authenticates (a Cloud SQL IAM user), known only once deploy has made it, while the
 * roles and grants, registered before deploy, make it a member of the authenticator: a deferred output bridges the two,
 * and carries the resource that makes the login, so the roles and grants wait for it.
 */
export interface PasswordlessLogin {
    /** The login role, as the roles and grants take it (api.loginMembers). */
    members: pulumi.Output<string[]>;
    /** Deploy calls it once with the login role's name, an output of the resource that makes it. */
    resolve(user: pulumi.Output<string>): void;
}

export function deferredLogin(): PasswordlessLogin {
    const [members, resolveMembers] = pulumi.deferredOutput<string[]>();
    return { members, resolve: (user) => resolveMembers(user.apply((name) => [name])) };
}

/** Stack outputs every cloud target exports under the same names. */
export interface TargetOutputs {
    /** Base URL of the API (https when a certificate or domain is configured). */
    url: pulumi.Output<string>;
    /** Name of the running service (ECS service or Cloud Run service). */
    serviceName: pulumi.Output<string>;
    /** Ids of the stored secrets (Secrets Manager ARNs or Secret Manager ids); never their values. */
    secretIds: pulumi.Output<string[]>;
    /** Cloud-specific details (log group, service account, ...). */
    details: pulumi.Output<Record<string, string>>;
}

/**
 * The base of every cloud target: it holds the outputs under their shared
 * names and registers them, so each cloud only says where they come from.
 */
export abstract class PostgrestTarget extends pulumi.ComponentResource implements TargetOutputs {
    public url!: pulumi.Output<string>;
    public serviceName!: pulumi.Output<string>;
    public secretIds!: pulumi.Output<string[]>;
    public details!: pulumi.Output<Record<string, string>>;

    /** Sets the outputs and registers them; the last call of a target's constructor. */
    protected publish(outputs: TargetOutputs): void {
        Object.assign(this, outputs);
        this.registerOutputs(outputs);
    }
}
