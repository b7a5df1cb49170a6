/**
 * PostgrestAccess: the database side of a PostgREST deployment. It creates the
 * authenticator's password and a dynamic resource that brings roles,
 * memberships and grants to what the `api` config declares. With api.rotation,
 * two login roles alternate (docs/rotation.md): a RotationSchedule counts the
 * rotations, the role that becomes active gets a new password, and the other
 * keeps its own until the rotation after.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AdminSecretReference } from "../model/admin-secret";
import { AdminTransport } from "../model/admin-transport";
import { ApiConfig, RotationConfig, authenticatorPair } from "../model/api";
import { Migration } from "./migrations";
import { ApiInputs, apiInputs, migrationInputs } from "./properties";
import { providerModule } from "./bundle";
import { activeIndex, generationKeepers, secretGeneration } from "../model/rotation";
import { RoleMarker } from "./role-marker";
import { TlsDefaults } from "./tls";

export interface PostgrestAccessArgs {
    /** Admin connection URL (secret), with rights to create roles and grant; give it or adminSecret. @default undefined */
    adminUrl?: pulumi.Input<string>;
    /** database.adminSecret: where each operation reads the admin credentials, and the database they are for; give it or adminUrl. @default undefined */
    adminSecret?: pulumi.Input<AdminSecretReference>;
    /** The validated api block. */
    api: ApiConfig;
    /** database.sslMode and database.sslRootCert: how to connect when the admin URL names no sslmode. @default { sslMode: "require" } */
    adminTls?: TlsDefaults;
    /** Who connects to the database: this machine, or the in-network function of database.adminAccess in-network. @default undefined (direct: no input, so a direct stack's preview shows none) */
    adminTransport?: pulumi.Input<AdminTransport>;
    /** database.migrations: SQL files applied once each, in name order, before roles and grants and in the same transaction. @default [] */
    migrations?: Migration[];
    /**
     * Login roles the platform creates and authenticates (a Cloud SQL IAM user), made members of the authenticator: PostgREST
     * logs in as one of them, the authenticator has no password and no LOGIN, and with api.rotation only the JWT keys rotate.
     * Never created or dropped here. @default undefined (PostgREST logs in as the authenticator, with a generated password)
     */
    loginMembers?: pulumi.Input<string[]>;
    /** Length of the generated authenticator password. @default 32 */
    passwordLength?: number;
    /** Pulumi's `protect` on the roles resource: `pulumi destroy` fails until it is lifted. @default false */
    protect?: boolean;
    /** Keep the roles, memberships and grants in the database when the resource is deleted (Pulumi's retainOnDelete). @default false */
    retainOnDelete?: boolean;
}

/** The rotation schedule (rotation.ts): counts rotations, one more for a changed generation or when everyDays have passed. */
export class RotationSchedule extends pulumi.CustomResource {
    /** Rotations since rotation was turned on: even, the configured authenticator is active; odd, the other of the pair. */
    declare readonly rotations: pulumi.Output<number>;
    declare readonly rotatedAt: pulumi.Output<string>;
    /** From when the next `up` rotates; undefined without everyDays. */
    declare readonly dueAt: pulumi.Output<string | undefined>;

    constructor(name: string, args: RotationConfig, opts?: pulumi.CustomResourceOptions) {
        super(
            "pulumi-nodejs:dynamic:Resource",
            name,
            { __provider: providerModule("schedule"), ...args, rotations: undefined, rotatedAt: undefined, dueAt: undefined },
            opts,
        );
    }
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
            adminUrl?: pulumi.Input<string>;
            adminSecret?: pulumi.Input<AdminSecretReference>;
            adminTls: TlsDefaults;
            adminTransport?: pulumi.Input<AdminTransport>;
            api: ApiConfig;
            /** The login role PostgREST connects as. @default api.authenticatorRole */
            authenticatorRole?: pulumi.Input<string>;
            /** Its password; undefined with loginMembers. */
            authenticatorPassword?: pulumi.Input<string>;
            /** api.loginMembers, known once the platform has made them. @default undefined */
            loginMembers?: pulumi.Input<string[]>;
            /** With rotation: the other login role and its password. */
            standby?: { role: pulumi.Input<string>; password: pulumi.Input<string> };
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
                ...(args.adminUrl !== undefined && { adminUrl: pulumi.secret(args.adminUrl) }),
                ...(args.adminSecret && { adminSecret: args.adminSecret }),
                adminTls: args.adminTls,
                adminTransport: args.adminTransport,
                ...(args.loginMembers === undefined ? apiInputs(args.api) : apiInputsWithLoginMembers(args.api, args.loginMembers)),
                ...(args.authenticatorRole !== undefined && { authenticatorRole: args.authenticatorRole }),
                ...(args.authenticatorPassword !== undefined && { authenticatorPassword: pulumi.secret(args.authenticatorPassword) }),
                ...(args.standby && { standbyRole: args.standby.role, standbyPassword: pulumi.secret(args.standby.password) }),
                roleMarker: args.roleMarker,
                ...migrationInputs(args.migrations),
                createdRoles: undefined,
                createdSchemas: undefined,
            },
            // Both are secret inputs already; listing them keeps them secret whatever the engine's rules become.
            { ...opts, additionalSecretOutputs: ["adminUrl", "authenticatorPassword", "standbyPassword"] },
        );
    }
}

/** apiInputs for an api whose login members are known only once the platform has made them: the same keys, as outputs. */
function apiInputsWithLoginMembers(api: ApiConfig, loginMembers: pulumi.Input<string[]>): { [K in keyof ApiInputs]: pulumi.Input<ApiInputs[K]> } {
    const inputs = pulumi.output(loginMembers).apply((members) => apiInputs({ ...api, loginMembers: members }));
    const { objectOwner, ...known } = apiInputs(api);
    return { ...known, ...(objectOwner !== undefined && { objectOwner }), state: inputs.state, __api: inputs.__api };
}

export class PostgrestAccess extends pulumi.ComponentResource {
    /** Name of the login role PostgREST connects as. */
    readonly authenticatorRole: pulumi.Output<string>;
    /** Its generated password (secret), from @pulumi/random; undefined with loginMembers, which log in without one. */
    readonly authenticatorPassword?: pulumi.Output<string>;
    /** The resource that applies roles and grants: services depend on it. */
    readonly rolesAndGrants: RolesAndGrants;
    /** With api.rotation: rotations since it was turned on, which the JWT signing keys follow too; undefined without. */
    readonly rotations?: pulumi.Output<number>;

    constructor(name: string, args: PostgrestAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:database:PostgrestAccess", name, {}, opts);
        const rotation = args.api.rotation;
        const schedule = rotation && new RotationSchedule(`${name}-rotation`, rotation, { parent: this });
        const rotations: pulumi.Output<number> = schedule ? schedule.rotations : pulumi.output(0);
        if (schedule) this.rotations = rotations;
        const accessOpts = { parent: this, protect: args.protect ?? false, retainOnDelete: args.retainOnDelete ?? false };
        const common = {
            adminUrl: args.adminUrl,
            adminSecret: args.adminSecret,
            adminTls: args.adminTls ?? { sslMode: "require" as const },
            adminTransport: args.adminTransport,
            migrations: args.migrations,
        };
        const rolesAndGrantsName = `${name}-roles-and-grants`;
        // An input, not part of the name: the resource's URN stays as it was.
        const roleMarker = { project: pulumi.getProject(), stack: pulumi.getStack(), resource: rolesAndGrantsName };
        if (args.loginMembers !== undefined) {
            // No password to rotate: one authenticator, and the schedule above turns the JWT keys alone.
            const { rotation: _passwordPair, ...api } = args.api;
            this.rolesAndGrants = new RolesAndGrants(rolesAndGrantsName, { ...common, api, loginMembers: args.loginMembers, roleMarker }, accessOpts);
            this.authenticatorRole = this.rolesAndGrants.authenticatorRole;
            this.registerOutputs({ authenticatorRole: this.authenticatorRole });
            return;
        }
        const pair = authenticatorPair(args.api);
        // Letters and digits only: the same in any URI, file or env without escaping, and SCRAM needs no SASLprep for ASCII.
        // A role's password is replaced when its generation changes, that is when the role becomes active. Generation 0
        // has no keepers, so turning rotation on leaves the running authenticator's password (and its URN) as it was.
        const passwords = (schedule ? pair : [pair[0]]).map(
            (_role, index) =>
                new random.RandomPassword(
                    index === 0 ? `${name}-authenticator-password` : `${name}-standby-authenticator-password`,
                    {
                        length: args.passwordLength ?? 32,
                        special: false,
                        keepers: rotations.apply((count) => generationKeepers(secretGeneration(index as 0 | 1, count))),
                    },
                    { parent: this },
                ),
        );
        const results = passwords.map((password) => password.result);
        const activeRole = rotations.apply((count) => pair[activeIndex(count)]);
        const standbyRole = rotations.apply((count) => pair[1 - activeIndex(count)]);
        const passwordOf = (role: pulumi.Output<string>) => pulumi.all([role, ...results]).apply(([found, ...values]) => values[pair.indexOf(found)]);
        this.rolesAndGrants = new RolesAndGrants(
            rolesAndGrantsName,
            {
                ...common,
                api: args.api,
                authenticatorRole: schedule && activeRole,
                authenticatorPassword: passwordOf(activeRole),
                standby: schedule && { role: standbyRole, password: passwordOf(standbyRole) },
                roleMarker,
            },
            accessOpts,
        );
        this.authenticatorRole = this.rolesAndGrants.authenticatorRole;
        const password = pulumi.secret(this.rolesAndGrants.authenticatorPassword);
        this.authenticatorPassword = password;
        this.registerOutputs({ authenticatorRole: this.authenticatorRole, authenticatorPassword: password });
    }
}
