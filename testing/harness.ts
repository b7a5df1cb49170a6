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
import { rotationMocks } from "./mocks/rotation";
import { MockTable } from "./mocks/table";
import { FakeRegistry, startFakeRegistry } from "./registry";
import { REGISTRY_ENDPOINTS_VARIABLE } from "../components/postgrest/image";

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
    getProtect(): boolean | undefined;
    getIgnorechangesList(): string[];
    getRetainondelete(): boolean | undefined;
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
    /** The URN the engine gives it: its parents' type chain, its type and its name. */
    urn: string;
    /** URN of the parent resource, when it has one. */
    parent?: string;
    /** URNs of the resources it waits for (dependsOn, and those its inputs come from). */
    dependencies?: string[];
    /** The URNs it was known by before, as the engine computes them: its own aliases and those its parents' aliases give it. */
    aliases?: string[];
    /** The resource options the engine receives that the mocks API does not pass on. */
    options?: ResourceOptionsSeen;
    inputs: Record<string, any>;
    id: string;
}

export interface ResourceOptionsSeen {
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
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

const mockTables: MockTable[] = [awsMocks, gcpMocks, randomMocks, rotationMocks];

/** The admin password in baseConfig's databaseAdminUrl: tests look for it where it must not be. */
export const ADMIN_PASSWORD = "admin-password-9f2c";

/** A config that passes validation for `cloud`; tests spread it and change what they test. */
export function baseConfig(cloud: "aws" | "gcp"): Record<string, unknown> {
    return {
        cloud,
        database: { host: "db.example.com", name: "startup", sslMode: "require" },
        databaseAdminUrl: `postgresql://admin:${ADMIN_PASSWORD}@db.example.com:5432/startup`,
        api: { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
        service: { maxInstances: 2 },
    };
}

export function runProgram(options: RunOptions): Promise<ProgramRun> {
    return runCollecting(options, []);
}

/** The official image's tags the tests' stacks run: the program resolves them to digests in the harness's registry. */
export const REGISTRY_TAGS: Record<string, string[]> = {
    "postgrest/postgrest": ["v11.2.2", "v12.2.3", "v12.2.12", "v13.0.8", "v14.17", "v16", "v16.2", "v18.0"],
};

let registry: Promise<FakeRegistry> | undefined;
/** The local registry every program run resolves Docker Hub images in, started on first use. */
export function harnessRegistry(): Promise<FakeRegistry> {
    registry ??= startFakeRegistry(REGISTRY_TAGS);
    return registry;
}

/** Runs the program, pushing each registered resource into `registered` as it comes, so a failed run still shows them. */
async function runCollecting(options: RunOptions, registered: RegisteredResource[]): Promise<ProgramRun> {
    // No internet here: Docker Hub is the local registry, reached as the program reaches a mirror.
    process.env[REGISTRY_ENDPOINTS_VARIABLE] = JSON.stringify({ "docker.io": (await harnessRegistry()).endpoint });
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
    const registrations = new Map<string, Registration>();
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const extra = lookup(mockTables, "newResource", args.type)?.(args) ?? {};
                const id = (extra.id as string | undefined) ?? `${args.name}-id`;
                const registration = registrations.get(`${args.type}::${args.name}`)!;
                registered.push({ type: args.type, name: args.name, inputs: args.inputs, id, ...registration });
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
    recordRegistrations(registrations);

    // The language host fails the program on a promise nobody handles (an apply that throws, a registration whose inputs
    // fail), then and there; under mocks nothing would, and the run would pass without the resource or wait forever for it.
    let fail: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    process.on("unhandledRejection", fail);
    try {
        return await Promise.race([collectRun(build, registered), failed]);
    } finally {
        process.off("unhandledRejection", fail);
    }
}

async function collectRun(build: () => Record<string, unknown>, registered: RegisteredResource[]): Promise<ProgramRun> {
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
    // Rejections are reported after the turn they happen in.
    await new Promise((resolve) => setImmediate(resolve));

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

/**
 * Whether `resource` waits for the resource of `type` named `name`, directly or through the resources it waits for:
 * what the engine orders before it. Inputs taken from a component's outputs count only through the resources they name.
 */
export function waitsForTransitively(run: ProgramRun, resource: RegisteredResource, target: { type: string; name: string }): boolean {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const queue = [...(resource.dependencies ?? [])];
    while (queue.length > 0) {
        const urn = queue.shift()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        if (urn.endsWith(`${target.type}::${target.name}`)) return true;
        queue.push(...(byUrn.get(urn)?.dependencies ?? []));
    }
    return false;
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

/** What the mocks API does not pass on about a registration, with URNs as the engine writes them. */
type Registration = Pick<RegisteredResource, "urn" | "parent" | "dependencies" | "aliases" | "options">;

/**
 * Wraps the mock monitor to learn each resource's URN, parent, dependencies and aliases. The mock monitor's own URNs
 * keep only the parent's last type, where the engine keeps the whole chain, so every URN is rewritten to the engine's.
 */
function recordRegistrations(registrations: Map<string, Registration>): void {
    const monitor = runtimeSettings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    const engineUrns = new Map<string, string>();
    const aliasesByUrn = new Map<string, string[]>();
    const engineUrn = (mockUrn: string) => engineUrns.get(mockUrn) ?? mockUrn;
    monitor.registerResource = (req, callback) => {
        const parent = req.getParent() ? engineUrn(req.getParent()) : undefined;
        const urn = createUrn(req.getType(), req.getName(), parent);
        const aliases = engineAliases(req, parent, aliasesByUrn, engineUrn);
        aliasesByUrn.set(urn, aliases);
        registrations.set(`${req.getType()}::${req.getName()}`, {
            urn,
            parent,
            dependencies: req.getDependenciesList().map(engineUrn),
            aliases,
            options: {
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                ignoreChanges: req.getIgnorechangesList(),
            },
        });
        const remember = (error: unknown, response?: { getUrn(): string }) => {
            if (response) engineUrns.set(response.getUrn(), urn);
            (callback as (error: unknown, response?: unknown) => void)(error, response);
        };
        return register(req, remember);
    };
}

/** A URN as the engine builds it: the parent's type chain (none under the root stack), the type, the name. */
function createUrn(type: string, name: string, parent: string | undefined, stack = pulumi.getStack(), project = pulumi.getProject()): string {
    const parentTypes = parent ? urnTypes(parent) : "";
    const chain = parentTypes && parentTypes !== "pulumi:pulumi:Stack" ? `${parentTypes}$` : "";
    return `urn:pulumi:${stack}::${project}::${chain}${type}::${name}`;
}

/** The type chain of a URN: urn:pulumi:stack::project::A$B::name -> A$B. */
function urnTypes(urn: string): string {
    return urn.split("::")[2];
}

/** The name of a URN (which may itself hold "::"). */
function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/**
 * Every former URN the engine matches a registration against (generateAliases in the engine's step generator, mirrored
 * by allAliases in @pulumi/pulumi's resource.ts): each alias spec's URN, with the resource's own name, type and parent
 * where the spec leaves them out; then, for each alias of the parent, the resource and each of its aliases under that
 * former parent, the parent's name prefix of the child's name swapped for the former one.
 */
function engineAliases(
    req: RegisterRequest,
    parent: string | undefined,
    aliasesByUrn: Map<string, string[]>,
    engineUrn: (mockUrn: string) => string,
): string[] {
    const own = req.getAliasesList().map((alias) => {
        if (alias.getUrn()) return alias.getUrn();
        const spec = alias.getSpec()!;
        let aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() ? engineUrn(spec.getParenturn()) : parent;
        // A former parent that is itself aliased stood at its own former URN.
        if (spec.getParenturn() && aliasParent) aliasParent = aliasesByUrn.get(aliasParent)?.[0] ?? aliasParent;
        return createUrn(
            spec.getType() || req.getType(),
            spec.getName() || req.getName(),
            aliasParent,
            spec.getStack() || undefined,
            spec.getProject() || undefined,
        );
    });
    const all = new Set(own);
    const parentName = parent ? urnName(parent) : "";
    for (const parentAlias of parent ? (aliasesByUrn.get(parent) ?? []) : []) {
        const under = (type: string, name: string) => {
            const formerName = name.startsWith(parentName) ? urnName(parentAlias) + name.slice(parentName.length) : name;
            const [qualifiedStack, project] = parentAlias.split("::");
            return createUrn(type, formerName, parentAlias, qualifiedStack.slice("urn:pulumi:".length), project);
        };
        all.add(under(req.getType(), req.getName()));
        for (const alias of own) all.add(under(urnTypes(alias).split("$").pop()!, urnName(alias)));
    }
    return [...all];
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
