/**
 * What a newcomer who brings their own database tries first, each refused (or warned) at preview with the key and the
 * fix rather than failing at `up` or crashing: an admin URL with an unencoded reserved character in its password, an
 * admin URL naming another database than database.name, a table granted outside api.schemas, and database.migrations.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { adminConnectionConfig } from "../../components/model/admin-connection";
import { configWarnings } from "../../components/config";
import { MAX_MIGRATIONS_BYTES, migrationChecksum, transactionStatement } from "../../components/config/migrations";
import { accessProvider } from "../../components/database/provider";
import { apiInputs } from "../../components/database/properties";
import { apiConfig } from "../../testing/databases";
import { ROLES_AND_GRANTS, baseConfig, configProblems, parseStackConfig, runProgram } from "../../testing/harness";

type Config = Record<string, unknown>;
const PROJECT = "postgrest";
const aws = baseConfig("aws");
const PASSWORD = "hunter2-first-contact";
const withAdminUrl = (url: string): Config => ({ ...aws, databaseAdminUrl: url });
const ENCODING_FIX = /encodeURIComponent.*pulumi config set --secret databaseAdminUrl 'postgresql:\/\/USER:ENCODED_PASSWORD@HOST:5432\/DATABASE'/;

describe("first contact: the admin URL", () => {
    const cases: { name: string; url: string; says: RegExp }[] = [
        {
            name: "a # in the password (the rest would be a fragment, the host wrong)",
            url: `postgresql://admin:${PASSWORD}#x@db.example.com:5432/startup`,
            says: /has a password holding a character that must be percent-encoded \(one of @ \/ \? # \[ \] or a space\)/,
        },
        {
            name: "a # right after the colon (a URL that parses, with host 'admin')",
            url: `postgresql://admin:#${PASSWORD}@db.example.com:5432/startup`,
            says: /has a password holding a character that must be percent-encoded/,
        },
        {
            name: "a bare % in the password (a 'URI malformed' crash before)",
            url: `postgresql://admin:${PASSWORD}%zz@db.example.com:5432/startup`,
            says: /has a password holding a % that does not start a percent-encoded byte \(a literal % is written %25\)/,
        },
        {
            name: "a / in the password (not a valid URL, before)",
            url: `postgresql://admin:${PASSWORD}/x@db.example.com:5432/startup`,
            says: /has a password holding a character that must be percent-encoded/,
        },
        {
            name: "a / after digits in the password (a URL that parses, with port and path wrong)",
            url: `postgresql://admin:123/${PASSWORD}@db.example.com:5432/startup`,
            says: /has a password holding a character that must be percent-encoded/,
        },
        {
            name: "an @ in the password",
            url: `postgresql://admin:${PASSWORD}@x@db.example.com:5432/startup`,
            says: /has a password holding a character that must be percent-encoded/,
        },
        {
            name: "percent-encoding that is not UTF-8",
            url: `postgresql://admin:${PASSWORD}%C3%28@db.example.com:5432/startup`,
            says: /has a password whose percent-encoding is not UTF-8/,
        },
        {
            name: "a bare % in the user name",
            url: `postgresql://ad%min:${PASSWORD}@db.example.com:5432/startup`,
            says: /has a user name holding a % that does not start a percent-encoded byte/,
        },
    ];
    for (const bad of cases) {
        it(`refuses ${bad.name}: names databaseAdminUrl and the part, says how to encode, never shows the value`, () => {
            const problems = configProblems(withAdminUrl(bad.url));
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`${PROJECT}:databaseAdminUrl: `), problems[0]);
            assert.match(problems[0], bad.says);
            assert.match(problems[0], ENCODING_FIX);
            assert.ok(!problems[0].includes("hunter2"), problems[0]);
        });

        it(`through the provider: ${bad.name} is explained the same way, before any connection`, async () => {
            const inputs = {
                adminUrl: bad.url,
                adminTls: { sslMode: "require" as const },
                authenticatorPassword: "pw-first-contact",
                ...apiInputs(apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } })),
            };
            await assert.rejects(accessProvider.create(inputs), (error: Error) => {
                assert.match(error.message, /the admin URL \(databaseAdminUrl\) has an? (password|user name) /);
                assert.match(error.message, bad.says);
                assert.match(error.message, ENCODING_FIX);
                assert.ok(!error.message.includes("hunter2"), error.message);
                return true;
            });
        });
    }

    it("accepts the password once encoded with encodeURIComponent, and connects with it decoded", () => {
        const password = `${PASSWORD}#%/?@ x`;
        const url = `postgresql://admin:${encodeURIComponent(password)}@db.example.com:5432/startup`;
        assert.strictEqual(parseStackConfig(withAdminUrl(url)).adminUser, "admin");
        assert.strictEqual(adminConnectionConfig(url, { sslMode: "require" }).password, password);
    });

    it("refuses an admin URL ending in /postgres, naming both databases", () => {
        const problems = configProblems(withAdminUrl(`postgresql://admin:${PASSWORD}@db.example.com:5432/postgres`));
        assert.deepStrictEqual(problems, [
            `${PROJECT}:databaseAdminUrl: connects to the database "postgres", but database.name is "startup": grants and migrations would land in ` +
                `"postgres" while PostgREST serves "startup"; end the URL with /startup. ` +
                `Example: pulumi config set --secret ${PROJECT}:databaseAdminUrl 'postgresql://admin:PASSWORD@db.example.com:5432/startup'`,
        ]);
    });

    it("refuses an admin URL naming no database when the user's name is not database.name (libpq's default)", () => {
        const [problem] = configProblems(withAdminUrl(`postgresql://admin:${PASSWORD}@db.example.com:5432`));
        assert.match(problem, /connects to the database "admin" \(none named: libpq takes the user's name\), but database.name is "startup"/);
    });
});

describe("first contact: a table in a schema PostgREST does not expose", () => {
    const withRoles = (roles: object, schemas = ["api"]) => parseStackConfig({ ...aws, api: { schemas, roles } });
    const cases: { name: string; roles: object; schemas?: string[]; warns: string[] }[] = [
        { name: "a table of the exposed schema", roles: { web_anon: { tables: { "api.trees": ["select"] } } }, warns: [] },
        {
            name: "a table of another schema",
            roles: { web_anon: { tables: { "api.trees": ["select"], "private.trees": ["select"] } } },
            warns: [`${PROJECT}:api.roles.web_anon.tables: private.trees is in schema "private"`],
        },
        {
            name: "columns and a whole schema elsewhere",
            roles: { web_anon: { columns: { "internal.people": { select: ["name"] } }, allTables: { audit: ["select"] } } },
            warns: [
                `${PROJECT}:api.roles.web_anon.columns: internal.people is in schema "internal"`,
                `${PROJECT}:api.roles.web_anon.allTables: every table of audit`,
            ],
        },
        {
            name: "the other schema once exposed",
            roles: { web_anon: { tables: { "private.trees": ["select"] } } },
            schemas: ["api", "private"],
            warns: [],
        },
    ];
    for (const c of cases) {
        it(`${c.warns.length ? "warns about" : "is quiet about"} ${c.name}`, () => {
            const warnings = configWarnings(withRoles(c.roles, c.schemas), PROJECT);
            assert.strictEqual(warnings.length, c.warns.length, warnings.join("\n"));
            c.warns.forEach((start, i) => {
                assert.ok(warnings[i].startsWith(start), warnings[i]);
                assert.match(
                    warnings[i],
                    /which PostgREST does not expose \(postgrest:api\.schemas: \[api\]\), so no request reaches it\. To serve it, add "\w+" to postgrest:api\.schemas/,
                );
            });
        });
    }

    it("the preview prints it (pulumi.log.warn) and deploys anyway", async () => {
        const warnings: string[] = [];
        const original = pulumi.log.warn;
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = async (message: string) => void warnings.push(message);
        try {
            const run = await runProgram({
                config: { ...aws, api: { roles: { web_anon: { tables: { "private.trees": ["select"] } } } } },
                preview: true,
            });
            assert.strictEqual(run.byType(ROLES_AND_GRANTS.type).length, 1);
        } finally {
            (pulumi.log as { warn: typeof pulumi.log.warn }).warn = original;
        }
        assert.ok(
            warnings.some((w) => w.startsWith(`${PROJECT}:api.roles.web_anon.tables: private.trees is in schema "private"`)),
            warnings.join("\n"),
        );
    });
});

describe("first contact: database.migrations", () => {
    const dirs: string[] = [];
    const project = (files: Record<string, string>): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-migrations-"));
        dirs.push(dir);
        for (const [name, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            fs.writeFileSync(path.join(dir, name), text);
        }
        return dir;
    };
    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const parse = (folder: unknown, projectDir: string, extra: Config = {}) =>
        configModule().parseConfig(
            {
                values: Object.fromEntries(
                    Object.entries({ ...aws, database: { ...(aws.database as Config), migrations: folder }, ...extra }).map(([k, v]) => [
                        k,
                        typeof v === "string" ? v : JSON.stringify(v),
                    ]),
                ),
                secretKeys: new Set(["databaseAdminUrl"]),
                namespace: PROJECT,
                provider: {},
                projectDir,
            },
            new Date(),
        );
    const problemsOf = (folder: unknown, projectDir: string, extra: Config = {}): readonly string[] => {
        try {
            parse(folder, projectDir, extra);
        } catch (error) {
            return (error as { problems: readonly string[] }).problems;
        }
        throw new Error("expected the config to be refused");
    };

    it("reads the .sql files in file-name order, leaving other files and folders alone", () => {
        const dir = project({ "db/010-b.sql": "select 2;", "db/002-a.sql": "select 1;", "db/README.md": "notes", "db/old/001-x.sql": "x" });
        assert.deepStrictEqual(parse("db", dir).database.migrations, {
            path: "db",
            files: [
                { name: "002-a.sql", sql: "select 1;" },
                { name: "010-b.sql", sql: "select 2;" },
            ],
        });
    });

    it("reads the repository's own migrations/ (the trees example), relative to the project", () => {
        const files = parse("migrations", path.resolve(__dirname, "../..")).database.migrations!.files;
        assert.deepStrictEqual(
            files.map((f) => f.name),
            ["001-trees.sql"],
        );
        assert.match(migrationChecksum(files[0].sql), /^sha256:[0-9a-f]{64}$/);
    });

    const refused: { name: string; folder: unknown; files?: Record<string, string>; extra?: Config; key: string; says: RegExp }[] = [
        {
            name: "a folder that does not exist",
            folder: "nowhere",
            key: "database.migrations",
            says: /names the folder nowhere, which does not exist in /,
        },
        {
            name: "a folder without .sql files",
            folder: "db",
            files: { "db/notes.txt": "x" },
            key: "database.migrations",
            says: /holds no \.sql file/,
        },
        {
            name: "an absolute path",
            folder: "/etc",
            key: "database.migrations",
            says: /must be a folder inside the project, relative to Pulumi\.yaml/,
        },
        { name: "a path out of the project", folder: "../db", key: "database.migrations", says: /must be a folder inside the project/ },
        { name: "not a string", folder: ["db"], key: "database.migrations", says: /must be a non-empty string, got a list/ },
        {
            name: "more SQL than a request and the state should carry",
            folder: "db",
            files: { "db/001-big.sql": `-- ${"x".repeat(MAX_MIGRATIONS_BYTES)}` },
            key: "database.migrations",
            says: /holds 1048579 bytes of SQL, more than 1048576: the files travel in the deployment's state and in each in-network request/,
        },
        {
            name: "the record's schema exposed by PostgREST",
            folder: "db",
            files: { "db/001.sql": "select 1;" },
            extra: { api: { schemas: ["api", "postgrest_migrations"], roles: { web_anon: { tables: { "api.trees": ["select"] } } } } },
            key: "api.schemas",
            says: /"postgrest_migrations" records which database\.migrations were applied and must stay out of the API/,
        },
    ];
    for (const bad of refused) {
        it(`refuses ${bad.name}, naming ${bad.key}`, () => {
            const problems = problemsOf(bad.folder, project(bad.files ?? {}), bad.extra);
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`${PROJECT}:${bad.key}`), problems[0]);
            assert.match(problems[0], bad.says);
        });
    }

    const transactionCases: { name: string; sql: string; found?: { statement: string; line: number } }[] = [
        { name: "a file wrapped in BEGIN/COMMIT", sql: "BEGIN;\ncreate table t (id int);\nCOMMIT;\n", found: { statement: "BEGIN", line: 1 } },
        { name: "a COMMIT at the end", sql: "create table t (id int);\n\n  commit;", found: { statement: "COMMIT", line: 3 } },
        { name: "START TRANSACTION", sql: "start transaction;", found: { statement: "START", line: 1 } },
        { name: "ROLLBACK", sql: "select 1;\nrollback;", found: { statement: "ROLLBACK", line: 2 } },
        { name: "END after a comment", sql: "select 1; /* done */ END;", found: { statement: "END", line: 1 } },
        { name: "PREPARE TRANSACTION", sql: "prepare transaction 'x';", found: { statement: "PREPARE", line: 1 } },
        { name: "a plpgsql body's BEGIN and END", sql: "create function f() returns int language plpgsql as $$\nbegin\n  return 1;\nend;\n$$;\n" },
        {
            name: "a tagged dollar body with COMMIT in a procedure",
            sql: "create procedure p() language plpgsql as $body$\nbegin\n  commit;\nend\n$body$;",
        },
        {
            name: "a SQL-standard body (BEGIN ATOMIC ... END)",
            sql: "create function g() returns int language sql\nbegin atomic\n  select 1;\n  select 2;\nend;\nselect g();",
        },
        { name: "the words in strings, identifiers and comments", sql: "-- commit;\nselect 'commit;', E'it\\'s; commit', \"end\";\n/* rollback; */" },
        { name: "ROLLBACK TO SAVEPOINT and PREPARE ... AS", sql: "savepoint s; rollback to savepoint s; prepare q as select 1;" },
    ];
    for (const c of transactionCases) {
        it(`${c.found ? "finds" : "leaves alone"} ${c.name}`, () => assert.deepStrictEqual(transactionStatement(c.sql), c.found));
    }

    it("refuses a file that ends the one transaction, naming the file, the statement and the line", () => {
        const problems = problemsOf("db", project({ "db/001-a.sql": "select 1;", "db/002-b.sql": "BEGIN;\nselect 2;\nCOMMIT;\n" }));
        assert.deepStrictEqual(problems, [
            `${PROJECT}:database.migrations: 002-b.sql holds BEGIN at line 1: every file runs inside the one transaction that also applies roles and grants, ` +
                "and must not begin, end or roll it back; remove it. Example: migrations: migrations (a folder next to Pulumi.yaml holding 001-trees.sql, 002-...)",
        ]);
    });

    it("the program hands the files to the roles-and-grants resource: names and checksums shown, texts internal", async () => {
        const run = await runProgram({ config: { ...aws, database: { ...(aws.database as Config), migrations: "migrations" } }, preview: true });
        const inputs = run.byType(ROLES_AND_GRANTS.type)[0].inputs;
        const text = fs.readFileSync(path.resolve(__dirname, "../../migrations/001-trees.sql"), "utf8");
        assert.deepStrictEqual(inputs.migrations, { "001-trees.sql": migrationChecksum(text) });
        assert.deepStrictEqual(inputs.__migrations, [{ name: "001-trees.sql", sql: text }]);
    });
});

function configModule(): typeof import("../../components/config") {
    return require("../../components/config");
}
