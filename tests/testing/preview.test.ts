/**
 * What a reviewer reads in `pulumi preview --diff` (and the PR comment) for the RolesAndGrants resource: the CLI's
 * rendering of its inputs' difference, since a dynamic provider cannot send a detailed diff.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { diffAccess } from "../../components/database/diff";
import { reviewerDiff } from "../../testing/preview";
import { AccessInputs, apiInputs, currentOutputs, RecordedOutputs } from "../../components/database/properties";
import { UNDECLARED } from "../../components/database/declarations";
import { apiConfig } from "../../testing/databases";

const CONNECTION = {
    adminUrl: "postgresql://admin:pw@db.example.com:5432/startup",
    adminTls: { sslMode: "require" as const },
    authenticatorPassword: "p1",
};
const ROLES = {
    web_anon: { memberOf: ["todo_user"], tables: { "api.todos": ["select"] } },
    todo_user: { tables: { "api.todos": ["select", "insert"] } },
};
const inputs = (roles: object, changes: Partial<AccessInputs> = {}): AccessInputs => ({
    ...CONNECTION,
    ...apiInputs(apiConfig({ roles })),
    ...changes,
});

// The unchanged inputs above `state`, printed unmarked in every view.
const CONTEXT = [
    "        adminTls             : {",
    '            sslMode: "require"',
    "        }",
    "        adminUrl             : [secret]",
    "        authenticatorPassword: [secret]",
    '        authenticatorRole    : "authenticator"',
];
/** The `state` lines of ROLES, unmarked, keyed by their text so that a case can mark some. */
const ITEMS = [
    "authenticator member of todo_user",
    "authenticator member of web_anon",
    "role authenticator: login noinherit nosuperuser nocreatedb nocreaterole",
    "role todo_user: nologin",
    "role web_anon: nologin",
    "schema api",
    "todo_user: insert on table api.todos",
    "todo_user: select on table api.todos",
    "todo_user: usage on schema api",
    "web_anon member of todo_user",
    "web_anon: select on table api.todos",
    "web_anon: usage on schema api",
];

describe("reviewerDiff: what `pulumi preview --diff` prints for the roles and grants of a typical change", () => {
    const cases: { name: string; news: AccessInputs; view: string[] }[] = [
        {
            name: "a grant added",
            news: inputs({ ...ROLES, todo_user: { tables: { "api.todos": ["select", "insert", "update"] } } }),
            view: [
                ...CONTEXT,
                "      ~ state                : {",
                '            authenticator member of todo_user                                      : "declared"',
                '            authenticator member of web_anon                                       : "declared"',
                '            role authenticator: login noinherit nosuperuser nocreatedb nocreaterole: "declared"',
                '            role todo_user: nologin                                                : "declared"',
                '            role web_anon: nologin                                                 : "declared"',
                '            schema api                                                             : "declared"',
                '            todo_user: insert on table api.todos                                   : "declared"',
                '            todo_user: select on table api.todos                                   : "declared"',
                '          + todo_user: update on table api.todos                                   : "declared"',
                '            todo_user: usage on schema api                                         : "declared"',
                '            web_anon member of todo_user                                           : "declared"',
                '            web_anon: select on table api.todos                                    : "declared"',
                '            web_anon: usage on schema api                                          : "declared"',
                "        }",
            ],
        },
        {
            name: "a grant removed",
            news: inputs({ ...ROLES, todo_user: { tables: { "api.todos": ["select"] } } }),
            view: [
                ...CONTEXT,
                "      ~ state                : {",
                '            authenticator member of todo_user                                      : "declared"',
                '            authenticator member of web_anon                                       : "declared"',
                '            role authenticator: login noinherit nosuperuser nocreatedb nocreaterole: "declared"',
                '            role todo_user: nologin                                                : "declared"',
                '            role web_anon: nologin                                                 : "declared"',
                '            schema api                                                             : "declared"',
                '          - todo_user: insert on table api.todos                                   : "declared"',
                '            todo_user: select on table api.todos                                   : "declared"',
                '            todo_user: usage on schema api                                         : "declared"',
                '            web_anon member of todo_user                                           : "declared"',
                '            web_anon: select on table api.todos                                    : "declared"',
                '            web_anon: usage on schema api                                          : "declared"',
                "        }",
            ],
        },
        {
            name: "a membership removed",
            news: inputs({ ...ROLES, web_anon: { tables: { "api.todos": ["select"] } } }),
            view: [
                ...CONTEXT,
                "      ~ state                : {",
                '            authenticator member of todo_user                                      : "declared"',
                '            authenticator member of web_anon                                       : "declared"',
                '            role authenticator: login noinherit nosuperuser nocreatedb nocreaterole: "declared"',
                '            role todo_user: nologin                                                : "declared"',
                '            role web_anon: nologin                                                 : "declared"',
                '            schema api                                                             : "declared"',
                '            todo_user: insert on table api.todos                                   : "declared"',
                '            todo_user: select on table api.todos                                   : "declared"',
                '            todo_user: usage on schema api                                         : "declared"',
                '          - web_anon member of todo_user                                           : "declared"',
                '            web_anon: select on table api.todos                                    : "declared"',
                '            web_anon: usage on schema api                                          : "declared"',
                "        }",
            ],
        },
        {
            name: "a role added",
            news: inputs({ ...ROLES, todo_admin: { tables: { "api.todos": ["delete"] } } }),
            view: [
                ...CONTEXT,
                "      ~ state                : {",
                '          + authenticator member of todo_admin                                     : "declared"',
                '            authenticator member of todo_user                                      : "declared"',
                '            authenticator member of web_anon                                       : "declared"',
                '            role authenticator: login noinherit nosuperuser nocreatedb nocreaterole: "declared"',
                '          + role todo_admin: nologin                                               : "declared"',
                '            role todo_user: nologin                                                : "declared"',
                '            role web_anon: nologin                                                 : "declared"',
                '            schema api                                                             : "declared"',
                '          + todo_admin: delete on table api.todos                                  : "declared"',
                '          + todo_admin: usage on schema api                                        : "declared"',
                '            todo_user: insert on table api.todos                                   : "declared"',
                '            todo_user: select on table api.todos                                   : "declared"',
                '            todo_user: usage on schema api                                         : "declared"',
                '            web_anon member of todo_user                                           : "declared"',
                '            web_anon: select on table api.todos                                    : "declared"',
                '            web_anon: usage on schema api                                          : "declared"',
                "        }",
            ],
        },
        { name: "nothing changed", news: inputs(ROLES), view: [] },
        {
            // At preview the new password is unknown; it stays a secret either way.
            name: "a password rotation",
            news: inputs(ROLES, { authenticatorPassword: "p2" }),
            view: [
                ...CONTEXT.slice(0, 4),
                "      ~ authenticatorPassword: [secret] => [secret]",
                ...CONTEXT.slice(5),
                "        state                : {",
                ...ITEMS.map((item) => `            ${item.padEnd(71)}: "declared"`),
                "        }",
            ],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const olds = inputs(ROLES);
            assert.deepStrictEqual(reviewerDiff(olds, c.news), c.view);
            // The engine prints a view only for an update: the provider's diff must say so exactly when there is one.
            assert.strictEqual(diffAccess({ ...olds, createdRoles: [], createdSchemas: [] }, c.news).changes, c.view.length > 0);
        });
    }

    it("is the view docs/database-access.md shows for its example change", () => {
        const page = fs.readFileSync(path.join(__dirname, "../../docs/database-access.md"), "utf8");
        const section = page.slice(page.indexOf("### Reading a grants change in a pull request"));
        const start = section.indexOf("```\n") + 4;
        const shown = section.slice(start, section.indexOf("\n```\n", start));
        const news = inputs({
            web_anon: { tables: { "api.todos": ["select"] } },
            todo_user: { tables: { "api.todos": ["select", "insert", "update"] } },
        });
        assert.deepStrictEqual(shown.split("\n"), reviewerDiff(inputs(ROLES), news));
    });

    it("marks no line but `state`'s for a grants change: the validated api block travels in an input the CLI does not print", () => {
        const news = inputs({ ...ROLES, todo_user: { tables: { "api.todos": ["select", "insert", "update"] } } });
        assert.notDeepStrictEqual(news.__api, inputs(ROLES).__api);
        const marked = reviewerDiff(inputs(ROLES), news).filter((line) => /^ *[-+~] /.test(line));
        assert.deepStrictEqual(marked, [
            "      ~ state                : {",
            '          + todo_user: update on table api.todos                                   : "declared"',
        ]);
    });

    it("shows drift found by refresh as the lines the next up repairs", () => {
        const refreshed = inputs(ROLES, { state: { ...inputs(ROLES).state, "web_anon: delete on table api.todos": UNDECLARED } });
        const marked = reviewerDiff(refreshed, inputs(ROLES)).filter((line) => /^ *[-+~] /.test(line));
        assert.deepStrictEqual(marked, [
            "      ~ state                : {",
            '          - web_anon: delete on table api.todos                                    : "not declared"',
        ]);
    });

    it("prints an api setting the items do not name on one line of its own: objectOwner, beside the default privileges it moves", () => {
        const roles = { web_anon: { defaultPrivileges: { tables: { api: ["select"] } } } };
        const [olds, news] = [apiConfig({ roles }), apiConfig({ roles, objectOwner: "migrator" })].map((api) => ({
            ...CONNECTION,
            ...apiInputs(api),
        }));
        assert.deepStrictEqual(
            reviewerDiff(olds, news).filter((line) => /^ *[-+~] /.test(line)),
            [
                '      + objectOwner          : "migrator"',
                "      ~ state                : {",
                '          + web_anon: select on future tables in schema api (created by migrator)      : "declared"',
                '          - web_anon: select on future tables in schema api (created by the admin user): "declared"',
            ],
        );
    });
});

describe("state recorded before `__api`: the api block as `api`", () => {
    const api = apiConfig({ roles: ROLES });
    const { __api: _api, adoptRoles: _adopt, objectOwner: _owner, ...rest } = { ...inputs(ROLES), createdRoles: ["web_anon"], createdSchemas: [] };
    const recorded: RecordedOutputs = { ...rest, api };

    it("reads as today's shape, keeping the recorded state", () => {
        const refreshedState = { ...rest.state, "web_anon: delete on table api.todos": UNDECLARED };
        assert.deepStrictEqual(currentOutputs({ ...recorded, state: refreshedState }), {
            ...inputs(ROLES),
            state: refreshedState,
            createdRoles: ["web_anon"],
            createdSchemas: [],
        });
    });

    it("is no change for the provider's diff, so upgrading updates nothing and the preview prints nothing for it", () => {
        assert.strictEqual(diffAccess(currentOutputs(recorded), inputs(ROLES)).changes, false);
    });
});
