/**
 * One privilege of one role on one object, in the shape the catalog reader
 * returns and the planner compares, and the SQL that grants or revokes a set
 * of them in as few statements as PostgreSQL allows.
 *
 * Every identifier goes through pg's escapeIdentifier; nothing is concatenated raw.
 */
import { escapeIdentifier } from "pg";

export type GrantKind = "schema" | "table" | "sequence" | "function" | "column" | "default";

export interface Grant {
    kind: GrantKind;
    schema: string;
    /** The object's name; "" for a schema; for "default", the object type: tables, sequences or functions. */
    name: string;
    /** "column": the column; "function": its argument types as the server formats them; "default": the owner role; else "". */
    detail: string;
    /** Upper case, as aclexplode returns it: SELECT, USAGE, EXECUTE... */
    privilege: string;
    grantee: string;
}

export function grantKey(grant: Grant): string {
    return JSON.stringify([grant.kind, grant.schema, grant.name, grant.detail, grant.privilege, grant.grantee]);
}

export function qualified(schema: string, name: string): string {
    return `${escapeIdentifier(schema)}.${escapeIdentifier(name)}`;
}

function identifiers(names: Iterable<string>): string {
    return [...names].map(escapeIdentifier).join(", ");
}

/**
 * The object a grant is on, as GRANT writes it. A function's argument list is
 * the server's own oidvectortypes() output, which quotes type names itself.
 */
function objectSql(grant: Grant): string {
    switch (grant.kind) {
        case "schema":
            return escapeIdentifier(grant.schema);
        case "function":
            return `${qualified(grant.schema, grant.name)}(${grant.detail})`;
        default:
            return qualified(grant.schema, grant.name);
    }
}

const OBJECT_KEYWORD: Record<Exclude<GrantKind, "column" | "default">, string> = {
    schema: "SCHEMA",
    table: "TABLE",
    sequence: "SEQUENCE",
    // ROUTINE covers functions and procedures alike (PostgreSQL 11+).
    function: "ROUTINE",
};

/**
 * GRANT (or REVOKE) statements for `grants`, grouped so that objects needing
 * the same privileges for the same role share one statement: converging 1000
 * tables for 5 roles takes 5 statements, not 5000.
 */
export function grantStatements(action: "GRANT" | "REVOKE", grants: Grant[]): string[] {
    const to = action === "GRANT" ? "TO" : "FROM";
    const statements: string[] = [];
    for (const group of groupBy(grants, statementGroup).values()) {
        const { kind, grantee } = group[0];
        if (kind === "column") {
            statements.push(columnStatement(action, group));
            continue;
        }
        if (kind === "default") {
            const { schema, name: objectType, detail: owner } = group[0];
            const privileges = [...new Set(group.map((g) => g.privilege))].sort().join(", ");
            statements.push(
                `ALTER DEFAULT PRIVILEGES FOR ROLE ${escapeIdentifier(owner)} IN SCHEMA ${escapeIdentifier(schema)} ` +
                    `${action} ${privileges} ON ${objectType.toUpperCase()} ${to} ${escapeIdentifier(grantee)}`,
            );
            continue;
        }
        const privilegesByObject = new Map<string, Set<string>>();
        for (const grant of group) {
            const object = objectSql(grant);
            privilegesByObject.set(object, (privilegesByObject.get(object) ?? new Set()).add(grant.privilege));
        }
        const objectsByPrivileges = groupBy([...privilegesByObject], ([, privileges]) => [...privileges].sort().join(", "));
        for (const [privileges, objects] of objectsByPrivileges) {
            const list = objects.map(([object]) => object).sort().join(", ");
            statements.push(`${action} ${privileges} ON ${OBJECT_KEYWORD[kind]} ${list} ${to} ${escapeIdentifier(grantee)}`);
        }
    }
    return statements;
}

/** Grants that can share one statement: same kind and role; a column's also share its table, a default's its owner, schema and object type. */
function statementGroup(grant: Grant): string {
    const scope = grant.kind === "column" ? [grant.schema, grant.name] : grant.kind === "default" ? [grant.schema, grant.name, grant.detail] : [];
    return JSON.stringify([grant.kind, grant.grantee, ...scope]);
}

/** One statement per table and role: `GRANT SELECT (a, b), UPDATE (b) ON TABLE t TO r`. */
function columnStatement(action: "GRANT" | "REVOKE", grants: Grant[]): string {
    const { schema, name, grantee } = grants[0];
    const columnsByPrivilege = groupBy(grants, (g) => g.privilege);
    const parts = [...columnsByPrivilege]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([privilege, byColumn]) => `${privilege} (${identifiers(byColumn.map((g) => g.detail).sort())})`);
    return `${action} ${parts.join(", ")} ON TABLE ${qualified(schema, name)} ${action === "GRANT" ? "TO" : "FROM"} ${escapeIdentifier(grantee)}`;
}

/** Groups in first-seen order, so that output follows the (sorted) input. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
    }
    return groups;
}
