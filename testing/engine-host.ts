/**
 * The dynamic provider the way the engine runs it, the `__provider` text RolesAndGrants registers
 * (serializedProvider), then either:
 * - startEngineHost: loaded by @pulumi/pulumi's own dynamic-provider host in a separate node process and called
 *   over gRPC as `pulumi up` calls it; a failed call rejects with the gRPC status details, the text the user sees;
 * - runInEngineLikeHost: loaded with require-from-string in plain node, as that host does
 *   (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js), for a create, read and delete in one go.
 */
import { ChildProcess, execFile, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Major, TestServer, testServer } from "./servers";
import { ProviderName, bundleProviderModule } from "../components/database/bundle";

const projectRoot = path.resolve(__dirname, "..");

/** The `__provider` text RolesAndGrants (or RotationSchedule) registers (components/database/bundle.ts): what the engine's provider host loads. */
export function serializedProvider(name: ProviderName = "access"): Promise<string> {
    return bundleProviderModule(name);
}

// Plain node, no ts-node: the way the engine's dynamic provider host loads `__provider`.
const ENGINE_LIKE_HOST = `
const requireFromString = require("require-from-string");
const request = JSON.parse(require("fs").readFileSync(0, "utf8"));
const provider = requireFromString(request.provider).handler();
(async () => {
  const created = await provider.create(request.inputs);
  const read = await provider.read(created.id, created.outs);
  await provider.delete(created.id, created.outs);
  process.stdout.write(JSON.stringify({ created, read }));
})().catch((error) => { process.stderr.write(String(error && error.message)); process.exit(1); });
`;

export function runInEngineLikeHost(request: object): Promise<any> {
    return new Promise((resolve, reject) => {
        const child = execFile(process.execPath, ["-e", ENGINE_LIKE_HOST], { cwd: projectRoot }, (error, stdout, stderr) => {
            if (error) reject(new Error(`provider host failed: ${stderr || error.message}`));
            else resolve(JSON.parse(stdout));
        });
        child.stdin!.end(JSON.stringify(request));
    });
}

const HOST = path.join(projectRoot, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
// Generated gRPC stubs shipped with @pulumi/pulumi; untyped JavaScript.
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const URN = "urn:pulumi:test::postgrest::pulumi-nodejs:dynamic:Resource::roles-and-grants";

export interface EngineHost {
    /** The engine's Check call, on every preview and `up`: the inputs the provider makes of the recorded ones and the program's. */
    check(olds: object, news: object): Promise<any>;
    create(inputs: object): Promise<{ id: string; outs: any }>;
    read(id: string, props: object): Promise<{ id: string; props: any; inputs: any }>;
    /** The engine's Diff call: DIFF_NONE, DIFF_SOME and DIFF_UNKNOWN as "none", "some", "unknown". */
    diff(id: string, olds: object, news: object): Promise<{ changes: "unknown" | "none" | "some"; replaces: string[]; detailedDiff: boolean }>;
    update(id: string, olds: object, news: object): Promise<any>;
    delete(id: string, props: object): Promise<void>;
    stop(): void;
}

/** Starts the dynamic-provider host with the serialized provider; call stop() when done. */
export async function startEngineHost(name: ProviderName = "access"): Promise<EngineHost> {
    const provider = await serializedProvider(name);
    // The engine passes its own address; the host only needs one to be given.
    const child: ChildProcess = spawn(process.execPath, [HOST, "127.0.0.1:1"], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stderr!.on("data", (d) => (err += d));
        child.stdout!.on("data", (d) => {
            out += d;
            const line = out.split("\n")[0];
            if (out.includes("\n")) resolve(line.trim());
        });
        child.once("exit", (code) => reject(new Error(`dynamic provider host exited with ${code}: ${err}`)));
    });
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    // The engine's property maps hold no undefined values; JSON drops them the same way.
    const struct = (value: object) => Struct.fromJavaScript(JSON.parse(JSON.stringify({ ...value, __provider: provider })));
    /** A Diff or Update request: both carry the id, the URN, the old outputs and the new inputs. */
    const oldsAndNews = <R extends { setId(id: string): void; setUrn(urn: string): void; setOlds(s: unknown): void; setNews(s: unknown): void }>(
        request: R,
        id: string,
        olds: object,
        news: object,
    ): R => {
        request.setId(id);
        request.setUrn(URN);
        request.setOlds(struct(olds));
        request.setNews(struct(news));
        return request;
    };
    const call = <T>(method: string, request: unknown): Promise<T> =>
        new Promise((resolve, reject) =>
            client[method](request, (error: grpc.ServiceError | null, response: T) => (error ? reject(new Error(error.details)) : resolve(response))),
        );
    return {
        async check(olds, news) {
            const request = new providerProto.CheckRequest();
            request.setUrn(URN);
            request.setOlds(struct(olds));
            request.setNews(struct(news));
            const response: any = await call("check", request);
            const { __provider: _provider, ...inputs } = response.getInputs().toJavaScript();
            return inputs;
        },
        async create(inputs) {
            const request = new providerProto.CreateRequest();
            request.setUrn(URN);
            request.setProperties(struct(inputs));
            const response: any = await call("create", request);
            return { id: response.getId(), outs: response.getProperties().toJavaScript() };
        },
        async read(id, props) {
            const request = new providerProto.ReadRequest();
            request.setId(id);
            request.setUrn(URN);
            request.setProperties(struct(props));
            const response: any = await call("read", request);
            return { id: response.getId(), props: response.getProperties().toJavaScript(), inputs: response.getInputs()?.toJavaScript() };
        },
        async diff(id, olds, news) {
            const response: any = await call("diff", oldsAndNews(new providerProto.DiffRequest(), id, olds, news));
            const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[response.getChanges() as 0 | 1 | 2];
            return { changes, replaces: response.getReplacesList(), detailedDiff: response.getHasdetaileddiff() };
        },
        async update(id, olds, news) {
            const response: any = await call("update", oldsAndNews(new providerProto.UpdateRequest(), id, olds, news));
            return response.getProperties().toJavaScript();
        },
        async delete(id, props) {
            const request = new providerProto.DeleteRequest();
            request.setId(id);
            request.setUrn(URN);
            request.setProperties(struct(props));
            await call("delete", request);
        },
        stop() {
            client.close();
            child.kill();
        },
    };
}

/**
 * In the enclosing mocha describe: before its tests, the PostgreSQL server of `major` and a running engine host, handed
 * to `use`; after them, the host stopped (the servers stop with the run).
 */
export function withServerAndEngineHost(major: Major, use: (server: TestServer, host: EngineHost) => void): void {
    let host: EngineHost | undefined;
    before(async function () {
        const server = await testServer(major);
        host = await startEngineHost();
        use(server, host);
    });
    after(() => host?.stop());
}
