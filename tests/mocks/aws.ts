import { MockTable } from "./table";

/** Outputs the AWS provider computes, which the program reads. */
export const awsMocks: MockTable = {
    newResource: {},
    call: {},
};
