import * as assert from "assert";
import { jwtRoleClaimKeyProblem, parseJsonPathClaimKey, parseLegacyClaimKey } from "../../components/model/jwt-role-claim-key";
import { baseConfig, parseStackConfig as parse } from "../../testing/harness";

describe("api.jwtRoleClaimKey", () => {
    // [key, major, accepted, rewrite PostgREST would accept]
    const cases: [string, number, boolean, string?][] = [
        ["$.role", 16, true],
        ["$.my['jwt-claims']['role']", 16, true],
        ['$.my["jwt-claims"].role', 16, true],
        ["$.roles[0]", 16, true],
        ["$.roles[?@ == 'admin']", 16, true],
        [".role", 16, false, "$.role"],
        ["role", 16, false, "$.role"],
        ['.my."jwt-claims"."role"', 16, false, "$.my['jwt-claims'].role"],
        [".my.jwt-claims.postgrest-role", 16, false, "$.my['jwt-claims']['postgrest-role']"],
        ["$.my.jwt-claims.role", 16, false, "$.my['jwt-claims'].role"],
        [".role", 12, true],
        ['.my."jwt-claims"."role"', 14, true],
        [".roles[0]", 12, true],
        ['.roles[?(@ == "admin")]', 12, true],
        ["$.role", 12, false, ".role"],
        [".my.jwt-claims.postgrest-role", 12, false, '.my."jwt-claims"."postgrest-role"'],
        ["$.my['jwt-claims']['role']", 14, false, '.my."jwt-claims".role'],
    ];
    for (const [claimKey, major, accepted, rewrite] of cases) {
        it(`v${major} ${accepted ? "accepts" : "refuses"} ${claimKey}${rewrite ? ` and suggests ${rewrite}` : ""}`, () => {
            const problem = jwtRoleClaimKeyProblem(claimKey, major);
            if (accepted) return assert.strictEqual(problem, undefined);
            assert.ok(problem);
            assert.ok(problem.problem.includes(`write ${JSON.stringify(rewrite)}`), problem.problem);
            assert.strictEqual(problem.example, `jwtRoleClaimKey: ${rewrite}`);
            // The rewrite is what PostgREST's parser of that major reads.
            const reparsed = major >= 16 ? parseJsonPathClaimKey(rewrite!) : parseLegacyClaimKey(rewrite!);
            assert.ok(Array.isArray(reparsed));
            assert.strictEqual(jwtRoleClaimKeyProblem(rewrite!, major), undefined);
        });
    }

    it("names the key in the stack config", () => {
        const config = { ...baseConfig("aws"), api: { jwtRoleClaimKey: ".my.jwt-claims.role", roles: { web_anon: {} } } };
        assert.throws(
            () => parse(config),
            (error: Error) => {
                assert.match(
                    error.message,
                    /postgrest:api\.jwtRoleClaimKey: ".my.jwt-claims.role" does not parse: .*write "\$\.my\['jwt-claims'\]\.role"/,
                );
                return true;
            },
        );
    });
});
