/**
 * A Cloud Run function's container on this machine: the bundle run by the Functions Framework's own server
 * (`functions-framework --target=... --source=...`), in a directory with no node_modules, as the Cloud Run function
 * runs the zip the program uploads.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../servers";

const FUNCTIONS_FRAMEWORK = path.resolve(__dirname, "../../node_modules/@google-cloud/functions-framework/build/src/main.js");

export interface ServedFunction {
    /** http://127.0.0.1:PORT, the container's own port behind the front. */
    url: string;
    /** Everything the function's process wrote to stdout and stderr: what Cloud Logging would keep. */
    output(): string;
    stop(): void;
}

/** Serves `source` (the bundle, as index.js) with the Functions Framework, HTTP signature, `target`. */
export async function serveFunction(source: string, target: string): Promise<ServedFunction> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-cloud-run-function-"));
    fs.writeFileSync(path.join(dir, "index.js"), source);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "postgrest-admin-function", main: "index.js" }));
    const port = await freePort();
    const child: ChildProcess = spawn(
        process.execPath,
        [FUNCTIONS_FRAMEWORK, `--target=${target}`, `--source=${dir}`, `--port=${port}`, "--signature-type=http"],
        { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (data) => {
            output += data;
            if (output.includes("Serving function...")) resolve();
        });
        child.stderr!.on("data", (data) => (output += data));
        child.once("exit", (code) => reject(new Error(`the Functions Framework exited with ${code}: ${output}`)));
    });
    return {
        url: `http://127.0.0.1:${port}`,
        output: () => output,
        stop() {
            child.kill();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
