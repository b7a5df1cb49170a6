/**
 * The pure parts, table-driven and without a database: planning statements
 * from a declared config and a catalog snapshot, and the resource's diff.
 */
import { DIRECT } from "../../components/model/admin-transport";
import * as assert from "assert";
import { CatalogSnapshot, RoleRow } from "../../components/database/catalog";
import { declaredItems } from "../../components/database/declarations";
import { diffAccess } from "../../components/database/diff";
import { Grant } from "../../components/database/catalog";
import { PlanInput, isPlanError, planAccess } from "../../components/database/plan";
import { AccessOutputs, apiInputs } from "../../components/database/properties";
import { apiConfig } from "../../testing/databases";

const SEED = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });

function role(name: string, attributes: Partial<RoleRow> = {}): RoleRow {
    return {
        name,
        login: false,
        inherit: true,
        superuser: false,
        createdb: false,
        createrole: false,
        ownsObjects: false,
        expires: false,
        ...attributes,
    };
}

function grant(kind: Grant["kind"], name: string, privilege: string, grantee: string, detail = "", schema = "api"): Grant {
    return { kind, schema, name, detail, privilege, grantee };
}

/** The catalog of the trees database after the provider applied SEED. */
function appliedSeed(extra: Partial<CatalogSnapshot> = {}): CatalogSnapshot {
    return {
        currentUser: "admin",
        roles: [role("authenticator", { login: true, inherit: false }), role("web_anon")],
        memberships: [{ role: "web_anon", member: "authenticator", set: null, inherit: null }],
        schemas: [{ name: "api", holdsObjects: true }],
        relations: [
            { schema: "api", name: "trees", kind: "table", columns: ["id", "name", "species"], owner: "admin" },
            { schema: "api", name: "trees_id_seq", kind: "sequence", columns: [], owner: "admin" },
        ],
        functions: [],
        grants: [grant("schema", "", "USAGE", "web_anon"), grant("table", "trees", "SELECT", "web_anon")],
        typeNames: {},
        owner: { name: "admin", usableByAdmin: true },
        ...extra,
    };
}

/** Plans as the resource that created SEED's roles, unless the input says otherwise. */
function plan(input: Partial<PlanInput> & { catalog: CatalogSnapshot }): string[] {
    return planAccess({ createdRoles: ["authenticator", "web_anon"], createdSchemas: [], ...input }).statements;
}

describe("planAccess", () => {
    const cases: { name: string; input: Partial<PlanInput> & { catalog: CatalogSnapshot }; statements: string[] }[] = [
        {
            name: "creates the trees API's roles, grants and membership on an empty database",
            input: { desired: SEED, catalog: appliedSeed({ roles: [], memberships: [], grants: [] }) },
            statements: [
                'CREATE ROLE "authenticator" LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE',
                'CREATE ROLE "web_anon" NOLOGIN',
                'GRANT USAGE ON SCHEMA "api" TO "web_anon"',
                'GRANT SELECT ON TABLE "api"."trees" TO "web_anon"',
                'GRANT "web_anon" TO "authenticator"',
            ],
        },
        { name: "plans nothing when the database already matches", input: { desired: SEED, previous: SEED, catalog: appliedSeed() }, statements: [] },
        {
            name: "revokes a surplus privilege in scope, and leaves other roles and schemas alone",
            input: {
                desired: SEED,
                previous: SEED,
                catalog: appliedSeed({
                    roles: [role("authenticator", { login: true, inherit: false }), role("web_anon"), role("reporting")],
                    grants: [
                        grant("schema", "", "USAGE", "web_anon"),
                        grant("table", "trees", "SELECT", "web_anon"),
                        grant("table", "trees", "DELETE", "web_anon"),
                        grant("table", "trees", "SELECT", "reporting"),
                        grant("table", "audit", "SELECT", "web_anon", "", "private"),
                    ],
                }),
            },
            statements: ['REVOKE DELETE ON TABLE "api"."trees" FROM "web_anon"'],
        },
        {
            name: "grants column privileges again after revoking the table privilege that carried them",
            input: {
                desired: apiConfig({ roles: { web_anon: { columns: { "api.trees": { select: ["name"] } } } } }),
                previous: SEED,
                catalog: appliedSeed({
                    grants: [
                        grant("schema", "", "USAGE", "web_anon"),
                        grant("table", "trees", "SELECT", "web_anon"),
                        grant("column", "trees", "SELECT", "web_anon", "name"),
                    ],
                }),
            },
            statements: ['REVOKE SELECT ON TABLE "api"."trees" FROM "web_anon"', 'GRANT SELECT ("name") ON TABLE "api"."trees" TO "web_anon"'],
        },
        {
            name: "on delete revokes its grants and drops only the roles it created",
            input: { previous: SEED, catalog: appliedSeed(), createdRoles: ["authenticator"] },
            statements: [
                'REVOKE USAGE ON SCHEMA "api" FROM "web_anon"',
                'REVOKE SELECT ON TABLE "api"."trees" FROM "web_anon"',
                'DROP ROLE "authenticator"',
            ],
        },
        {
            name: "groups objects needing the same privileges into one statement per role",
            input: {
                desired: apiConfig({ roles: { web_anon: { allTables: { api: ["select", "insert"] } } } }),
                catalog: appliedSeed({
                    relations: ["a", "b", "c"].map((name) => ({ schema: "api", name, kind: "table" as const, columns: [], owner: "admin" })),
                    grants: [grant("schema", "", "USAGE", "web_anon"), grant("table", "b", "SELECT", "web_anon")],
                }),
            },
            statements: ['GRANT INSERT, SELECT ON TABLE "api"."a", "api"."c" TO "web_anon"', 'GRANT INSERT ON TABLE "api"."b" TO "web_anon"'],
        },
        {
            name: "quotes injection-shaped names as identifiers",
            input: {
                desired: apiConfig({ anonRole: 'x"; DROP TABLE api.trees; --', roles: { 'x"; DROP TABLE api.trees; --': {} } }),
                catalog: appliedSeed({ roles: [role("authenticator", { login: true, inherit: false })], memberships: [], grants: [] }),
            },
            statements: [
                'CREATE ROLE "x""; DROP TABLE api.trees; --" NOLOGIN',
                'GRANT USAGE ON SCHEMA "api" TO "x""; DROP TABLE api.trees; --"',
                'GRANT "x""; DROP TABLE api.trees; --" TO "authenticator"',
            ],
        },
        {
            name: "revokes EXECUTE from PUBLIC on the exposed schemas' functions only",
            input: {
                desired: { ...SEED, revokePublicExecute: true },
                previous: SEED,
                catalog: appliedSeed({
                    functions: [
                        { schema: "api", name: "login", args: "text, text", publicExecute: true, owner: "admin" },
                        { schema: "api", name: "done", args: "", publicExecute: false, owner: "admin" },
                    ],
                }),
            },
            statements: ['REVOKE EXECUTE ON ROUTINE "api"."login"(text, text) FROM PUBLIC'],
        },
    ];
    for (const { name, input, statements } of cases) {
        it(name, () => assert.deepStrictEqual(plan(input), statements));
    }

    const failures: { name: string; input: Partial<PlanInput> & { catalog: CatalogSnapshot }; problem: RegExp }[] = [
        {
            name: "a created role that owns objects",
            input: {
                previous: SEED,
                catalog: appliedSeed({ roles: [role("authenticator", { login: true, inherit: false }), role("web_anon", { ownsObjects: true })] }),
                createdRoles: ["web_anon"],
            },
            problem: /cannot drop role "web_anon": it owns objects/,
        },
        {
            name: "a memberOf role that does not exist",
            input: { desired: apiConfig({ roles: { web_anon: { memberOf: ["readers"] } } }), catalog: appliedSeed() },
            problem: /role "readers" \(in memberOf of "web_anon"\) does not exist/,
        },
        {
            name: "an overloaded function named without argument types",
            input: {
                desired: apiConfig({ roles: { web_anon: { functions: { "api.search": ["execute"] } } } }),
                catalog: appliedSeed({
                    functions: [
                        { schema: "api", name: "search", args: "text", publicExecute: true, owner: "admin" },
                        { schema: "api", name: "search", args: "integer", publicExecute: true, owner: "admin" },
                    ],
                }),
            },
            problem: /function api\.search is overloaded \(\(text\), \(integer\)\): write its argument types/,
        },
        {
            name: "a sequence declared as a table",
            input: { desired: apiConfig({ roles: { web_anon: { tables: { "api.trees_id_seq": ["select"] } } } }), catalog: appliedSeed() },
            problem: /api\.trees_id_seq is a sequence, not a table: declare it under sequences/,
        },
        {
            name: "the admin user as the second login role of a rotating pair (its name known only once database.adminSecret is read)",
            input: {
                desired: apiConfig({ authenticatorRole: "adm", rotation: {}, roles: { web_anon: {} } }),
                catalog: appliedSeed({ currentUser: "adm_b" }),
            },
            problem: /the admin user "adm_b" is a login role PostgREST would use/,
        },
        {
            name: "an existing superuser as the authenticator",
            input: { desired: SEED, catalog: appliedSeed({ roles: [role("authenticator", { login: true, superuser: true }), role("web_anon")] }) },
            problem: /role "authenticator" is a superuser/,
        },
        {
            name: "to take over existing roles it did not create (another stack's, or Supabase's authenticator)",
            input: { desired: SEED, catalog: appliedSeed(), createdRoles: [] },
            problem: new RegExp(
                'role "authenticator" already exists and this stack did not create it; taking it over would reset its password .*: ' +
                    "add it to postgrest:api.adoptRoles to take it over, or choose another name with postgrest:api.authenticatorRole\n" +
                    '  - role "web_anon" already exists and this stack did not create it; .*postgrest:api.adoptRoles',
            ),
        },
    ];
    for (const { name, input, problem } of failures) {
        it(`refuses ${name}, naming it`, () => {
            assert.throws(
                () => plan(input),
                (error: Error) => isPlanError(error) && problem.test(error.message),
            );
        });
    }
});

describe("adoptRoles", () => {
    it("takes over the roles it lists, and changes only what differs", () => {
        const adopting = { ...SEED, adoptRoles: ["authenticator", "web_anon"] };
        const catalog = appliedSeed({ roles: [role("authenticator", { login: true, inherit: true }), role("web_anon")] });
        assert.deepStrictEqual(plan({ desired: adopting, catalog, createdRoles: [] }), ['ALTER ROLE "authenticator" NOINHERIT']);
    });
});

describe("diffAccess", () => {
    const URL = "postgresql://admin:first-password@db.example.com:5432/startup";
    const olds: AccessOutputs = {
        adminUrl: URL,
        adminTls: { sslMode: "require" },
        adminTransport: DIRECT,
        authenticatorPassword: "p1",
        ...apiInputs(SEED),
        createdRoles: [],
        createdSchemas: [],
    };
    const cases: { name: string; news: Partial<AccessOutputs>; olds?: Partial<AccessOutputs>; changes: boolean; replaces: string[] }[] = [
        { name: "nothing changed", news: {}, changes: false, replaces: [] },
        {
            name: "a privilege added",
            news: apiInputs(apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select", "insert"] } } } })),
            changes: true,
            replaces: [],
        },
        {
            name: "drift found by refresh",
            news: {},
            olds: { state: { ...declaredItems(SEED), "web_anon: delete on table api.trees": "not declared" } },
            changes: true,
            replaces: [],
        },
        { name: "a new authenticator password", news: { authenticatorPassword: "p2" }, changes: true, replaces: [] },
        // Recorded by an update with no statements, so that refresh and destroy log in with the rotated password.
        {
            name: "a new admin password in the URL",
            news: { adminUrl: URL.replace("first-password", "second-password") },
            changes: true,
            replaces: [],
        },
        // Reaching the same database another way drops nothing (issue 8): an update, never a replacement.
        {
            name: "another host (a tunnel, a DNS change)",
            news: { adminUrl: URL.replace("db.example.com:5432", "localhost:15432") },
            changes: true,
            replaces: [],
        },
        { name: "another port", news: { adminUrl: URL.replace(":5432", ":6543") }, changes: true, replaces: [] },
        { name: "another admin user", news: { adminUrl: URL.replace("admin:", "ops:") }, changes: true, replaces: [] },
        { name: "sslmode added to the URL", news: { adminUrl: `${URL}?sslmode=verify-full` }, changes: true, replaces: [] },
        {
            name: "a new CA in database.sslRootCert",
            news: { adminTls: { sslMode: "verify-full", sslRootCert: "-----BEGIN CERTIFICATE-----" } },
            changes: true,
            replaces: [],
        },
        { name: "another database", news: { adminUrl: URL.replace("/startup", "/other") }, changes: true, replaces: ["adminUrl"] },
        { name: "a URL not known yet (preview)", news: { adminUrl: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, changes: false, replaces: [] },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const result = diffAccess({ ...olds, ...c.olds }, { ...olds, ...c.news });
            assert.deepStrictEqual({ changes: result.changes, replaces: result.replaces }, { changes: c.changes, replaces: c.replaces });
        });
    }
});
