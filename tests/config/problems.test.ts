import * as assert from "assert";
import { closestName } from "../../components/config/problems";

describe("typo suggestions", () => {
    const cases: [string, string | undefined][] = [
        ["databse", "database"],
        ["anonrole", "anonRole"],
        ["sslmode", "sslMode"],
        ["completely-different", undefined],
    ];
    for (const [typo, expected] of cases) {
        it(`${typo} -> ${expected}`, () => assert.strictEqual(closestName(typo, ["database", "anonRole", "sslMode", "api"]), expected));
    }
});
