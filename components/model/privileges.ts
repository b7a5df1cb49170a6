/**
 * PostgreSQL's privileges per object kind, and the shapes of the grants the
 * `api.roles` block declares.
 */
import { FunctionName, QualifiedName } from "./identifiers";

// Privileges per object kind (https://www.postgresql.org/docs/current/ddl-priv.html, Table 5.2).
// MAINTAIN (PostgreSQL 17+) is left out so that a config works on every supported major.
export const TABLE_PRIVILEGES = ["select", "insert", "update", "delete", "truncate", "references", "trigger"] as const;
export const COLUMN_PRIVILEGES = ["select", "insert", "update", "references"] as const;
export const SEQUENCE_PRIVILEGES = ["usage", "select", "update"] as const;
export const FUNCTION_PRIVILEGES = ["execute"] as const;

export type TablePrivilege = (typeof TABLE_PRIVILEGES)[number];
export type ColumnPrivilege = (typeof COLUMN_PRIVILEGES)[number];
export type SequencePrivilege = (typeof SEQUENCE_PRIVILEGES)[number];
export type FunctionPrivilege = (typeof FUNCTION_PRIVILEGES)[number];

/** Object kinds that take default privileges for objects created later. */
export const DEFAULT_PRIVILEGE_KINDS = ["tables", "sequences", "functions"] as const;
export type DefaultPrivilegeKind = (typeof DEFAULT_PRIVILEGE_KINDS)[number];

export interface ObjectGrant<P> {
    target: QualifiedName;
    privileges: P[];
}

export interface FunctionGrant {
    target: FunctionName;
    privileges: FunctionPrivilege[];
}

export interface ColumnGrant {
    target: QualifiedName;
    privilege: ColumnPrivilege;
    columns: string[];
}

export interface SchemaWideGrant<P> {
    schema: string;
    privileges: P[];
}

export interface DefaultPrivilegeGrant {
    kind: DefaultPrivilegeKind;
    schema: string;
    privileges: string[];
}
