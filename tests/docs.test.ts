/**
 * docs/ against the code: the generated regions are what `npm run docs` writes, the configuration catalog names
 * exactly the keys the readers accept (each example is fed through parseConfig, and the known-key lists the readers
 * check against are read back from their own "unknown key" problems), and every link between the pages resolves.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_REFERENCE, ConfigKeyReference } from "../components/config/reference";
import { KeyPair, issue, makeCa } from "../testing/certificates";
import { baseConfig, parseStackConfig } from "../testing/harness";
import { DOCS_DIR, generatedRegions, renderDocs } from "../scripts/docs";

const root = path.resolve(__dirname, "..");
const SECRET_KEYS = ["databaseAdminUrl", "jwtSecret", "databaseClientKey"];

/** The problems parseConfig lists for `config`, or none when it accepts it. */
function problemsOf(config: Record<string, unknown>): readonly string[] {
    try {
        parseStackConfig(config, SECRET_KEYS);
        return [];
    } catch (error) {
        const problems = (error as { problems?: readonly string[] }).problems;
        if (!problems) throw error;
        return problems;
    }
}

/** A name for each placeholder part of a catalog path: a role beside the base config's web_anon. */
const PLACEHOLDERS: Record<string, string> = { "<role>": "todo_user" };

function concretePath(keyPath: string): string[] {
    return keyPath.split(".").map((part) => PLACEHOLDERS[part] ?? part);
}

function setPath(config: Record<string, unknown>, keyPath: string, value: unknown): void {
    const parts = concretePath(keyPath);
    let at = config;
    for (const part of parts.slice(0, -1)) {
        if (typeof at[part] !== "object" || at[part] === null) at[part] = {};
        at = at[part] as Record<string, unknown>;
    }
    at[parts[parts.length - 1]] = value;
}

describe("docs: generated regions", () => {
    it("every page is what `npm run docs` writes", () => {
        const stale = renderDocs()
            .filter((page) => page.generated !== page.current)
            .map((page) => path.relative(root, page.file));
        assert.deepStrictEqual(stale, [], "run `npm run docs` and commit the pages it writes");
    });

    it("places every generated region on a page", () => {
        const text = renderDocs()
            .map((page) => page.current)
            .join("\n");
        const missing = Object.keys(generatedRegions()).filter((name) => !text.includes(`<!-- generated:${name} -->`));
        assert.deepStrictEqual(missing, []);
    });

    it("fails a page whose region nothing generates", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "docs-"));
        try {
            fs.writeFileSync(path.join(dir, "x.md"), "<!-- generated:config:nope -->\n<!-- /generated -->\n");
            assert.throws(() => renderDocs(dir), /no generator for region "config:nope"/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("docs: the configuration catalog against the readers", () => {
    let ca: KeyPair;
    let client: KeyPair;
    before(function () {
        this.timeout(30_000);
        ca = makeCa("docs-test-ca");
        client = issue(ca, "authenticator");
    });

    /** File contents the catalog shows as commands (`"$(cat ...)"`) stand for real PEM text here. */
    function withFiles(value: unknown): unknown {
        const files: Record<string, string> = {
            "<PEM CA certificate>": ca.cert,
            "<PEM client certificate>": client.cert,
            "<PEM private key of database.sslCert>": client.key,
        };
        if (typeof value === "string") return files[value] ?? value;
        if (Array.isArray(value)) return value.map(withFiles);
        if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withFiles(v)]));
        return value;
    }

    function exampleConfig(key: ConfigKeyReference): Record<string, unknown> {
        const config = structuredClone(baseConfig(key.cloud ?? "aws"));
        for (const [other, value] of Object.entries(key.with ?? {})) setPath(config, other, withFiles(value));
        setPath(config, key.path, withFiles(key.example));
        return config;
    }

    for (const key of CONFIG_REFERENCE) {
        it(`accepts the example of ${key.path}`, () => {
            assert.deepStrictEqual(problemsOf(exampleConfig(key)), []);
        });
    }

    it("refuses a key the catalog does not name, so the examples above prove something", () => {
        const config = structuredClone(baseConfig("aws"));
        setPath(config, "database.sslMod", "require");
        assert.match(problemsOf(config).join("\n"), /database\.sslMod: unknown key/);
    });

    const PROBE = "zzprobezz";
    /** The object blocks a reader of `cloud` checks for unknown keys: the catalog's objects, and each role's body. */
    function blocksOf(cloud: "aws" | "gcp"): string[] {
        const other = cloud === "aws" ? "gcp" : "aws";
        const objects = CONFIG_REFERENCE.filter((k) => k.type === "object" && k.path.split(".")[0] !== other).map((k) => k.path);
        return [...objects, "api.roles.<role>"];
    }

    /** The database.create engines of each cloud: which keys database.create knows depends on the engine. */
    const ENGINES = { aws: ["rds", "aurora-serverless"], gcp: ["cloud-sql"] } as const;

    /**
     * Block path ("" for the top level) -> the keys its reader knows, read back from its unknown-key problem for a probe
     * key, with database.create of `engine`.
     */
    function knownKeys(cloud: "aws" | "gcp", engine: string): Map<string, string[]> {
        const config = structuredClone(baseConfig(cloud));
        config[PROBE] = 1;
        for (const block of blocksOf(cloud)) setPath(config, `${block}.${PROBE}`, 1);
        setPath(config, "database.create.engine", engine);
        const known = new Map<string, string[]>();
        const unknownKey = new RegExp(`^postgrest:(?:(.+)\\.)?${PROBE}: unknown key[,;] known keys: (.+)\\. Example: `);
        for (const problem of problemsOf(config)) {
            const match = unknownKey.exec(problem);
            if (match) known.set((match[1] ?? "").replace(`.roles.${PLACEHOLDERS["<role>"]}`, ".roles.<role>"), match[2].split(", "));
        }
        return known;
    }

    for (const cloud of ["aws", "gcp"] as const) {
        for (const engine of ENGINES[cloud])
            it(`names exactly the keys each ${cloud} reader knows, block by block, with database.create engine ${engine}`, () => {
                const known = knownKeys(cloud, engine);
                assert.deepStrictEqual([...known.keys()].sort(), ["", ...blocksOf(cloud)].sort(), "blocks that answered the probe");
                for (const [block, keys] of known) {
                    const prefix = block === "" ? "" : `${block}.`;
                    const catalog = CONFIG_REFERENCE.filter((k) => !k.engines || k.engines.includes(engine))
                        .map((k) => k.path)
                        .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes("."))
                        .map((p) => p.slice(prefix.length));
                    assert.deepStrictEqual([...catalog].sort(), [...keys].sort(), `keys of "${block || "top level"}": catalog vs reader`);
                }
            });
    }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const line of markdown.replace(/^```[\s\S]*?^```/gm, "").split("\n")) {
        const heading = /^#{1,6} (.+)$/.exec(line);
        if (!heading) continue;
        const slug = heading[1]
            .toLowerCase()
            .replace(/[^\p{L}\p{N} _-]/gu, "")
            .replace(/ /g, "-");
        const count = seen.get(slug) ?? 0;
        anchors.add(count === 0 ? slug : `${slug}-${count}`);
        seen.set(slug, count + 1);
    }
    return anchors;
}

function withoutCode(markdown: string): string {
    return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

describe("docs: links between the pages", () => {
    const pages = ["README.md", ...fs.readdirSync(DOCS_DIR).map((name) => path.posix.join("docs", name))].filter((file) => file.endsWith(".md"));

    it("keeps the README a front page of at most 250 lines", () => {
        const lines = fs.readFileSync(path.join(root, "README.md"), "utf8").split("\n").length;
        assert.ok(lines <= 250, `README.md has ${lines} lines: move the detail to a page of docs/`);
    });

    it("finds the pages", () => {
        for (const page of ["docs/aws.md", "docs/gcp.md", "docs/configuration.md", "docs/decisions.md"]) assert.ok(pages.includes(page), page);
    });

    for (const page of pages) {
        it(`${page}: every relative link names a file that exists, and a heading of it`, () => {
            const text = fs.readFileSync(path.join(root, page), "utf8");
            const broken: string[] = [];
            for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) continue;
                const [file, anchor] = target.split("#");
                const resolved = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
                if (!fs.existsSync(path.join(root, resolved))) {
                    broken.push(`${target}: no file ${resolved}`);
                    continue;
                }
                if (anchor !== undefined && !anchorsOf(fs.readFileSync(path.join(root, resolved), "utf8")).has(anchor)) {
                    broken.push(`${target}: no heading #${anchor} in ${resolved}`);
                }
            }
            assert.deepStrictEqual(broken, []);
        });
    }

    it("reads anchors as GitHub makes them", () => {
        const anchors = anchorsOf("# A: b, c\n## `service.settings`\n## A: b, c\n```\n# not a heading\n```\n");
        assert.deepStrictEqual([...anchors], ["a-b-c", "servicesettings", "a-b-c-1"]);
    });
});
