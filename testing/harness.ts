/**
 * Runs the whole program (index.ts) under pulumi.runtime.setMocks with a
 * given stack config, and returns what it registered and exported. Each run
 * re-evaluates the project's own modules, so runs do not leak into each other.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { ParsedConfig, ProviderSettings } from "../components/config";
import { awsMocks } from "./mocks/aws";
import { MOCK_PROJECT, gcpMocks } from "./mocks/gcp";
import { randomMocks } from "./mocks/random";
import { MockTable } from "./mocks/table";

const projectRoot = path.resolve(__dirname, "..");

// Loaded on first use, not with the harness: `npm run bench:program` runs a one-bucket program through this harness,
// and that program must not pay for compiling the config module. Kept once loaded, as forgetProjectModules drops it from the cache.
let loadedConfigModule: typeof import("../components/config") | undefined;
function configModule(): typeof import("../components/config") {
    loadedConfigModule ??= require("../components/config") as typeof import("../components/config");
    return loadedConfigModule;
}
const PROJECT = "postgrest";

// waitForRPCs is @internal, but it is how the SDK itself knows every registration has finished.
const runtimeSettings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs(): Promise<void>;
    getMonitor(): { registerResource(req: RegisterRequest, callback: unknown): Promise<void> };
};

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getAliasesList(): { getUrn(): string; getSpec(): AliasSpec | undefined }[];
}

interface AliasSpec {
    getName(): string;
    getType(): string;
    getParenturn(): string;
    getNoparent(): boolean;
    getStack(): string;
    getProject(): string;
}

export interface RegisteredResource {
    type: string;
    name: string;
    /** URN of the parent resource, when it has one. */
    parent?: string;
    /** URNs of the resources it waits for (dependsOn, and those its inputs come from). */
    dependencies?: string[];
    /** The URNs it was known by before (its aliases), as the engine computes them. */
    aliases?: string[];
    inputs: Record<string, any>;
    id: string;
}

export interface ProgramRun {
    resources: RegisteredResource[];
    /** Stack outputs, resolved. */
    outputs: Record<string, unknown>;
    /** Names of the stack outputs that are secret. */
    secretOutputs: string[];
    byType(type: string): RegisteredResource[];
    /** The only resource of `type`; throws when there are none or several. */
    one(type: string): RegisteredResource;
}

export interface RunOptions {
    /** Stack config without the `postgrest:` namespace; objects as objects. */
    config: Record<string, unknown>;
    /** Keys set as secrets. @default ["databaseAdminUrl", "jwtSecret"] */
    secretKeys?: string[];
    /** Other namespaces' config, such as { "aws:region": "us-east-1" }. */
    providerConfig?: Record<string, string>;
    preview?: boolean;
}

const mockTables: MockTable[] = [awsMocks, gcpMocks, randomMocks];

/** A config that passes validation for `cloud`; tests spread it and change what they test. */
export function baseConfig(cloud: "aws" | "gcp"): Record<string, unknown> {
    return {
        cloud,
        database: { host: "db.example.com", name: "startup", sslMode: "require" },
        databaseAdminUrl: "postgresql://admin:admin-password-9f2c@db.example.com:5432/startup",
        api: { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
        service: { maxInstances: 2 },
    };
}

export function runProgram(options: RunOptions): Promise<ProgramRun> {
    return runCollecting(options, []);
}

/** Runs the program, pushing each registered resource into `registered` as it comes, so a failed run still shows them. */
function runCollecting(options: RunOptions, registered: RegisteredResource[]): Promise<ProgramRun> {
    return runUnderMocks(
        () => {
            const secretKeys = options.secretKeys ?? ["databaseAdminUrl", "jwtSecret"];
            // Every GCP stack names its project; a test that removes it sets "gcp:project" to "".
            const config: Record<string, string> = { "gcp:project": MOCK_PROJECT, ...options.providerConfig };
            for (const [key, value] of Object.entries(options.config)) {
                config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
            }
            pulumi.runtime.setAllConfig(
                config,
                secretKeys.map((key) => `${PROJECT}:${key}`),
            );
            forgetProjectModules();
            return require(path.join(projectRoot, "index.ts")) as Record<string, unknown>;
        },
        { preview: options.preview, registered },
    );
}

/**
 * Sets up the mocks, runs `build` (which registers resources and returns the
 * outputs to resolve), and waits for every registration. For tests that
 * construct one component rather than the whole program.
 */
export async function runUnderMocks(
    build: () => Record<string, unknown>,
    options: { preview?: boolean; registered?: RegisteredResource[] } = {},
): Promise<ProgramRun> {
    const registered = options.registered ?? [];
    const parents = new Map<string, string>();
    const dependencies = new Map<string, string[]>();
    const aliases = new Map<string, string[]>();
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const extra = lookup(mockTables, "newResource", args.type)?.(args) ?? {};
                const id = (extra.id as string | undefined) ?? `${args.name}-id`;
                const key = `${args.type}::${args.name}`;
                registered.push({
                    type: args.type,
                    name: args.name,
                    inputs: args.inputs,
                    id,
                    parent: parents.get(key),
                    dependencies: dependencies.get(key) ?? [],
                    aliases: aliases.get(key) ?? [],
                });
                return { id, state: { ...args.inputs, ...extra } };
            },
            call(args) {
                const handler = lookup(mockTables, "call", args.token);
                if (!handler) throw new Error(`no mock for invoke ${args.token}: add one to testing/mocks/`);
                return handler(args);
            },
        },
        PROJECT,
        "test",
        options.preview ?? false,
    );
    recordParents(parents, dependencies, aliases);

    const exported = build();
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [name, value] of Object.entries(exported)) {
        if (pulumi.Output.isInstance(value)) {
            outputs[name] = await resolve(value);
            if (await (value as unknown as { isSecret: Promise<boolean> }).isSecret) secretOutputs.push(name);
        } else {
            outputs[name] = value;
        }
    }
    await runtimeSettings.waitForRPCs();

    return {
        resources: registered,
        outputs,
        secretOutputs,
        byType: (type) => registered.filter((r) => r.type === type),
        one(type) {
            const found = registered.filter((r) => r.type === type);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
    };
}

/** The database side's dynamic resource, as index.ts names it: every service connecting as the authenticator waits for it. */
export const ROLES_AND_GRANTS = { type: "pulumi-nodejs:dynamic:Resource", name: "postgrest-roles-and-grants" };

/** Whether `resource` waits for the resource of `type` named `name`: its dependencies hold that resource's URN. */
export function waitsFor(resource: RegisteredResource, { type, name }: { type: string; name: string }): boolean {
    return (resource.dependencies ?? []).some((urn) => urn.endsWith(`${type}::${name}`));
}

/** Validates `config` with the real config module, as the program would (objects as JSON text, secrets flagged). */
export function parseStackConfig(
    config: Record<string, unknown>,
    secretKeys = ["databaseAdminUrl", "jwtSecret"],
    now?: Date,
    provider: ProviderSettings = { gcpProject: MOCK_PROJECT },
): ParsedConfig {
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (value !== undefined) values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return configModule().parseConfig({ values, secretKeys: new Set(secretKeys), namespace: PROJECT, provider }, now);
}

/** The problems the config module lists for `config`; fails when the config is accepted. */
export function configProblems(config: Record<string, unknown>, secretKeys?: string[], now?: Date): readonly string[] {
    try {
        parseStackConfig(config, secretKeys, now);
    } catch (error) {
        if (error instanceof configModule().ConfigError) return error.problems;
        throw error;
    }
    throw new Error("expected the config to be refused");
}

/** Runs the program expecting the config to be refused; returns the error and what got registered. */
export async function expectConfigError(
    config: Record<string, unknown>,
    options: Omit<RunOptions, "config"> = {},
): Promise<{ message: string; resources: RegisteredResource[] }> {
    const registered: RegisteredResource[] = [];
    try {
        await runCollecting({ ...options, config }, registered);
    } catch (error) {
        await runtimeSettings.waitForRPCs();
        return { message: (error as Error).message, resources: registered };
    }
    throw new Error(`expected the config to be refused, but the program ran and registered ${registered.length} resources`);
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolvePromise) => output.apply((value) => resolvePromise(value)));
}

function lookup<K extends keyof MockTable>(tables: MockTable[], kind: K, key: string): MockTable[K][string] | undefined {
    return tables.map((table) => table[kind][key] as MockTable[K][string] | undefined).find((handler) => handler !== undefined);
}

/** Wraps the mock monitor to learn each resource's parent, dependency and alias URNs, which the mocks API does not pass on. */
function recordParents(parents: Map<string, string>, dependencies: Map<string, string[]>, aliases: Map<string, string[]>): void {
    const monitor = runtimeSettings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const key = `${req.getType()}::${req.getName()}`;
        if (req.getParent()) parents.set(key, req.getParent());
        dependencies.set(key, req.getDependenciesList());
        aliases.set(
            key,
            req.getAliasesList().map((alias) => alias.getUrn() || aliasUrn(alias.getSpec()!, req)),
        );
        return register(req, callback);
    };
}

/**
 * The URN an alias spec names, as the engine builds it: the parent's type chain, then the type, then the name;
 * each part the resource's own when the spec leaves it empty.
 */
function aliasUrn(spec: AliasSpec, req: RegisterRequest): string {
    const type = spec.getType() || req.getType();
    const parent = spec.getNoparent() ? "" : spec.getParenturn() || req.getParent();
    const parentTypes = parent ? parent.split("::")[2] : "";
    const stack = spec.getStack() || pulumi.getStack();
    const project = spec.getProject() || pulumi.getProject();
    return `urn:pulumi:${stack}::${project}::${parentTypes && !parentTypes.endsWith(":Stack") ? `${parentTypes}$` : ""}${type}::${spec.getName() || req.getName()}`;
}

/** Drops the program's own modules (index.ts and components/) from the require cache; the tests and this harness stay loaded. */
function forgetProjectModules(): void {
    const components = path.join(projectRoot, "components") + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (file === path.join(projectRoot, "index.ts") || file.startsWith(components)) delete require.cache[file];
    }
}

/** A resource's inputs with every secret value left out: what a plan, the console or a log may show. */
export function plainInputs(resource: RegisteredResource): string {
    // The key @pulumi/pulumi marks a serialized secret with (specialSigKey, runtime/rpc.ts).
    return JSON.stringify(resource.inputs, (_key, value) =>
        value && typeof value === "object" && "4dabf18193072939515e22adb298388d" in value ? "[secret]" : value,
    );
}
