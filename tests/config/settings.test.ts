import * as assert from "assert";
import { settingsEnvironment } from "../../components/model/postgrest-settings";
import { postgrestEnvironment } from "../../components/postgrest/settings";
import { baseConfig, configProblems as problemsOf, parseStackConfig as parse } from "../../testing/harness";

type Config = Record<string, unknown>;

const withSettings = (settings: unknown, image?: string, others: Config = {}): Config => ({
    ...baseConfig("aws"),
    ...others,
    service: { maxInstances: 2, settings, ...(image ? { image } : {}) },
});

const V12 = "postgrest/postgrest:v12.2.12";
const V14 = "postgrest/postgrest:v14.17";

const bad: { name: string; settings: unknown; image?: string; key: string; says: RegExp }[] = [
    { name: "not a map", settings: ["db-max-rows=1000"], key: "postgrest:service.settings", says: /must be a map of PostgREST setting names/ },
    {
        name: "typo",
        settings: { "db-max-row": 1000 },
        key: "postgrest:service.settings.db-max-row",
        says: /not a PostgREST v16 setting, did you mean "db-max-rows"/,
    },
    {
        name: "environment variable spelling",
        settings: { PGRST_DB_MAX_ROWS: 1000 },
        key: "postgrest:service.settings.PGRST_DB_MAX_ROWS",
        says: /not a PostgREST v16 setting/,
    },
    {
        name: "typo of an owned setting",
        settings: { "db-schema-s": "api" },
        key: "postgrest:service.settings.db-schema-s",
        says: /did you mean "db-schemas"/,
    },
    {
        name: "db-uri",
        settings: { "db-uri": "postgresql://x" },
        key: "postgrest:service.settings.db-uri",
        says: /is set by the program; use database/,
    },
    { name: "db-schemas", settings: { "db-schemas": "api,public" }, key: "postgrest:service.settings.db-schemas", says: /use api\.schemas/ },
    { name: "db-anon-role", settings: { "db-anon-role": "anon" }, key: "postgrest:service.settings.db-anon-role", says: /use api\.anonRole/ },
    { name: "jwt-secret", settings: { "jwt-secret": "x".repeat(40) }, key: "postgrest:service.settings.jwt-secret", says: /use jwtSecret/ },
    {
        name: "jwt-role-claim-key",
        settings: { "jwt-role-claim-key": "$.role" },
        key: "postgrest:service.settings.jwt-role-claim-key",
        says: /use api\.jwtRoleClaimKey/,
    },
    { name: "db-pool", settings: { "db-pool": 20 }, key: "postgrest:service.settings.db-pool", says: /use service\.dbPool/ },
    {
        name: "db-channel-enabled",
        settings: { "db-channel-enabled": false },
        key: "postgrest:service.settings.db-channel-enabled",
        says: /use service\.dbChannelEnabled/,
    },
    { name: "log-level", settings: { "log-level": "info" }, key: "postgrest:service.settings.log-level", says: /use service\.logLevel/ },
    {
        name: "server-port",
        settings: { "server-port": 8080 },
        key: "postgrest:service.settings.server-port",
        says: /set by the program; use the program \(3000/,
    },
    {
        name: "admin-server-port",
        settings: { "admin-server-port": 9000 },
        key: "postgrest:service.settings.admin-server-port",
        says: /health checks use it/,
    },
    {
        name: "openapi-server-proxy-uri",
        settings: { "openapi-server-proxy-uri": "https://x.example.com" },
        key: "postgrest:service.settings.openapi-server-proxy-uri",
        says: /aws\.domainName or gcp\.loadBalancer/,
    },
    {
        name: "alias of an owned setting",
        settings: { "role-claim-key": ".role" },
        key: "postgrest:service.settings.role-claim-key",
        says: /old name of jwt-role-claim-key, which the program sets/,
    },
    { name: "alias", settings: { "max-rows": 100 }, key: "postgrest:service.settings.max-rows", says: /old name of db-max-rows/ },
    {
        name: "v12 /config endpoint",
        settings: { "admin-server-config-enabled": true },
        image: V12,
        key: "postgrest:service.settings.admin-server-config-enabled",
        says: /secrets included/,
    },
    {
        name: "secret-looking app setting",
        settings: { "app.settings.jwt_secret": "abc" },
        key: "postgrest:service.settings.app.settings.jwt_secret",
        says: /looks like a secret/,
    },
    {
        name: "api key app setting",
        settings: { "app.settings.stripe_api_key": "sk_live" },
        key: "postgrest:service.settings.app.settings.stripe_api_key",
        says: /looks like a secret/,
    },
    {
        name: "app setting name with a dash",
        settings: { "app.settings.my-tenant": "acme" },
        key: "postgrest:service.settings.app.settings.my-tenant",
        says: /not an app setting name/,
    },
    {
        name: "integer as words",
        settings: { "db-max-rows": "a thousand" },
        key: "postgrest:service.settings.db-max-rows",
        says: /whole number of at least 1, got "a thousand"/,
    },
    {
        name: "fractional integer",
        settings: { "db-pool-acquisition-timeout": 2.5 },
        key: "postgrest:service.settings.db-pool-acquisition-timeout",
        says: /whole number/,
    },
    { name: "zero rows", settings: { "db-max-rows": 0 }, key: "postgrest:service.settings.db-max-rows", says: /at least 1, got 0/ },
    {
        name: "boolean as yes",
        settings: { "db-prepared-statements": "no" },
        key: "postgrest:service.settings.db-prepared-statements",
        says: /must be true or false, got "no"/,
    },
    {
        name: "unknown openapi-mode",
        settings: { "openapi-mode": "off" },
        key: "postgrest:service.settings.openapi-mode",
        says: /"off" is not one of follow-privileges, ignore-privileges, disabled/,
    },
    {
        name: "unknown db-tx-end",
        settings: { "db-tx-end": "abort" },
        key: "postgrest:service.settings.db-tx-end",
        says: /not one of commit, commit-allow-override/,
    },
    {
        name: "CORS origin with a path",
        settings: { "server-cors-allowed-origins": ["https://app.example.com/"] },
        key: "postgrest:service.settings.server-cors-allowed-origins",
        says: /not an origin/,
    },
    {
        name: "CORS origin with a comma inside",
        settings: { "server-cors-allowed-origins": ["https://a.example.com,https://b.example.com"] },
        key: "postgrest:service.settings.server-cors-allowed-origins",
        says: /contains ",", where PostgREST would split it/,
    },
    {
        name: "search path schema PostgreSQL reserves",
        settings: { "db-extra-search-path": "public, pg_ext" },
        key: "postgrest:service.settings.db-extra-search-path",
        says: /reserves for system schemas/,
    },
    {
        name: "pre-request with arguments",
        settings: { "db-pre-request": "api.check(1)" },
        key: "postgrest:service.settings.db-pre-request",
        says: /not a function name/,
    },
    {
        name: "jwt-aud with a colon and a space",
        settings: { "jwt-aud": "urn: my api" },
        key: "postgrest:service.settings.jwt-aud",
        says: /requires a URI/,
    },
    {
        name: "trace header with a space",
        settings: { "server-trace-header": "X Request" },
        key: "postgrest:service.settings.server-trace-header",
        says: /not an HTTP header name/,
    },
    {
        name: "v16 setting on v14",
        settings: { "client-error-verbosity": "minimal" },
        image: V14,
        key: "postgrest:service.settings.client-error-verbosity",
        says: /read by PostgREST since v16, and service.image pins v14/,
    },
    {
        name: "v13 setting on v16",
        settings: { "jwt-cache-max-lifetime": 3600 },
        key: "postgrest:service.settings.jwt-cache-max-lifetime",
        says: /up to v13.*v16 reads jwt-cache-max-entries/,
    },
    {
        name: "v14 setting on v12",
        settings: { "jwt-cache-max-entries": 100 },
        image: V12,
        key: "postgrest:service.settings.jwt-cache-max-entries",
        says: /since v14.*v12 reads jwt-cache-max-lifetime/,
    },
    { name: "log-query on v12", settings: { "log-query": "main-query" }, image: V12, key: "postgrest:service.settings.log-query", says: /since v13/ },
    {
        name: "log-query v13 value on v16",
        settings: { "log-query": "main-query" },
        key: "postgrest:service.settings.log-query",
        says: /must be true or false/,
    },
    {
        name: "CORS origin *",
        settings: { "server-cors-allowed-origins": "*" },
        key: "postgrest:service.settings.server-cors-allowed-origins",
        says: /leave server-cors-allowed-origins unset, and PostgREST accepts CORS requests from any origin/,
    },
    {
        name: "search path schema with a comma",
        settings: { "db-extra-search-path": ["a,b"] },
        key: "postgrest:service.settings.db-extra-search-path",
        says: /contains ","/,
    },
    {
        name: "settings on a release older than the catalog",
        settings: { "db-max-rows": 1000 },
        image: "postgrest/postgrest:v11.2.2",
        key: "postgrest:service.settings",
        says: /checked against PostgREST v12 to v16, and service.image pins v11/,
    },
    {
        name: "base64 with a generated secret",
        settings: { "jwt-secret-is-base64": true },
        key: "postgrest:service.settings.jwt-secret-is-base64",
        says: /jwtSecret is generated/,
    },
];

describe("service.settings", () => {
    for (const c of bad) {
        it(`refuses ${c.name}, naming ${c.key}`, () => {
            const problems = problemsOf(withSettings(c.settings, c.image));
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.ok(problems[0].startsWith(`${c.key}: `), problems[0]);
            assert.match(problems[0], c.says);
            assert.match(problems[0], /Example: /);
        });
    }

    it("refuses a base64 flag on a jwtSecret that is not base64, without echoing the secret", () => {
        const secret = "not base64 at all, and long enough: 0123456789";
        const problems = problemsOf(withSettings({ "jwt-secret-is-base64": true }, undefined, { jwtSecret: secret }));
        assert.strictEqual(problems.length, 1);
        assert.match(problems[0], /^postgrest:service\.settings\.jwt-secret-is-base64: .*not base64/);
        assert.ok(!problems[0].includes(secret));
    });

    it("passes every setting as the PGRST_* variable PostgREST reads, values as PostgREST parses them", () => {
        const config = parse(
            withSettings(
                {
                    "db-max-rows": "1000",
                    "db-prepared-statements": false,
                    "jwt-aud": "https://api.example.com",
                    "server-cors-allowed-origins": ["https://app.example.com", "http://localhost:5173"],
                    "db-extra-search-path": "public, extensions",
                    "db-pre-request": "api.check_request",
                    "openapi-mode": "disabled",
                    "server-timing-enabled": "true",
                    "app.settings.tenant": "acme",
                    "jwt-secret-is-base64": true,
                },
                undefined,
                { jwtSecret: Buffer.alloc(48, 7).toString("base64") },
            ),
        );
        const env = postgrestEnvironment(config.api, config.service);
        assert.deepStrictEqual(settingsEnvironment(config.service.settings), {
            PGRST_DB_MAX_ROWS: "1000",
            PGRST_DB_PREPARED_STATEMENTS: "false",
            PGRST_JWT_AUD: "https://api.example.com",
            PGRST_SERVER_CORS_ALLOWED_ORIGINS: "https://app.example.com,http://localhost:5173",
            PGRST_DB_EXTRA_SEARCH_PATH: "public,extensions",
            PGRST_DB_PRE_REQUEST: "api.check_request",
            PGRST_OPENAPI_MODE: "disabled",
            PGRST_SERVER_TIMING_ENABLED: "true",
            PGRST_APP_SETTINGS_TENANT: "acme",
            PGRST_JWT_SECRET_IS_BASE64: "true",
        });
        assert.strictEqual(env.PGRST_DB_MAX_ROWS, "1000");
        assert.strictEqual(env.PGRST_DB_SCHEMAS, "api");
    });

    it("reads the settings of the pinned major: log-query is an enum on v13, a boolean from v14", () => {
        assert.deepStrictEqual(parse(withSettings({ "log-query": "main-query" }, "postgrest/postgrest:v13.0.8")).service.settings, {
            "log-query": "main-query",
        });
        assert.deepStrictEqual(parse(withSettings({ "log-query": true })).service.settings, { "log-query": "true" });
        assert.deepStrictEqual(parse(withSettings({ "jwt-cache-max-lifetime": 0 }, V12)).service.settings, { "jwt-cache-max-lifetime": "0" });
    });

    it("checks a release newer than the catalog against the newest major it knows", () => {
        assert.deepStrictEqual(parse(withSettings({ "client-error-verbosity": "minimal" }, "postgrest/postgrest:v18.0")).service.settings, {
            "client-error-verbosity": "minimal",
        });
    });

    it("refuses an exposed schema PostgREST would split, naming api.schemas[i]", () => {
        const problems = problemsOf({ ...baseConfig("aws"), api: { schemas: ["api", "v1,v2"], roles: { web_anon: {} } } });
        assert.strictEqual(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], /^postgrest:api\.schemas\[1\]: "v1,v2" contains ",", where PostgREST would split it/);
    });

    it("has no settings by default", () => {
        assert.deepStrictEqual(parse(baseConfig("gcp")).service.settings, {});
    });
});
