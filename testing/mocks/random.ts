import { createHash } from "crypto";
import { MockTable } from "./table";

/**
 * A generated password is a distinctive value of the requested length, so
 * tests can search every resource input and output for it.
 */
/** The password the mock gives a RandomPassword of this name and length. */
export function mockPassword(name: string, length: number): string {
    let result = "";
    for (let i = 0; result.length < length; i++) result += createHash("sha256").update(`${name}:${i}`).digest("hex");
    return result.slice(0, length);
}

export const randomMocks: MockTable = {
    newResource: {
        "random:index/randomPassword:RandomPassword": (args) => ({ result: mockPassword(args.name, Number(args.inputs.length ?? 32)) }),
        "random:index/randomId:RandomId": (args) => ({ hex: mockPassword(args.name, 2 * Number(args.inputs.byteLength)) }),
    },
    call: {},
};
