/**
 * The dynamic resource's input and output properties, shared by the provider
 * and its pure diff.
 */
import { ApiConfig } from "../model/api";
import { declaredItems } from "./declarations";
import { AdminTransport } from "../model/admin-transport";
import { Migration, MigrationChecksums, declaredMigrations } from "./migrations";
import { RoleMarker } from "./role-marker";
import { AdminSecretReference, referenceTarget } from "../model/admin-secret";
import { TlsDefaults } from "./tls";

export interface AccessInputs extends ApiInputs, MigrationInputs {
    /** Secret: the admin connection URL (databaseAdminUrl); absent when adminSecret names where to read it. */
    adminUrl?: string;
    /** database.adminSecret: the secret to read the admin credentials from at each operation, and the database they are for. */
    adminSecret?: AdminSecretReference;
    /** How to connect when the admin URL names no sslmode: database.sslMode and database.sslRootCert. */
    adminTls: TlsDefaults;
    /** Who connects to the database: this process, or the in-network function of database.adminAccess in-network. @default { kind: "direct" } */
    adminTransport?: AdminTransport;
    /** Secret: the password of `authenticatorRole`, the login role PostgREST connects as; absent with api.loginMembers, which log in without one. */
    authenticatorPassword?: string;
    /** The project, stack and resource its roles' marker names (role-marker.ts). @default undefined (state recorded before roles carried one) */
    roleMarker?: RoleMarker;
    /** With api.rotation: the other login role of the pair, which keeps its password until it becomes active again. */
    standbyRole?: string;
    /** Secret: the standby role's password. */
    standbyPassword?: string;
}

/** The database these properties reach, as a URL that may carry no credentials: for ids, diffs and messages. */
export function targetUrl(props: Pick<AccessInputs, "adminUrl" | "adminSecret">): string {
    return props.adminSecret ? referenceTarget(props.adminSecret) : (props.adminUrl ?? "");
}

/** Each login role's password as these properties give it: the active one's and, with rotation, the standby's. */
export function loginPasswords(props: AccessInputs): Record<string, string> {
    const active = props.authenticatorPassword !== undefined ? { [props.authenticatorRole]: props.authenticatorPassword } : {};
    const standby = props.standbyRole !== undefined && props.standbyPassword !== undefined ? { [props.standbyRole]: props.standbyPassword } : {};
    return { ...active, ...standby };
}

/**
 * What the `api` block gives the resource. A reviewer reads `state`, one line per declared item; the validated block
 * itself travels as `__api`, because the CLI never prints a key that starts with "__" (IsInternalPropertyKey in
 * pulumi/pulumi sdk/go/common/resource/properties.go, ignored by printOldNewDiffs in pkg/backend/display/object_diff.go):
 * as a plain input its nested difference (array elements by index) would bury the readable lines on every grants
 * change. What the block holds beyond those lines and the database sees is printed on its own: `adoptRoles` (empty
 * arrays are not printed) and `objectOwner`.
 */
export interface ApiInputs {
    /** The login role PostgREST connects as: api.authenticatorRole, or with rotation the active one of the pair. */
    authenticatorRole: string;
    /** declaredItems(api): shown by preview, compared by diff. */
    state: Record<string, string>;
    adoptRoles: string[];
    objectOwner?: string;
    __api: ApiConfig;
}

export function apiInputs(api: ApiConfig): ApiInputs {
    // No undefined key: the provider host cannot send one back to the engine (Struct.fromJavaScript refuses it).
    const owner = api.objectOwner === undefined ? {} : { objectOwner: api.objectOwner };
    return { authenticatorRole: api.authenticatorRole, state: declaredItems(api), adoptRoles: api.adoptRoles, ...owner, __api: api };
}

/**
 * database.migrations as the resource takes them: `migrations`, each file's name and sha256, is what the preview prints
 * (a new file is a `+` line) and diff compares; the texts travel as `__migrations`, which the CLI never prints. Both
 * are absent, not empty, without migrations: a stack that declares none shows no new property.
 */
export interface MigrationInputs {
    migrations?: MigrationChecksums;
    __migrations?: Migration[];
}

export function migrationInputs(files: Migration[] | undefined): MigrationInputs {
    return files === undefined || files.length === 0 ? {} : { migrations: declaredMigrations(files), __migrations: files };
}

export interface AccessOutputs extends AccessInputs {
    /** Roles and schemas this resource created: the only ones delete may drop. */
    createdRoles: string[];
    createdSchemas: string[];
}

/**
 * Outputs as older stacks recorded them: the block as `api` (before `__api`), and the in-network function as an
 * `adminFunction` string (a Lambda ARN or a Cloud Run URL) before `adminTransport` named its kind.
 */
type LegacyApi = Omit<AccessOutputs, keyof ApiInputs> & Pick<AccessOutputs, "authenticatorRole" | "state"> & { api: ApiConfig };
type LegacyTransport<T> = Omit<T, "adminTransport"> & { adminFunction?: string };
export type RecordedOutputs = AccessOutputs | LegacyApi | LegacyTransport<AccessOutputs> | LegacyTransport<LegacyApi>;

/** Recorded outputs in today's shape: what older stacks applied stays usable without an update. */
export function currentOutputs(recorded: RecordedOutputs): AccessOutputs {
    const { adminFunction, ...rest } = recorded as RecordedOutputs & { adminFunction?: string };
    // A direct stack records no transport, then and now.
    const transport = adminFunction === undefined ? {} : { adminTransport: legacyTransport(adminFunction) };
    if ("__api" in rest) return { ...rest, ...transport } as AccessOutputs;
    const { api, ...others } = rest as LegacyApi;
    // The recorded state stays: after a refresh it holds what was found, not what is declared.
    return { ...others, ...transport, ...apiInputs(api), state: recorded.state };
}

/** The transport an `adminFunction` string named: the provider wrote only these two kinds of value. */
function legacyTransport(adminFunction: string): AdminTransport {
    return adminFunction.startsWith("arn:") ? { kind: "lambda", functionArn: adminFunction } : { kind: "cloud-run", url: adminFunction };
}
