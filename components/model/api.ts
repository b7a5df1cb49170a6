/**
 * The API the database side is told to build: exposed schemas, the login and
 * anonymous roles, and what each API role may do. Plain data, so the provider
 * carries it over the wire (to the engine and to the in-network function).
 */
import {
    ColumnGrant,
    DefaultPrivilegeGrant,
    FunctionGrant,
    FunctionPrivilege,
    ObjectGrant,
    SchemaWideGrant,
    SequencePrivilege,
    TablePrivilege,
} from "./privileges";

/** Everything one API role may do, normalized. */
export interface RoleSpec {
    name: string;
    /** Other roles this role is a member of (inherits their privileges). */
    memberOf: string[];
    tables: ObjectGrant<TablePrivilege>[];
    columns: ColumnGrant[];
    sequences: ObjectGrant<SequencePrivilege>[];
    functions: FunctionGrant[];
    allTables: SchemaWideGrant<TablePrivilege>[];
    allSequences: SchemaWideGrant<SequencePrivilege>[];
    allFunctions: SchemaWideGrant<FunctionPrivilege>[];
    defaultPrivileges: DefaultPrivilegeGrant[];
}

export interface ApiConfig {
    /** Schemas PostgREST exposes (PGRST_DB_SCHEMAS); the first is the default one. */
    schemas: string[];
    /** Role for requests without a JWT (PGRST_DB_ANON_ROLE). */
    anonRole: string;
    /** Role PostgREST logs in as; member of every API role. */
    authenticatorRole: string;
    /** Where the role is found in the JWT (PGRST_JWT_ROLE_CLAIM_KEY). */
    jwtRoleClaimKey: string;
    /** API roles, in the order declared. */
    roles: RoleSpec[];
    /** Revoke EXECUTE from PUBLIC on the functions of the exposed schemas. */
    revokePublicExecute: boolean;
    /** Role whose future objects get the declared default privileges; undefined: the admin user. */
    objectOwner?: string;
    /** Existing roles this stack may take over (set attributes; the authenticator's password). @default [] */
    adoptRoles: string[];
    /** Two alternating authenticators whose passwords rotate without an outage; undefined: one authenticator, rotated by hand. */
    rotation?: RotationConfig;
    /**
     * Login roles the platform creates and authenticates, such as a Cloud SQL IAM user: each is made a member of the
     * authenticator, which then has no password and no LOGIN, and PostgREST logs in as one of them. Never created or
     * dropped here. Set by the program (gcp.cloudSqlIamAuthentication), never read from the api block. @default undefined
     */
    loginMembers?: string[];
}

/** When the authenticator pair rotates: a changed generation, or everyDays since the last rotation. */
export interface RotationConfig {
    /** Changing it rotates at the next `up`. @default 0 */
    generation: number;
    /** The first `up` this many days after the last rotation rotates; undefined: only a changed generation does. */
    everyDays?: number;
}

/** The second login role of the pair: the authenticator's name with this suffix. */
export const STANDBY_SUFFIX = "_b";

/** The pair of login roles PostgREST alternates between: the configured authenticator first, so turning rotation on keeps it active. */
export function authenticatorPair(api: Pick<ApiConfig, "authenticatorRole">): [string, string] {
    return [api.authenticatorRole, `${api.authenticatorRole}${STANDBY_SUFFIX}`];
}

/** Every login role PostgREST may connect as: the authenticator, and with rotation the other of the pair. */
export function authenticatorRoles(api: Pick<ApiConfig, "authenticatorRole" | "rotation">): string[] {
    return api.rotation ? authenticatorPair(api) : [api.authenticatorRole];
}

/** Every schema an API role needs USAGE on: the exposed ones and those its grants name. */
export function schemasUsedBy(api: Pick<ApiConfig, "schemas">, role: RoleSpec): string[] {
    const named = [
        ...role.tables.map((g) => g.target.schema),
        ...role.columns.map((g) => g.target.schema),
        ...role.sequences.map((g) => g.target.schema),
        ...role.functions.map((g) => g.target.schema),
        ...role.allTables.map((g) => g.schema),
        ...role.allSequences.map((g) => g.schema),
        ...role.allFunctions.map((g) => g.schema),
        ...role.defaultPrivileges.map((g) => g.schema),
    ];
    return [...new Set([...api.schemas, ...named])];
}
