import { MockTable } from "./table";

/** Outputs the Google provider computes, which the program reads. */
export const gcpMocks: MockTable = {
    newResource: {},
    call: {},
};
