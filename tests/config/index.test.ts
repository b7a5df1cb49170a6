import * as assert from "assert";
import { baseConfig, configProblems as problemsOf, expectConfigError, parseStackConfig as parse } from "../../testing/harness";

type Config = Record<string, unknown>;

const aws = baseConfig("aws");
const withApi = (api: Config): Config => ({ ...aws, api });
const withRoles = (roles: Config): Config => withApi({ roles });
const withService = (service: Config): Config => ({ ...aws, service: { maxInstances: 2, ...service } });
const withDatabase = (database: Config): Config => ({ ...aws, database: { host: "db.example.com", name: "startup", ...database } });

/**
 * Each bad config, and the key and words its one problem must name. The
 * message also has to show a right value ("Example:").
 */
const badConfigs: { name: string; config: Config; secretKeys?: string[]; key: string; says: RegExp }[] = [
    { name: "unknown cloud", config: { ...aws, cloud: "azure" }, key: "postgrest:cloud", says: /"azure" is not one of aws, gcp/ },
    { name: "missing cloud", config: { ...aws, cloud: undefined }, key: "postgrest:cloud", says: /is required/ },
    { name: "production not a boolean", config: { ...aws, production: "yes" }, key: "postgrest:production", says: /"yes" is not a boolean/ },
    { name: "top-level typo", config: { ...aws, databse: { host: "x" } }, key: "postgrest:databse", says: /did you mean "database"/ },
    {
        name: "nested typo in api",
        config: withApi({ anonrole: "web_anon", roles: { web_anon: {} } }),
        key: "postgrest:api.anonrole",
        says: /did you mean "anonRole"/,
    },
    { name: "missing database", config: { ...aws, database: undefined }, key: "postgrest:database", says: /is required/ },
    {
        name: "both databaseAdminUrl and database.adminSecret",
        config: withDatabase({ adminSecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf" }),
        key: "postgrest:databaseAdminUrl",
        says: /and postgrest:database.adminSecret are both set/,
    },
    {
        name: "an adminSecret that is no Secrets Manager ARN on AWS",
        config: { ...withDatabase({ adminSecret: "projects/p/secrets/s" }), databaseAdminUrl: undefined },
        key: "postgrest:database.adminSecret",
        says: /must be a Secrets Manager secret ARN/,
    },
    {
        name: "an adminSecret that is no Secret Manager secret on GCP",
        config: {
            ...baseConfig("gcp"),
            database: { host: "db.example.com", name: "startup", adminSecret: "projects/p/secrets/s/versions/0" },
            databaseAdminUrl: undefined,
        },
        key: "postgrest:database.adminSecret",
        says: /must be a Secret Manager secret: projects\/PROJECT\/secrets\/SECRET/,
    },
    {
        name: "rotation generation negative",
        config: withApi({ rotation: { generation: -1 }, roles: { web_anon: {} } }),
        key: "postgrest:api.rotation.generation",
        says: /must be at least 0, got -1/,
    },
    {
        name: "rotation everyDays not whole",
        config: withApi({ rotation: { everyDays: 1.5 }, roles: { web_anon: {} } }),
        key: "postgrest:api.rotation.everyDays",
        says: /must be a whole number/,
    },
    {
        name: "rotation everyDays zero",
        config: withApi({ rotation: { everyDays: 0 }, roles: { web_anon: {} } }),
        key: "postgrest:api.rotation.everyDays",
        says: /must be at least 1/,
    },
    {
        name: "rotation key typo",
        config: withApi({ rotation: { everydays: 30 }, roles: { web_anon: {} } }),
        key: "postgrest:api.rotation.everydays",
        says: /did you mean "everyDays"/,
    },
    {
        name: "rotation's second login role taken by an API role",
        config: withApi({ rotation: {}, roles: { web_anon: {}, authenticator_b: {} } }),
        key: "postgrest:api.rotation",
        says: /needs the role name "authenticator_b" for the second login role/,
    },
    {
        name: "rotation's second login role is the admin user",
        config: {
            ...withApi({ rotation: {}, authenticatorRole: "adm", roles: { web_anon: {} } }),
            databaseAdminUrl: "postgresql://adm_b:pw@db.example.com/startup",
        },
        key: "postgrest:api.rotation",
        says: /makes "adm_b", the user of postgrest:databaseAdminUrl, the second login role/,
    },
    {
        name: "rotation's second login role name too long",
        config: withApi({ rotation: {}, authenticatorRole: "a".repeat(62), roles: { web_anon: {} } }),
        key: "postgrest:api.rotation",
        says: /the second login role "a{62}_b" cannot be made: is 64 bytes long/,
    },
    { name: "database host missing", config: { ...aws, database: { name: "startup" } }, key: "postgrest:database.host", says: /is required/ },
    { name: "database port ill-typed", config: withDatabase({ port: "fivefour" }), key: "postgrest:database.port", says: /must be a whole number/ },
    { name: "database port out of range", config: withDatabase({ port: 70000 }), key: "postgrest:database.port", says: /between 1 and 65535/ },
    {
        name: "database host given as a URL",
        config: withDatabase({ host: "postgres://db.example.com" }),
        key: "postgrest:database.host",
        says: /not a URL/,
    },
    {
        name: "invalid sslMode",
        config: withDatabase({ sslMode: "requre" }),
        key: "postgrest:database.sslMode",
        says: /"requre" is not one of disable, require, verify-ca, verify-full/,
    },
    { name: "database name too long", config: withDatabase({ name: "d".repeat(64) }), key: "postgrest:database.name", says: /64 bytes long/ },
    { name: "admin URL missing", config: { ...aws, databaseAdminUrl: undefined }, key: "postgrest:databaseAdminUrl", says: /is required/ },
    { name: "admin URL not secret", config: aws, secretKeys: [], key: "postgrest:databaseAdminUrl", says: /must be set as a secret/ },
    {
        name: "admin URL of another scheme",
        config: { ...aws, databaseAdminUrl: "mysql://root:pw@db/startup" },
        key: "postgrest:databaseAdminUrl",
        says: /must start with postgresql:\/\//,
    },
    { name: "api missing", config: { ...aws, api: undefined }, key: "postgrest:api", says: /is required/ },
    {
        name: "anonRole not among the roles",
        config: withApi({ anonRole: "anon", roles: { web_anon: {} } }),
        key: "postgrest:api.anonRole",
        says: /"anon" is not among postgrest:api.roles \(web_anon\)/,
    },
    {
        name: "reserved role name",
        config: withRoles({ web_anon: {}, pg_reader: {} }),
        key: "postgrest:api.roles.pg_reader",
        says: /reserves for system roles/,
    },
    { name: "role name PUBLIC", config: withRoles({ web_anon: {}, public: {} }), key: "postgrest:api.roles.public", says: /reserved role name/ },
    {
        name: "role name too long",
        config: withRoles({ web_anon: {}, ["r".repeat(70)]: {} }),
        key: `postgrest:api.roles.${"r".repeat(70)}`,
        says: /truncates identifiers to 63 bytes/,
    },
    {
        name: "schema name PostgreSQL reserves",
        config: withApi({ schemas: ["pg_api"], roles: { web_anon: {} } }),
        key: "postgrest:api.schemas[0]",
        says: /reserves for system schemas/,
    },
    {
        name: "misspelled privilege",
        config: withRoles({ web_anon: { tables: { "api.trees": ["selec"] } } }),
        key: "postgrest:api.roles.web_anon.tables.api.trees",
        says: /"selec" is not a privilege on a table or view/,
    },
    {
        name: "EXECUTE on a table",
        config: withRoles({ web_anon: { tables: { "api.trees": ["EXECUTE"] } } }),
        key: "postgrest:api.roles.web_anon.tables.api.trees",
        says: /"EXECUTE" is not a privilege on a table or view; use select, insert/,
    },
    {
        name: "INSERT on a function",
        config: withRoles({ web_anon: { functions: { "api.login(text)": ["insert"] } } }),
        key: "postgrest:api.roles.web_anon.functions.api.login(text)",
        says: /"insert" is not a privilege on a function; use execute/,
    },
    {
        name: "unqualified table name",
        config: withRoles({ web_anon: { tables: { trees: ["select"] } } }),
        key: "postgrest:api.roles.web_anon.tables.trees",
        says: /must be schema-qualified/,
    },
    {
        name: "unknown role key",
        config: withRoles({ web_anon: { table: { "api.trees": ["select"] } } }),
        key: "postgrest:api.roles.web_anon.table",
        says: /did you mean "tables"/,
    },
    {
        name: "authenticator declared as an API role",
        config: withRoles({ web_anon: {}, authenticator: {} }),
        key: "postgrest:api.roles.authenticator",
        says: /must not be an API role/,
    },
    {
        name: "jwtSecret too short",
        config: { ...aws, jwtSecret: "short-secret" },
        key: "postgrest:jwtSecret",
        says: /is 12 characters; PostgREST needs at least 32/,
    },
    {
        name: "jwtSecret not secret",
        config: { ...aws, jwtSecret: "x".repeat(40) },
        secretKeys: ["databaseAdminUrl"],
        key: "postgrest:jwtSecret",
        says: /must be set as a secret/,
    },
    { name: "missing service", config: { ...aws, service: undefined }, key: "postgrest:service", says: /service.maxInstances, which protects/ },
    { name: "maxInstances missing", config: { ...aws, service: { dbPool: 5 } }, key: "postgrest:service.maxInstances", says: /is required/ },
    {
        name: "min above max",
        config: withService({ minInstances: 3, maxInstances: 2 }),
        key: "postgrest:service.minInstances",
        says: /must not exceed maxInstances/,
    },
    {
        name: "image not pinned",
        config: withService({ image: "postgrest/postgrest:latest" }),
        key: "postgrest:service.image",
        says: /moving tag "latest"/,
    },
    { name: "image without a tag", config: withService({ image: "postgrest/postgrest" }), key: "postgrest:service.image", says: /has no tag/ },
    {
        name: "invalid log level",
        config: withService({ logLevel: "verbose" }),
        key: "postgrest:service.logLevel",
        says: /not one of crit, error, warn, info, debug/,
    },
    {
        name: "JSPath claim key on PostgREST v16",
        config: withApi({ jwtRoleClaimKey: ".role", roles: { web_anon: {} } }),
        key: "postgrest:api.jwtRoleClaimKey",
        says: /JSON Path starting with "\$".*write "\$\.role"/,
    },
    {
        name: "JSON Path claim key on PostgREST v12",
        config: {
            ...withApi({ jwtRoleClaimKey: "$.role", roles: { web_anon: {} } }),
            service: { maxInstances: 2, image: "postgrest/postgrest:v12.2.12" },
        },
        key: "postgrest:api.jwtRoleClaimKey",
        says: /JSPath starting with "\."; write "\.role"/,
    },
    {
        name: "connection budget exceeded",
        config: { ...withDatabase({ maxConnections: 40 }), service: { maxInstances: 2, dbPool: 10 } },
        key: "postgrest:service.dbPool",
        // AWS rolling deploys can run 2 x 2 tasks, each with 10 pool + 1 LISTEN connections.
        says: /up to 4 instances at once × 11 connections \(dbPool 10 \+ 1 LISTEN\) = 44, more than database.maxConnections \(40\).*Example: dbPool: 9/,
    },
];

describe("config validation", () => {
    for (const bad of badConfigs) {
        it(`refuses ${bad.name}, naming ${bad.key}`, () => {
            const problems = problemsOf(bad.config, bad.secretKeys);
            assert.strictEqual(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
            assert.ok(problems[0].startsWith(`${bad.key}: `), problems[0]);
            assert.match(problems[0], bad.says);
            assert.match(problems[0], /Example: \S/);
        });
    }

    it("lists every problem at once", () => {
        const problems = problemsOf({ ...withDatabase({ sslMode: "nope", port: 0 }), cloud: "azure", jwtSecret: "short" });
        assert.deepStrictEqual(
            problems.map((p) => p.split(":").slice(0, 2).join(":")),
            ["postgrest:cloud", "postgrest:database.port", "postgrest:database.sslMode", "postgrest:jwtSecret"],
        );
    });

    it("never echoes the admin URL or its password in an error", () => {
        const url = "postgresql://admin:hunter2-very-secret@db.example.com:5432/startup";
        const problems = problemsOf({ ...aws, databaseAdminUrl: url }, []);
        assert.ok(
            problems.every((p) => !p.includes("hunter2")),
            problems.join("\n"),
        );
        const notAUrl = problemsOf({ ...aws, databaseAdminUrl: "hunter2-very-secret" });
        assert.ok(
            notAUrl.every((p) => !p.includes("hunter2")),
            notAUrl.join("\n"),
        );
    });

    it("refuses bad config before registering any resource", async () => {
        for (const bad of badConfigs.slice(0, 3).concat(badConfigs.slice(-3))) {
            const { message, resources } = await expectConfigError(bad.config, { secretKeys: bad.secretKeys });
            assert.match(message, /Invalid stack config/);
            assert.deepStrictEqual(resources, [], `${bad.name} registered resources`);
        }
    });
});

describe("config defaults", () => {
    it("fills every default in code", () => {
        const config = parse(aws);
        assert.deepStrictEqual(config.database, {
            host: "db.example.com",
            port: 5432,
            name: "startup",
            sslMode: "require",
            maxConnections: undefined,
            adminAccess: "direct",
            retainOnDelete: false,
        });
        assert.deepStrictEqual(
            { schemas: config.api.schemas, anon: config.api.anonRole, auth: config.api.authenticatorRole, claim: config.api.jwtRoleClaimKey },
            { schemas: ["api"], anon: "web_anon", auth: "authenticator", claim: "$.role" },
        );
        assert.strictEqual(config.service.image, "postgrest/postgrest:v16.2");
        assert.strictEqual(config.service.postgrestMajor, 16);
        assert.strictEqual(config.adminUser, "admin");
    });

    it("reads database.adminSecret instead of databaseAdminUrl, on either cloud", () => {
        const aws = parse({
            ...withDatabase({ adminSecret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf" }),
            databaseAdminUrl: undefined,
        });
        assert.deepStrictEqual(
            [aws.database.adminSecret, aws.databaseAdminUrl, aws.adminUser],
            ["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf", undefined, undefined],
        );
        for (const secret of [
            "projects/p/secrets/db-admin",
            "projects/p/secrets/db-admin/versions/latest",
            "projects/p/secrets/db-admin/versions/3",
        ]) {
            const gcp = parse({
                ...baseConfig("gcp"),
                database: { host: "db.example.com", name: "startup", adminSecret: secret },
                databaseAdminUrl: undefined,
            });
            assert.strictEqual(gcp.database.adminSecret, secret);
        }
    });

    it("reads api.rotation: generation defaults to 0, everyDays is optional, and without the block there is no rotation", () => {
        const rotation = (block: Config | undefined) => parse(withApi({ ...(block && { rotation: block }), roles: { web_anon: {} } })).api.rotation;
        assert.deepStrictEqual(
            [rotation(undefined), rotation({}), rotation({ generation: "2", everyDays: 30 })],
            [undefined, { generation: 0 }, { generation: 2, everyDays: 30 }],
        );
    });

    it("uses each cloud's own size and scaling defaults", () => {
        const onAws = parse(aws).service;
        const onGcp = parse(baseConfig("gcp")).service;
        assert.deepStrictEqual([onAws.cpu, onAws.memory, onAws.minInstances], [0.25, 512, 1]);
        assert.deepStrictEqual([onGcp.cpu, onGcp.memory, onGcp.minInstances], [1, 512, 0]);
    });

    it("defaults the JWT role claim key to the syntax of the image's PostgREST", () => {
        const v12 = parse({ ...aws, service: { maxInstances: 1, image: "registry.example.com/postgrest:v12.2.1-cloudrun", postgrestVersion: 12 } });
        assert.strictEqual(v12.api.jwtRoleClaimKey, ".role");
    });

    it("accepts numbers and booleans given as text by `pulumi config set`", () => {
        const config = parse({ ...withDatabase({ port: "6543" }), service: { maxInstances: "3", dbChannelEnabled: "false" } });
        assert.strictEqual(config.database.port, 6543);
        assert.strictEqual(config.service.maxInstances, 3);
        assert.strictEqual(config.service.dbChannelEnabled, false);
    });

    it("marks a stack production only when postgrest:production is true (a YAML boolean, or its text from `pulumi config set`)", () => {
        assert.deepStrictEqual(
            [undefined, false, "false", true, "true"].map((production) => parse({ ...aws, production }).production),
            [false, false, false, true, true],
        );
    });

    it("accepts a JWK as jwtSecret whatever its length", () => {
        const jwk = JSON.stringify({ kty: "oct", k: "c2VjcmV0" });
        assert.strictEqual(parse({ ...aws, jwtSecret: jwk }).jwtSecret, jwk);
    });
});

describe("the api vocabulary", () => {
    it("expresses the trees example's setup in a few lines", () => {
        const config = parse(aws);
        assert.deepStrictEqual(config.api.roles, [
            {
                name: "web_anon",
                memberOf: [],
                tables: [{ target: { schema: "api", name: "trees" }, privileges: ["select"] }],
                columns: [],
                sequences: [],
                functions: [],
                allTables: [],
                allSequences: [],
                allFunctions: [],
                defaultPrivileges: [],
            },
        ]);
    });

    it("normalizes every kind of grant", () => {
        const config = parse(
            withRoles({
                web_anon: { tables: { "api.trees": ["SELECT"] } },
                todo_user: {
                    memberOf: ["web_anon"],
                    tables: { 'api."Todo Items"': ["all"] },
                    columns: { "api.users": { select: ["id", "name"], UPDATE: ["name"] } },
                    sequences: { "api.todos_id_seq": ["usage"] },
                    functions: { "api.login(text,  text)": ["execute"], "api.ping": ["execute"] },
                    allTables: { api: ["select"] },
                    defaultPrivileges: { tables: { api: ["select", "insert"] }, functions: { api: ["execute"] } },
                },
            }),
        );
        const todo = config.api.roles[1];
        assert.deepStrictEqual(todo.memberOf, ["web_anon"]);
        assert.deepStrictEqual(todo.tables[0], {
            target: { schema: "api", name: "Todo Items" },
            privileges: ["select", "insert", "update", "delete", "truncate", "references", "trigger"],
        });
        assert.deepStrictEqual(todo.columns, [
            { target: { schema: "api", name: "users" }, privilege: "select", columns: ["id", "name"] },
            { target: { schema: "api", name: "users" }, privilege: "update", columns: ["name"] },
        ]);
        assert.deepStrictEqual(
            todo.functions.map((f) => f.target),
            [
                { schema: "api", name: "login", args: ["text", "text"] },
                { schema: "api", name: "ping" },
            ],
        );
        assert.deepStrictEqual(todo.defaultPrivileges, [
            { kind: "tables", schema: "api", privileges: ["select", "insert"] },
            { kind: "functions", schema: "api", privileges: ["execute"] },
        ]);
    });

    it("keeps injection-shaped names as data: they are valid quoted identifiers", () => {
        const name = 'x"; DROP TABLE api.trees; --';
        const config = parse(withRoles({ web_anon: {}, [name]: { tables: { "api.trees": ["select"] } } }));
        assert.strictEqual(config.api.roles[1].name, name);
    });
});
