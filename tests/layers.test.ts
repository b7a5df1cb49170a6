/**
 * The house rules of the layout (docs/development.md): imports run downhill, from index.ts through the clouds (which
 * build the in-network function from the database's code), the database side, what PostgREST is told, config loading
 * and the cost models, the clouds' config blocks, the config toolkit and shared blocks, to the domain model. Rooms on one floor do not import each
 * other; a cloud's config room loads no cloud SDK; neither the program nor scripts/ nor testing/ import tests/.
 * Read from the sources' own import statements.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");

/** Each room of the program and its floor: a room may import only from lower floors and from itself. The longest matching room wins. */
const FLOORS: Record<string, number> = {
    "components/model": 0,
    "components/costs.ts": 0,
    "components/config": 1,
    "components/aws/config": 2,
    "components/aws/costs.ts": 3,
    "components/gcp/config": 2,
    "components/gcp/costs.ts": 3,
    "components/config/index.ts": 3,
    "components/postgrest": 4,
    "components/database": 5,
    "components/aws": 6,
    "components/gcp": 6,
    "index.ts": 7,
};

/** Rooms importable without loading a cloud's SDK: the config readers and cost models run in scripts and at config time. */
const SDK_FREE = [
    "components/model",
    "components/costs.ts",
    "components/config",
    "components/aws/config",
    "components/aws/costs.ts",
    "components/gcp/config",
    "components/gcp/costs.ts",
];
const CLOUD_SDKS = /^@pulumi\/(aws|awsx|gcp)(\/|$)/;

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
    const matches = Object.keys(FLOORS).filter((room) => file === room || `${file}.ts` === room || file.startsWith(`${room}/`));
    return matches.sort((a, b) => b.length - a.length)[0];
}

/** The packages `file` imports or requires. */
function packageImports(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return [...text.matchAll(/(?:from\s+|import\s+|require\(|import\()\s*"([^.][^"]*)"/g)].map((match) => match[1]);
}

/** Files that import each other, directly or through others: each circle once, as its files in import order. */
function importCircles(files: string[]): string[][] {
    const edges = new Map(files.map((file) => [file.replace(/\.ts$/, ""), relativeImports(file).map((target) => target.replace(/\/index$/, ""))]));
    const resolve = (module: string) => (edges.has(module) ? module : edges.has(`${module}/index`) ? `${module}/index` : undefined);
    const circles: string[][] = [];
    const done = new Set<string>();
    const visit = (module: string, trail: string[]) => {
        const at = trail.indexOf(module);
        if (at >= 0) {
            circles.push(trail.slice(at));
            return;
        }
        if (done.has(module)) return;
        for (const target of edges.get(module) ?? []) {
            const next = resolve(target);
            if (next) visit(next, [...trail, module]);
        }
        done.add(module);
    };
    for (const module of edges.keys()) visit(module, []);
    return circles;
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

    it("has no import circle", () => {
        assert.deepStrictEqual(importCircles(program), []);
    });

    it("loads no cloud SDK from the config readers and cost models", () => {
        const loading = program.flatMap((file) =>
            SDK_FREE.includes(roomOf(file)!)
                ? packageImports(file)
                      .filter((name) => CLOUD_SDKS.test(name))
                      .map((name) => `${file} imports ${name}`)
                : [],
        );
        assert.deepStrictEqual(loading, []);
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
