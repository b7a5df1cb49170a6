/**
 * The house rules of the layout (README, Development): imports run downhill,
 * config <- postgrest <- database, aws, gcp <- index.ts, the floor-2 rooms do
 * not import each other, and neither the program nor scripts/ nor testing/
 * import tests/. Read from the sources' own import statements.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");

/** Each room of the program and its floor: a room may import only from lower floors and from itself. */
const FLOORS: Record<string, number> = {
    "components/config": 0,
    "components/postgrest": 1,
    "components/costs.ts": 1,
    "components/database": 2,
    "components/aws": 2,
    "components/gcp": 2,
    "index.ts": 3,
};

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(relative);
        return entry.name.endsWith(".ts") ? [relative] : [];
    });
}

/** The project modules `file` imports (relative specifiers only), as paths from the root without extension. */
function relativeImports(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const specifiers = [...text.matchAll(/(?:from\s+|import\s+|require\(|import\()\s*"(\.{1,2}\/[^"]+)"/g)].map((match) => match[1]);
    return specifiers.map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
}

function roomOf(file: string): string | undefined {
    return Object.keys(FLOORS).find((room) => file === room || `${file}.ts` === room || file.startsWith(`${room}/`));
}

describe("layout: imports run downhill", () => {
    const program = ["index.ts", ...sourceFiles("components")];

    it("knows the room of every program file", () => {
        assert.deepStrictEqual(
            program.filter((file) => roomOf(file) === undefined),
            [],
        );
    });

    it("imports only from a lower floor or the same room", () => {
        const uphill: string[] = [];
        for (const file of program) {
            const from = roomOf(file)!;
            for (const target of relativeImports(file)) {
                const to = roomOf(target);
                if (to === from) continue;
                if (to === undefined || FLOORS[to] >= FLOORS[from]) uphill.push(`${file} imports ${target}`);
            }
        }
        assert.deepStrictEqual(uphill, []);
    });

    it("keeps scripts/ and testing/ off tests/", () => {
        const intoTests = [...sourceFiles("scripts"), ...sourceFiles("testing")].flatMap((file) =>
            relativeImports(file)
                .filter((target) => target.startsWith("tests/"))
                .map((target) => `${file} imports ${target}`),
        );
        assert.deepStrictEqual(intoTests, []);
    });
});
