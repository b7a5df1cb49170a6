/**
 * The `api` block: which schemas PostgREST exposes, which roles it switches
 * to, and what each role may do. The parsed form is plain data, so the
 * database access provider can be serialized with it.
 */
import {
    FunctionName,
    QualifiedName,
    parseFunctionName,
    parseQualifiedName,
    roleNameProblem,
    schemaNameProblem,
    identifierProblem,
} from "./identifiers";
import { JsonObject, Problems, describe, isObject, readObject, readString, readStringList, rejectUnknownKeys, readBoolean } from "./problems";

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
}

export const API_DEFAULTS = {
    schemas: ["api"],
    anonRole: "web_anon",
    authenticatorRole: "authenticator",
} as const;

const ROLE_KEYS = ["memberOf", "tables", "columns", "sequences", "functions", "allTables", "allSequences", "allFunctions", "defaultPrivileges"];
const API_KEYS = ["schemas", "anonRole", "authenticatorRole", "jwtRoleClaimKey", "roles", "revokePublicExecute", "objectOwner"];

const ROLES_EXAMPLE = "api: { roles: { web_anon: { tables: { api.trees: [select] } } } }";

/**
 * Parses the `api` block. `jwtRoleClaimKey` is returned as given (or
 * undefined): its default and syntax depend on the PostgREST version, which
 * the caller knows.
 */
export function parseApi(value: unknown, key: string, problems: Problems): (Omit<ApiConfig, "jwtRoleClaimKey"> & { jwtRoleClaimKey?: string }) | undefined {
    const obj = readObject(value, key, problems, ROLES_EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, API_KEYS, problems);
    const before = problems.count;

    const schemas = readStringList(obj, "schemas", key, problems, {
        default: [...API_DEFAULTS.schemas],
        example: "schemas: [api]",
        nonEmpty: true,
        check: schemaNameProblem,
    });
    const anonRole = readString(obj, "anonRole", key, problems, { default: API_DEFAULTS.anonRole, example: "anonRole: web_anon" });
    const authenticatorRole = readString(obj, "authenticatorRole", key, problems, {
        default: API_DEFAULTS.authenticatorRole,
        example: "authenticatorRole: authenticator",
    });
    const jwtRoleClaimKey = readString(obj, "jwtRoleClaimKey", key, problems, { optional: true, example: "jwtRoleClaimKey: $.role" });
    const revokePublicExecute = readBoolean(obj, "revokePublicExecute", key, problems, { default: false, example: "revokePublicExecute: true" });
    const objectOwner = readString(obj, "objectOwner", key, problems, { optional: true, example: "objectOwner: migrator" });
    checkRoleName(anonRole, `${key}.anonRole`, problems);
    checkRoleName(authenticatorRole, `${key}.authenticatorRole`, problems);
    checkRoleName(objectOwner, `${key}.objectOwner`, problems);

    const roles = parseRoles(obj.roles, `${key}.roles`, problems);
    if (roles && anonRole && !roles.some((role) => role.name === anonRole)) {
        problems.add(
            `${key}.anonRole`,
            `"${anonRole}" is not among ${key}.roles (${roles.map((r) => r.name).join(", ") || "none declared"}); declare what anonymous requests may do`,
            `${key}.roles: { ${anonRole}: { tables: { api.trees: [select] } } }`,
        );
    }
    if (roles && authenticatorRole && roles.some((role) => role.name === authenticatorRole)) {
        problems.add(
            `${key}.roles.${authenticatorRole}`,
            "the authenticator role only logs in and switches roles; it must not be an API role itself",
            "give privileges to web_anon or a JWT role instead",
        );
    }
    if (roles && authenticatorRole) {
        for (const role of roles) {
            if (role.memberOf.includes(authenticatorRole)) {
                problems.add(`${key}.roles.${role.name}.memberOf`, `must not include the authenticator role "${authenticatorRole}"`, "memberOf: [web_anon]");
            }
        }
    }

    if (problems.count > before) return undefined;
    return { schemas: schemas!, anonRole: anonRole!, authenticatorRole: authenticatorRole!, jwtRoleClaimKey, roles: roles!, revokePublicExecute: revokePublicExecute!, objectOwner };
}

function checkRoleName(name: string | undefined, key: string, problems: Problems): void {
    const problem = name === undefined ? undefined : roleNameProblem(name);
    if (problem) problems.add(key, problem, `${key.split(".").pop()}: web_anon`);
}

function parseRoles(value: unknown, key: string, problems: Problems): RoleSpec[] | undefined {
    if (value === undefined) {
        problems.add(key, "is required: declare at least the anonymous role and what it may do", ROLES_EXAMPLE);
        return undefined;
    }
    const obj = readObject(value, key, problems, ROLES_EXAMPLE);
    if (!obj) return undefined;
    const roles: RoleSpec[] = [];
    let valid = true;
    for (const [name, body] of Object.entries(obj)) {
        const roleKey = `${key}.${name}`;
        const problem = roleNameProblem(name);
        if (problem) {
            problems.add(roleKey, `role name ${problem}`, `${key}.web_anon`);
            valid = false;
            continue;
        }
        const role = parseRole(name, body ?? {}, roleKey, problems);
        if (role) roles.push(role);
        else valid = false;
    }
    return valid ? roles : undefined;
}

function parseRole(name: string, value: unknown, key: string, problems: Problems): RoleSpec | undefined {
    const obj = readObject(value, key, problems, "{ tables: { api.trees: [select] } }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, ROLE_KEYS, problems);
    const before = problems.count;

    const memberOf = readStringList(obj, "memberOf", key, problems, { default: [], example: "memberOf: [web_anon]", check: roleNameProblem }) ?? [];
    if (memberOf.includes(name)) problems.add(`${key}.memberOf`, "a role cannot be a member of itself", "memberOf: [web_anon]");

    const role: RoleSpec = {
        name,
        memberOf,
        tables: parseNamedGrants(obj, "tables", key, problems, parseQualifiedName, TABLE_PRIVILEGES, "table or view", "tables: { api.trees: [select, insert] }"),
        sequences: parseNamedGrants(obj, "sequences", key, problems, parseQualifiedName, SEQUENCE_PRIVILEGES, "sequence", "sequences: { api.trees_id_seq: [usage] }"),
        functions: parseNamedGrants(obj, "functions", key, problems, parseFunctionName, FUNCTION_PRIVILEGES, "function", 'functions: { "api.login(text, text)": [execute] }'),
        columns: parseColumnGrants(obj, key, problems),
        allTables: parseSchemaWide(obj, "allTables", key, problems, TABLE_PRIVILEGES, "table or view", "allTables: { api: [select] }"),
        allSequences: parseSchemaWide(obj, "allSequences", key, problems, SEQUENCE_PRIVILEGES, "sequence", "allSequences: { api: [usage] }"),
        allFunctions: parseSchemaWide(obj, "allFunctions", key, problems, FUNCTION_PRIVILEGES, "function", "allFunctions: { api: [execute] }"),
        defaultPrivileges: parseDefaultPrivileges(obj, key, problems),
    };
    return problems.count === before ? role : undefined;
}

/**
 * Reads a privilege list such as `[select, insert]`. Case-insensitive; `all`
 * stands for every privilege of the kind.
 */
function parsePrivileges<P extends string>(value: unknown, key: string, problems: Problems, allowed: readonly P[], kind: string, example: string): P[] {
    if (!Array.isArray(value) || value.length === 0 || value.some((p) => typeof p !== "string")) {
        problems.add(key, `must be a non-empty list of privileges, got ${describe(value)}`, example);
        return [];
    }
    const result = new Set<P>();
    for (const raw of value as string[]) {
        const privilege = raw.toLowerCase();
        if (privilege === "all") {
            allowed.forEach((p) => result.add(p));
        } else if ((allowed as readonly string[]).includes(privilege)) {
            result.add(privilege as P);
        } else {
            problems.add(key, `"${raw}" is not a privilege on a ${kind}; use ${allowed.join(", ")} or all`, example);
        }
    }
    // Keep the canonical order so that equal declarations compare equal.
    return allowed.filter((p) => result.has(p));
}

/** Reads a map of object names to privileges; `parseName` reads a name (a problem string when it is not one). */
function parseNamedGrants<N, P extends string>(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    parseName: (text: string) => N | string,
    allowed: readonly P[],
    kind: string,
    example: string,
): { target: N; privileges: P[] }[] {
    const grants: { target: N; privileges: P[] }[] = [];
    for (const [name, privileges] of readMap(obj, field, key, problems, example)) {
        const entryKey = `${key}.${field}.${name}`;
        const target = parseName(name);
        if (typeof target === "string") {
            problems.add(entryKey, `the ${kind} name ${target}`, example);
            continue;
        }
        grants.push({ target, privileges: parsePrivileges(privileges, entryKey, problems, allowed, kind, example) });
    }
    return grants;
}

function parseColumnGrants(obj: JsonObject, key: string, problems: Problems): ColumnGrant[] {
    const example = "columns: { api.users: { select: [id, name], update: [name] } }";
    const grants: ColumnGrant[] = [];
    for (const [name, byPrivilege] of readMap(obj, "columns", key, problems, example)) {
        const entryKey = `${key}.columns.${name}`;
        const target = parseQualifiedName(name);
        if (typeof target === "string") {
            problems.add(entryKey, `the table name ${target}`, example);
            continue;
        }
        if (!isObject(byPrivilege)) {
            problems.add(entryKey, `must map privileges to column lists, got ${describe(byPrivilege)}`, example);
            continue;
        }
        for (const rawPrivilege of Object.keys(byPrivilege)) {
            const privilege = rawPrivilege.toLowerCase() as ColumnPrivilege;
            if (!COLUMN_PRIVILEGES.includes(privilege)) {
                problems.add(`${entryKey}.${rawPrivilege}`, `is not a column privilege; use ${COLUMN_PRIVILEGES.join(", ")}`, example);
                continue;
            }
            const list = readStringList(byPrivilege, rawPrivilege, entryKey, problems, { example, nonEmpty: true, check: identifierProblem });
            if (list) grants.push({ target, privilege, columns: [...new Set(list)] });
        }
    }
    return grants;
}

function parseSchemaWide<P extends string>(
    obj: JsonObject,
    field: string,
    key: string,
    problems: Problems,
    allowed: readonly P[],
    kind: string,
    example: string,
): SchemaWideGrant<P>[] {
    const grants: SchemaWideGrant<P>[] = [];
    for (const [schema, privileges] of readMap(obj, field, key, problems, example)) {
        const entryKey = `${key}.${field}.${schema}`;
        const problem = schemaNameProblem(schema);
        if (problem) problems.add(entryKey, `schema name ${problem}`, example);
        else grants.push({ schema, privileges: parsePrivileges(privileges, entryKey, problems, allowed, kind, example) });
    }
    return grants;
}

function parseDefaultPrivileges(obj: JsonObject, key: string, problems: Problems): DefaultPrivilegeGrant[] {
    const example = "defaultPrivileges: { tables: { api: [select] } }";
    const value = obj.defaultPrivileges;
    if (value === undefined) return [];
    const byKind = readObject(value, `${key}.defaultPrivileges`, problems, example);
    if (!byKind) return [];
    rejectUnknownKeys(byKind, `${key}.defaultPrivileges`, DEFAULT_PRIVILEGE_KINDS, problems);
    const allowedFor: Record<DefaultPrivilegeKind, readonly string[]> = {
        tables: TABLE_PRIVILEGES,
        sequences: SEQUENCE_PRIVILEGES,
        functions: FUNCTION_PRIVILEGES,
    };
    return DEFAULT_PRIVILEGE_KINDS.flatMap((kind) =>
        parseSchemaWide(byKind, kind, `${key}.defaultPrivileges`, problems, allowedFor[kind], kind.replace(/s$/, ""), example).map((grant) => ({
            kind,
            ...grant,
        })),
    );
}

function readMap(obj: JsonObject, field: string, key: string, problems: Problems, example: string): [string, unknown][] {
    const value = obj[field];
    if (value === undefined) return [];
    const map = readObject(value, `${key}.${field}`, problems, example);
    return map ? Object.entries(map) : [];
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

