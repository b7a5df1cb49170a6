/**
 * PostgrestAccess: the database side of a PostgREST deployment. It creates the
 * authenticator's password and a dynamic resource that brings roles,
 * memberships and grants to what the `api` config declares.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AdminTransport } from "../model/admin-transport";
import { ApiConfig } from "../model/api";
import { Migration } from "./migrations";
import { apiInputs, migrationInputs } from "./properties";
import { providerModule } from "./bundle";
import { RoleMarker } from "./role-marker";
import { TlsDefaults } from "./tls";

export interface PostgrestAccessArgs {
    /** Admin connection URL (secret), with rights to create roles and grant. */
    adminUrl: pulumi.Input<string>;
    /** The validated api block. */
    api: ApiConfig;
    /** database.sslMode and database.sslRootCert: how to connect when the admin URL names no sslmode. @default { sslMode: "require" } */
    adminTls?: TlsDefaults;
    /** Who connects to the database: this machine, or the in-network function of database.adminAccess in-network. @default undefined (direct: no input, so a direct stack's preview shows none) */
    adminTransport?: pulumi.Input<AdminTransport>;
    /** database.migrations: SQL files applied once each, in name order, before roles and grants and in the same transaction. @default [] */
    migrations?: Migration[];
    /** Length of the generated authenticator password. @default 32 */
    passwordLength?: number;
}

/**
 * The dynamic resource that applies roles and grants; services that connect as the authenticator depend on it.
 * Registered as pulumi.dynamic.Resource registers one (its type, the provider's module text in `__provider`), but
 * with the text bundle.ts builds rather than one Pulumi's closure serializer makes.
 */
export class RolesAndGrants extends pulumi.CustomResource {
    declare readonly authenticatorRole: pulumi.Output<string>;
    declare readonly authenticatorPassword: pulumi.Output<string>;
    /** Each declared item (role, membership, privilege) and whether it holds: "declared" or, after a refresh, "not declared". */
    declare readonly state: pulumi.Output<Record<string, string>>;

    constructor(
        name: string,
        args: {
            adminUrl: pulumi.Input<string>;
            adminTls: TlsDefaults;
            adminTransport?: pulumi.Input<AdminTransport>;
            api: ApiConfig;
            authenticatorPassword: pulumi.Input<string>;
            migrations?: Migration[];
            roleMarker: RoleMarker;
        },
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            "pulumi-nodejs:dynamic:Resource",
            name,
            {
                __provider: providerModule(),
                adminUrl: pulumi.secret(args.adminUrl),
                adminTls: args.adminTls,
                adminTransport: args.adminTransport,
                authenticatorPassword: pulumi.secret(args.authenticatorPassword),
                roleMarker: args.roleMarker,
                ...apiInputs(args.api),
                ...migrationInputs(args.migrations),
                createdRoles: undefined,
                createdSchemas: undefined,
            },
            // Both are secret inputs already; listing them keeps them secret whatever the engine's rules become.
            { ...opts, additionalSecretOutputs: ["adminUrl", "authenticatorPassword"] },
        );
    }
}

export class PostgrestAccess extends pulumi.ComponentResource {
    /** Name of the login role PostgREST connects as. */
    readonly authenticatorRole: pulumi.Output<string>;
    /** Its generated password (secret), from @pulumi/random. */
    readonly authenticatorPassword: pulumi.Output<string>;
    /** The resource that applies roles and grants: services depend on it. */
    readonly rolesAndGrants: RolesAndGrants;

    constructor(name: string, args: PostgrestAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:database:PostgrestAccess", name, {}, opts);
        // Letters and digits only: the same in any URI, file or env without escaping, and SCRAM needs no SASLprep for ASCII.
        const password = new random.RandomPassword(
            `${name}-authenticator-password`,
            { length: args.passwordLength ?? 32, special: false },
            { parent: this },
        );
        const rolesAndGrantsName = `${name}-roles-and-grants`;
        this.rolesAndGrants = new RolesAndGrants(
            rolesAndGrantsName,
            {
                adminUrl: args.adminUrl,
                adminTls: args.adminTls ?? { sslMode: "require" },
                adminTransport: args.adminTransport,
                api: args.api,
                authenticatorPassword: password.result,
                migrations: args.migrations,
                // An input, not part of the name: the resource's URN stays as it was.
                roleMarker: { project: pulumi.getProject(), stack: pulumi.getStack(), resource: rolesAndGrantsName },
            },
            { parent: this },
        );
        this.authenticatorRole = this.rolesAndGrants.authenticatorRole;
        this.authenticatorPassword = pulumi.secret(this.rolesAndGrants.authenticatorPassword);
        this.registerOutputs({ authenticatorRole: this.authenticatorRole, authenticatorPassword: this.authenticatorPassword });
    }
}
