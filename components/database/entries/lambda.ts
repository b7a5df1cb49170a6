/**
 * The in-network function's entry point (`index.handler` of the bundle the
 * program builds). It holds no secret: the admin URL arrives in each request,
 * encrypted in transit, from the provider that holds it as a secret input;
 * and it logs nothing of the request. A thrown error's message is what the
 * Lambda runtime returns as `errorMessage`, already scrubbed by session.ts.
 */
export { handleAccessRequest as handler } from "../request";
