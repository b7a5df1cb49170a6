/**
 * The dynamic resource's input and output properties, shared by the provider
 * and its pure diff.
 */
import { ApiConfig } from "../config/api";
import { declaredItems } from "./resolve";
import { TlsDefaults } from "./tls";

export interface AccessInputs extends ApiInputs {
    /** Secret. */
    adminUrl: string;
    /** How to connect when the admin URL names no sslmode: database.sslMode and database.sslRootCert. */
    adminTls: TlsDefaults;
    /** The in-network function that applies for this resource (database.adminAccess in-network): a Lambda function ARN or a Cloud Run function's https:// URL; undefined: this process connects directly. */
    adminFunction?: string;
    /** Secret. */
    authenticatorPassword: string;
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

export interface AccessOutputs extends AccessInputs {
    /** Roles and schemas this resource created: the only ones delete may drop. */
    createdRoles: string[];
    createdSchemas: string[];
}

/** What stacks applied before `__api` recorded: the block as `api`, which the provider still reads. */
export type RecordedOutputs =
    AccessOutputs | (Omit<AccessOutputs, keyof ApiInputs> & Pick<AccessOutputs, "authenticatorRole" | "state"> & { api: ApiConfig });

/** Recorded outputs in today's shape: state applied before `__api` existed stays usable without an update. */
export function currentOutputs(recorded: RecordedOutputs): AccessOutputs {
    if ("__api" in recorded) return recorded;
    const { api, ...rest } = recorded;
    // The recorded state stays: after a refresh it holds what was found, not what is declared.
    return { ...rest, ...apiInputs(api), state: recorded.state };
}
