/** The rules of a created Aurora Serverless v2 cluster: which scaling Aurora refuses, the connection budget, and what PostgREST must be told so that it can pause. */
import * as assert from "assert";
import { auroraMaxConnections, auroraPostgrestSettings, auroraScalingProblems } from "../../../components/aws/config/aurora";
import { Problems } from "../../../components/config/problems";
import { parseService, peakConnections } from "../../../components/config/service";

describe("auroraScalingProblems", () => {
    const ok = { minCapacity: 0, maxCapacity: 2, secondsUntilAutoPause: 300 };
    const cases: [version: string, scaling: Partial<typeof ok>, problems: RegExp[]][] = [
        ["16.3", {}, []],
        ["17.4", { secondsUntilAutoPause: 86_400 }, []],
        ["13.15", {}, []],
        ["13.14", {}, [/13\.14 cannot scale to 0 ACUs/]],
        ["14.11", { minCapacity: 0.5 }, []],
        ["12.20", {}, [/12\.20 cannot scale to 0 ACUs/]],
        ["16", {}, [/"16" is not an Aurora PostgreSQL version/]],
        ["16.6", { secondsUntilAutoPause: 299 }, [/secondsUntilAutoPause 299 must be a whole number from 300 to 86400/]],
        ["16.6", { minCapacity: 0.5, secondsUntilAutoPause: 10 }, []],
        ["16.6", { minCapacity: 4, maxCapacity: 2 }, [/minCapacity 4 is above maxCapacity 2/]],
        ["16.6", { maxCapacity: 2.25 }, [/maxCapacity 2\.25 must be 0 to 256 ACUs in steps of 0\.5/]],
        ["16.6", { maxCapacity: 0.5 }, [/maxCapacity 0\.5 must be at least 1 ACU/]],
    ];
    for (const [version, scaling, expected] of cases)
        it(`${version} ${JSON.stringify(scaling)}: ${expected.length} problem(s)`, () => {
            const problems = auroraScalingProblems(version, { ...ok, ...scaling });
            assert.strictEqual(problems.length, expected.length, problems.join("; "));
            expected.forEach((pattern, i) => assert.match(problems[i], pattern));
        });
});

describe("auroraMaxConnections", () => {
    const cases: [min: number, max: number, budget: number][] = [
        [0, 1, 188],
        [0, 2, 380],
        [0, 16, 1997],
        [1, 16, 3061],
        [1, 64, 4997],
    ];
    for (const [min, max, budget] of cases) it(`${min}-${max} ACUs: ${budget}`, () => assert.strictEqual(auroraMaxConnections(min, max), budget));
});

describe("auroraPostgrestSettings: what lets the cluster pause", () => {
    const cases: [minCapacity: number, expected: ReturnType<typeof auroraPostgrestSettings>][] = [
        [0, { dbChannelEnabled: false, settings: { "db-pool-max-idletime": "30", "db-pool-acquisition-timeout": "40" } }],
        [0.5, { settings: {} }],
        [2, { settings: {} }],
    ];
    for (const [minCapacity, expected] of cases)
        it(`minCapacity ${minCapacity}`, () => assert.deepStrictEqual(auroraPostgrestSettings(minCapacity), expected));

    it("the settings pass the service config's own checks, and the peak then holds no LISTEN connection", () => {
        const { dbChannelEnabled, settings } = auroraPostgrestSettings(0);
        const problems = new Problems();
        const service = parseService(
            { image: "postgrest/postgrest:v12.2.12", maxInstances: 2, dbChannelEnabled, settings },
            "service",
            "aws",
            problems,
        );
        assert.strictEqual(problems.count, 0);
        assert.deepStrictEqual([service!.dbChannelEnabled, service!.settings], [false, settings]);
        assert.strictEqual(peakConnections(service!, 2), 20);
    });

    it("the pool lets go of idle connections long before the shortest pause delay", () => {
        const idle = Number(auroraPostgrestSettings(0).settings["db-pool-max-idletime"]);
        assert.ok(idle * 2 < 300);
    });
});
