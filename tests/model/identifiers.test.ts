import * as assert from "assert";
import { parseFunctionName, parseQualifiedName, roleNameProblem, schemaNameProblem } from "../../components/model/identifiers";

describe("qualified names", () => {
    const cases: [string, ReturnType<typeof parseQualifiedName>][] = [
        ["api.trees", { schema: "api", name: "trees" }],
        ["api.Trees", { schema: "api", name: "Trees" }],
        ['"my.schema"."a ""b"""', { schema: "my.schema", name: 'a "b"' }],
        ['api."x""; DROP TABLE api.trees; --"', { schema: "api", name: 'x"; DROP TABLE api.trees; --' }],
        ["trees", "must be schema-qualified, as schema.name"],
        ["a.b.c", "must be schema-qualified, as schema.name"],
        ["api.", "has a part that must not be empty"],
        ['"api.trees', "has an unterminated double quote"],
        ['"api"x.trees', "has text after a closing quote"],
    ];
    for (const [text, expected] of cases) {
        it(`parses ${text}`, () => assert.deepStrictEqual(parseQualifiedName(text), expected));
    }

    const functions: [string, ReturnType<typeof parseFunctionName>][] = [
        ["api.login", { schema: "api", name: "login" }],
        ["api.login()", { schema: "api", name: "login", args: [] }],
        ["api.login(text,  text)", { schema: "api", name: "login", args: ["text", "text"] }],
        ["api.search(character varying, int)", { schema: "api", name: "search", args: ["character varying", "int"] }],
        ["api.price(numeric(10,2), text)", { schema: "api", name: "price", args: ["numeric(10,2)", "text"] }],
        ["api.price(numeric(10,2)))", "has unbalanced parentheses in its argument list"],
        ["api.login(text", "has an argument list without a closing parenthesis"],
        ["api.login(text,)", "has an empty argument type"],
    ];
    for (const [text, expected] of functions) {
        it(`parses function ${text}`, () => assert.deepStrictEqual(parseFunctionName(text), expected));
    }
});

describe("PostgreSQL name rules", () => {
    const roles: [string, RegExp | undefined][] = [
        ["web_anon", undefined],
        ["Web Anon", undefined],
        ["pg_monitor", /reserves for system roles/],
        ["PUBLIC", /reserved role name/],
        ["current_user", /reserved role name/],
        ["", /must not be empty/],
        ["é".repeat(32), /64 bytes long/],
    ];
    for (const [name, problem] of roles) {
        it(`role ${JSON.stringify(name)}: ${problem ?? "accepted"}`, () => {
            const found = roleNameProblem(name);
            if (problem) assert.match(found ?? "", problem);
            else assert.strictEqual(found, undefined);
        });
    }

    it("refuses schemas PostgreSQL or PostgREST reserve", () => {
        assert.match(schemaNameProblem("pg_api") ?? "", /reserves for system schemas/);
        assert.match(schemaNameProblem("information_schema") ?? "", /PostgREST refuses/);
        assert.strictEqual(schemaNameProblem("api"), undefined);
    });
});
