/**
 * Role identity's pure parts, table-driven: reading a role's comment as a marker, what the planner does with the
 * markers it finds, and when the resource's diff asks for an update to write them.
 */
import * as assert from "assert";
import { CatalogSnapshot, RoleRow } from "../../components/database/catalog";
import { declaredRoles } from "../../components/database/declarations";
import { diffAccess } from "../../components/database/diff";
import { PlanInput, isPlanError, planAccess } from "../../components/database/plan";
import { AccessOutputs, apiInputs } from "../../components/database/properties";
import { RoleMarker, parseRoleMarker, roleMarkerText } from "../../components/database/role-marker";
import { apiConfig } from "../../testing/databases";

const API = apiConfig({ roles: { web_anon: {} } });
const OURS: RoleMarker = { project: "postgrest", stack: "dev", resource: "postgrest-roles-and-grants" };
const THEIRS: RoleMarker = { project: "postgrest", stack: "staging", resource: "postgrest-roles-and-grants" };

function role(name: string, comment: string | null, login = false): RoleRow {
    return { name, login, inherit: !login, superuser: false, createdb: false, createrole: false, ownsObjects: false, expires: false, comment };
}

/** The roles of API, in place with their membership, each with `comment`. */
function catalog(comment: string | null): CatalogSnapshot {
    return {
        currentUser: "admin",
        roles: [role("authenticator", comment, true), role("web_anon", comment)],
        memberships: [{ role: "web_anon", member: "authenticator", set: null, inherit: null }],
        schemas: [{ name: "api", holdsObjects: true }],
        relations: [],
        functions: [],
        grants: [{ kind: "schema", schema: "api", name: "", detail: "", privilege: "USAGE", grantee: "web_anon" }],
        typeNames: {},
        owner: { name: "admin", usableByAdmin: true },
    };
}

const comment = (marker: RoleMarker) => `COMMENT ON ROLE "authenticator" IS '${roleMarkerText(marker)}'`;
const marked = (marker: RoleMarker) => [comment(marker), comment(marker).replace('"authenticator"', '"web_anon"')];

describe("parseRoleMarker", () => {
    const cases: [string, string | null, RoleMarker | undefined][] = [
        ["no comment", null, undefined],
        ["an empty comment", "", undefined],
        ["a comment written by hand", "PostgREST login, ask the data team", undefined],
        ["JSON of another tool", JSON.stringify({ createdBy: "terraform", project: "p", stack: "s", resource: "r" }), undefined],
        ["the provider's JSON missing the stack", JSON.stringify({ createdBy: "postgrest-access", project: "p", resource: "r" }), undefined],
        ["the provider's marker", roleMarkerText(OURS), OURS],
    ];
    for (const [name, text, expected] of cases)
        it(`reads ${name} as ${expected ? "that marker" : "no marker"}`, () => assert.deepStrictEqual(parseRoleMarker(text), expected));
});

describe("planAccess with role markers", () => {
    const cases: { name: string; input: Partial<PlanInput> & { catalog: CatalogSnapshot }; statements: string[]; createdRoles: string[] }[] = [
        {
            name: "a create that finds roles marked as its own counts them as created and plans nothing else",
            input: { createdRoles: [], roleMarker: OURS, catalog: catalog(roleMarkerText(OURS)) },
            statements: [],
            createdRoles: ["authenticator", "web_anon"],
        },
        {
            name: "roles it created before markers existed get the marker and nothing else",
            input: { createdRoles: ["authenticator", "web_anon"], roleMarker: OURS, catalog: catalog(null) },
            statements: marked(OURS),
            createdRoles: ["authenticator", "web_anon"],
        },
        {
            name: "roles it created under another stack name (a renamed stack) get its marker",
            input: { createdRoles: ["authenticator", "web_anon"], roleMarker: OURS, catalog: catalog(roleMarkerText(THEIRS)) },
            statements: marked(OURS),
            createdRoles: ["authenticator", "web_anon"],
        },
        {
            name: "roles another stack created, adopted: taken over, neither counted as created nor re-marked",
            input: {
                desired: { ...API, adoptRoles: declaredRoles(API) },
                createdRoles: [],
                roleMarker: OURS,
                catalog: catalog(roleMarkerText(THEIRS)),
            },
            statements: [],
            createdRoles: [],
        },
        {
            name: "without a marker of its own (inputs from before markers), none is written",
            input: { createdRoles: ["authenticator", "web_anon"], catalog: catalog(null) },
            statements: [],
            createdRoles: ["authenticator", "web_anon"],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const plan = planAccess({ desired: API, createdRoles: [], createdSchemas: [], ...c.input });
            assert.deepStrictEqual([plan.statements, plan.createdRoles], [c.statements, c.createdRoles]);
        });
    }

    it("a role another stack created stops the plan, naming that stack; so does a marked role when no marker is given", () => {
        for (const [marker, creator] of [
            [OURS, 'was created by resource "postgrest-roles-and-grants" of Pulumi stack "postgrest/staging", which drops it when destroyed'],
            [undefined, 'was created by resource "postgrest-roles-and-grants" of Pulumi stack "postgrest/staging", which drops it when destroyed'],
        ] as const) {
            assert.throws(
                () =>
                    planAccess({ desired: API, createdRoles: [], createdSchemas: [], roleMarker: marker, catalog: catalog(roleMarkerText(THEIRS)) }),
                (error: unknown) => isPlanError(error) && error.problems.every((p) => p.includes(creator)) && error.problems.length === 2,
            );
        }
    });
});

describe("diffAccess and the role marker", () => {
    const inputs = (roleMarker?: RoleMarker) => ({
        adminUrl: "postgresql://admin:pw@db.example.com/app",
        adminTls: { sslMode: "require" as const },
        authenticatorPassword: "pw",
        ...(roleMarker ? { roleMarker } : {}),
        ...apiInputs(API),
    });
    const outputs = (roleMarker?: RoleMarker): AccessOutputs => ({
        ...inputs(roleMarker),
        createdRoles: ["authenticator", "web_anon"],
        createdSchemas: [],
    });
    const cases: [string, RoleMarker | undefined, RoleMarker | undefined, boolean][] = [
        ["state recorded before markers: an update writes them", undefined, OURS, true],
        ["the same marker: no change", OURS, { ...OURS }, false],
        ["a renamed stack: an update rewrites them", THEIRS, OURS, true],
        ["no marker in the new inputs: no change", OURS, undefined, false],
    ];
    for (const [name, recorded, next, changes] of cases) {
        it(name, () => assert.strictEqual(diffAccess(outputs(recorded), inputs(next)).changes, changes));
    }
});
