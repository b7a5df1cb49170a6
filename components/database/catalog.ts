/**
 * Stage 1, the catalog: reads the actual state the planner needs from the system
 * catalogs, in one query (one round trip, whatever the number of objects or grants).
 */

export type GrantKind = "schema" | "table" | "sequence" | "function" | "column" | "default";

/** One privilege of one role on one object, as the catalog reader returns it and the planner compares it. */
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
    /** Who granted it (aclexplode's grantor): only they, the object's owner for their own grants, or a superuser revoke it. */
    grantor?: string;
}

/**
 * The grant's fields joined by NUL, which no PostgreSQL name or type name can contain: cheaper than JSON.stringify
 * (a plan builds tens of thousands), and comparing two keys code point by code point compares the fields in order.
 */
export function grantKey(grant: Grant): string {
    return `${grant.kind}\0${grant.schema}\0${grant.name}\0${grant.detail}\0${grant.privilege}\0${grant.grantee}`;
}

export interface RoleRow {
    name: string;
    login: boolean;
    inherit: boolean;
    superuser: boolean;
    createdb: boolean;
    createrole: boolean;
    /** Owns objects in some database of the cluster (pg_shdepend), so DROP ROLE would fail. */
    ownsObjects: boolean;
    /** Has a VALID UNTIL other than infinity: its password stops working then (or already has). */
    expires: boolean;
    /** COMMENT ON ROLE, where the provider writes its marker (role-marker.ts); null without one. */
    comment?: string | null;
}

/** A membership; `set` and `inherit` are PostgreSQL 16+'s per-grant options (any grantor's), null before 16. */
export interface MembershipRow {
    role: string;
    member: string;
    set: boolean | null;
    inherit: boolean | null;
    /** Who granted it (pg_auth_members.grantor), one per grant: on PostgreSQL 16+ only that grantor, or a superuser, revokes it. */
    grantors?: string[];
}

export interface RelationRow {
    schema: string;
    name: string;
    /** Tables, views, materialized views, foreign and partitioned tables are all "table" to GRANT. */
    kind: "table" | "sequence";
    columns: string[];
    owner: string;
}

export interface FunctionRow {
    schema: string;
    name: string;
    /** Argument types as the server formats them (oidvectortypes). */
    args: string;
    /** PUBLIC may execute it (true by default in PostgreSQL). */
    publicExecute: boolean;
    owner: string;
}

export interface CatalogSnapshot {
    currentUser: string;
    roles: RoleRow[];
    memberships: MembershipRow[];
    schemas: { name: string; holdsObjects: boolean }[];
    relations: RelationRow[];
    functions: FunctionRow[];
    /** Privileges of the roles asked about on objects of the schemas asked about; owners' implicit ones left out. */
    grants: Grant[];
    /** Declared argument type -> the server's name for it (format_type), or null when unknown. */
    typeNames: Record<string, string | null>;
    /** The role asked about as owner of future objects, when it exists. */
    owner: { name: string; usableByAdmin: boolean } | null;
}

/** What to read: the schemas and roles in play, and the names to resolve. */
export interface CatalogScope {
    schemas: string[];
    roles: string[];
    argumentTypes: string[];
    /** Owner of future objects; undefined: the admin user. */
    owner?: string;
}

const RELKINDS = "('r', 'p', 'v', 'm', 'f', 'S')";
const RELATION_KIND = "case c.relkind when 'S' then 'sequence' else 'table' end";

// $1 schemas, $2 roles, $3 argument types, $4 owner (null: current_user).
// acldefault() stands in for a NULL acl, which means "the defaults" (https://www.postgresql.org/docs/current/ddl-priv.html).
const CATALOG_QUERY = `
select json_build_object(
  'currentUser', current_user,
  'roles', coalesce((select json_agg(json_build_object(
      'name', r.rolname, 'login', r.rolcanlogin, 'inherit', r.rolinherit, 'superuser', r.rolsuper,
      'createdb', r.rolcreatedb, 'createrole', r.rolcreaterole, 'expires', coalesce(r.rolvaliduntil <> 'infinity', false),
      'ownsObjects', exists (select from pg_shdepend d where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid and d.deptype = 'o'),
      'comment', shobj_description(r.oid, 'pg_authid')))
    from pg_roles r where r.rolname = any($2::text[])), '[]'),
  'memberships', coalesce((select json_agg(ms) from (
      -- set_option and inherit_option exist from PostgreSQL 16 on; to_jsonb reads them without failing on 15.
      select g.rolname as role, m.rolname as member,
             bool_or((to_jsonb(a) ->> 'set_option')::boolean) as set, bool_or((to_jsonb(a) ->> 'inherit_option')::boolean) as inherit,
             array_agg(distinct pg_get_userbyid(a.grantor) order by pg_get_userbyid(a.grantor)) as grantors
        from pg_auth_members a join pg_roles g on g.oid = a.roleid join pg_roles m on m.oid = a.member
        where m.rolname = any($2::text[]) group by g.rolname, m.rolname) ms), '[]'),
  'schemas', coalesce((select json_agg(json_build_object('name', n.nspname,
      'holdsObjects', exists (select from pg_depend d where d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid)))
    from pg_namespace n where n.nspname = any($1::text[])), '[]'),
  'relations', coalesce((select json_agg(json_build_object('schema', n.nspname, 'name', c.relname, 'kind', ${RELATION_KIND},
      'columns', coalesce((select json_agg(a.attname order by a.attnum) from pg_attribute a
                           where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'),
      'owner', pg_get_userbyid(c.relowner)))
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1::text[]) and c.relkind in ${RELKINDS}), '[]'),
  'functions', coalesce((select json_agg(json_build_object('schema', n.nspname, 'name', p.proname, 'args', oidvectortypes(p.proargtypes),
      'publicExecute', exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
                               where x.grantee = 0 and x.privilege_type = 'EXECUTE'),
      'owner', pg_get_userbyid(p.proowner)))
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1::text[]) and p.prokind in ('f', 'p')), '[]'),
  'grants', coalesce((select json_agg(g) from (
      select 'schema' as kind, n.nspname as schema, '' as name, '' as detail, x.privilege_type as privilege, r.rolname as grantee,
             pg_get_userbyid(x.grantor) as grantor
        from pg_namespace n cross join lateral aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x
        join pg_roles r on r.oid = x.grantee
        where n.nspname = any($1::text[]) and r.rolname = any($2::text[]) and x.grantee <> n.nspowner
      union all
      select ${RELATION_KIND}, n.nspname, c.relname, '', x.privilege_type, r.rolname, pg_get_userbyid(x.grantor)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        cross join lateral aclexplode(coalesce(c.relacl, acldefault(case c.relkind when 'S' then 's' else 'r' end::"char", c.relowner))) x
        join pg_roles r on r.oid = x.grantee
        where n.nspname = any($1::text[]) and c.relkind in ${RELKINDS} and r.rolname = any($2::text[]) and x.grantee <> c.relowner
      union all
      select 'column', n.nspname, c.relname, a.attname, x.privilege_type, r.rolname, pg_get_userbyid(x.grantor)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null
        cross join lateral aclexplode(a.attacl) x
        join pg_roles r on r.oid = x.grantee
        where n.nspname = any($1::text[]) and c.relkind in ${RELKINDS} and r.rolname = any($2::text[])
      union all
      select 'function', n.nspname, p.proname, oidvectortypes(p.proargtypes), x.privilege_type, r.rolname, pg_get_userbyid(x.grantor)
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x
        join pg_roles r on r.oid = x.grantee
        where n.nspname = any($1::text[]) and p.prokind in ('f', 'p') and r.rolname = any($2::text[]) and x.grantee <> p.proowner
      union all
      select 'default', n.nspname, case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' else 'functions' end,
             o.rolname, x.privilege_type, r.rolname, pg_get_userbyid(x.grantor)
        from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace join pg_roles o on o.oid = d.defaclrole
        cross join lateral aclexplode(d.defaclacl) x
        join pg_roles r on r.oid = x.grantee
        where n.nspname = any($1::text[]) and d.defaclobjtype in ('r', 'S', 'f') and r.rolname = any($2::text[])
    ) g), '[]'),
  'typeNames', coalesce((select json_object_agg(t, format_type(to_regtype(t), null)) from unnest($3::text[]) t), '{}'),
  'owner', (select json_build_object('name', o.rolname, 'usableByAdmin', pg_has_role(current_user, o.oid, 'USAGE'))
            from pg_roles o where o.rolname = coalesce($4::text, current_user))
) as snapshot`;

/** The one thing the reader needs from a connection; the applier's counting session provides it. */
export interface Queryable {
    query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export async function readCatalog(client: Queryable, scope: CatalogScope): Promise<CatalogSnapshot> {
    const result = await client.query(CATALOG_QUERY, [scope.schemas, scope.roles, scope.argumentTypes, scope.owner ?? null]);
    return result.rows[0].snapshot;
}
